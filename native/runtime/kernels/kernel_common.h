/*
 * Private helpers shared by the kernels: argument, window and aliasing checks,
 * and shape iteration. Not part of the public API.
 */
#ifndef MCB_KERNEL_COMMON_H
#define MCB_KERNEL_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "mcb/kernels.h"

/* 1 when [a, a+a_bytes) and [b, b+b_bytes) share at least one byte. */
int mcb__overlaps(const void *a, size_t a_bytes, const void *b, size_t b_bytes);

/* Bytes a view's buffer spans (h * w * c). */
size_t mcb__view_bytes(const mcb_view_s8 *v);

/* MCB_OK when the view is well formed (see mcb_view_s8 ranges). */
mcb_status mcb__check_view(const mcb_view_s8 *v);

/* Resolves `region` (NULL = the output view's extent) into *out and checks it
 * lies inside the output view; an empty region is allowed. */
mcb_status mcb__resolve_region(const mcb_view_s8 *output, const mcb_region *region,
                               mcb_region *out);

/* 1 when the region covers the whole output view. */
int mcb__region_is_whole_view(const mcb_view_s8 *output, const mcb_region *r);

/*
 * Checks that every in-bounds tap (inside [0, full) of the input) needed by the
 * outputs [o0, o1) along one axis lies inside the input buffer rows/cols
 * [buf0, buf0 + buf_len). Taps: o * stride - pad + k * dilation, k in [0, kernel).
 */
mcb_status mcb__check_taps_1d(int32_t o0, int32_t o1, int32_t stride, int32_t pad,
                              int32_t kernel, int32_t dilation, int32_t full,
                              int32_t buf0, int32_t buf_len);

/* Checks the requantization table: count 1 or `channels`, shifts in [-31, 30]. */
mcb_status mcb__check_channel_quant(const mcb_channel_quant *q, int32_t channels);

/* Activation range sanity: -128 <= act_min <= act_max <= 127. */
mcb_status mcb__check_act_range_s8(int32_t act_min, int32_t act_max);

/* 1 when both shapes have the same rank and dims. */
int mcb__same_shape(const mcb_shape *a, const mcb_shape *b);

/* Product of dims; 0 when the shape is malformed (rank or a dim out of range). */
int64_t mcb__shape_elements(const mcb_shape *s);

#endif /* MCB_KERNEL_COMMON_H */
