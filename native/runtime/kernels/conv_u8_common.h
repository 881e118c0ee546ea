/* Private: checks shared by the legacy uint8 conv and depthwise kernels. */
#ifndef MCB_CONV_U8_COMMON_H
#define MCB_CONV_U8_COMMON_H

#include "mcb/kernels.h"

/* The int8 view describing the same window (same fields; used only for checks). */
mcb_view_s8 mcb__as_view_s8(const mcb_view_u8 *v);

/* Validates params, views and offsets; resolves the region; checks the input taps for a
 * kernel of kh x kw and that output and input do not overlap. */
mcb_status mcb__conv_u8_prepare(const mcb_conv_u8_params *p, const mcb_view_u8 *in,
                                const mcb_view_u8 *out, int32_t kh, int32_t kw,
                                const mcb_region *region, mcb_region *r);

#endif /* MCB_CONV_U8_COMMON_H */
