/* Private: argument and window checks shared by the int8 pooling kernels. */
#ifndef MCB_POOLING_COMMON_H
#define MCB_POOLING_COMMON_H

#include "mcb/kernels.h"

/* Validates params and views, resolves the region into *r and checks the taps
 * it needs are in the input buffer and that output and input do not overlap. */
mcb_status mcb__pool_prepare(const mcb_pool_params *p, const mcb_view_s8 *in,
                             const mcb_view_s8 *out, const mcb_region *region, mcb_region *r);

/* The taps of a pooling window that fall inside the full input along one axis: k in [k0, k1) reads input
 * position origin + k (origin may be negative: padding is skipped, as TFLM does). */
typedef struct mcb__pool_span {
  int32_t origin, k0, k1;
} mcb__pool_span;

static inline mcb__pool_span mcb__pool_span_at(int32_t o, int32_t stride, int32_t pad, int32_t filter,
                                               int32_t full) {
  mcb__pool_span s;
  s.origin = o * stride - pad;
  s.k0 = s.origin < 0 ? -s.origin : 0;
  s.k1 = filter < full - s.origin ? filter : full - s.origin;
  return s;
}

/* Average pooling divides by the in-bounds tap count: every window of the region must have one
 * (TFLM fails the op otherwise). MCB_ERR_SHAPE before anything is written. */
mcb_status mcb__pool_check_nonempty(const mcb_pool_params *p, int32_t full_h, int32_t full_w,
                                    const mcb_region *r);

#endif /* MCB_POOLING_COMMON_H */
