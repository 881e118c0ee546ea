/* Private: argument and window checks shared by the int8 pooling kernels. */
#ifndef MCB_POOLING_COMMON_H
#define MCB_POOLING_COMMON_H

#include "mcb/kernels.h"

/* Validates params and views, resolves the region into *r and checks the taps
 * it needs are in the input buffer and that output and input do not overlap. */
mcb_status mcb__pool_prepare(const mcb_pool_params *p, const mcb_view_s8 *in,
                             const mcb_view_s8 *out, const mcb_region *region, mcb_region *r);

#endif /* MCB_POOLING_COMMON_H */
