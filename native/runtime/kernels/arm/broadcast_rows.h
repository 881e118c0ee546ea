/*
 * Broadcasting of the binary elementwise twins (MUL, ADD) as rows: the output's dims are coalesced (size-1 dims
 * dropped, neighbours merged where both inputs stay contiguous or stay broadcast across them), so the output is
 * `rows` rows of `len` elements and each input advances along a row by 1 (it spans the innermost dim) or by 0
 * (broadcast: one value for the whole row). Same shapes give one row; an SE block's [1,H,W,C] x [1,1,1,C] gives
 * H*W rows of C with both inputs stepping 1; a scalar operand gives one row with step 0.
 *
 * mcb_dsp_rows_plan accepts exactly the calls broadcast_common.c accepts (the reference's shape and aliasing
 * rules), so a twin declines every call the reference refuses.
 */
#ifndef MCB_KERNELS_ARM_BROADCAST_ROWS_H
#define MCB_KERNELS_ARM_BROADCAST_ROWS_H

#include <stdint.h>

#include "../kernel_common.h"

typedef struct mcb_dsp_rows {
  int32_t len;             /* elements per row (innermost coalesced dim) */
  int32_t step1, step2;    /* 1 or 0: how input 1 / 2 advance along a row */
  int32_t outer;           /* coalesced dims outside the row */
  int32_t dims[MCB_MAX_DIMS], s1[MCB_MAX_DIMS], s2[MCB_MAX_DIMS]; /* outer dims, outermost first, and strides */
} mcb_dsp_rows;

/* Input strides against the extended output dims (0 where the input is broadcast); 0 when incompatible. */
static inline int mcb_dsp_rows_strides(const mcb_shape *s, const int32_t *out_dims, int32_t *strides) {
  const int32_t lead = MCB_MAX_DIMS - s->rank;
  int32_t d, stride = 1;
  for (d = MCB_MAX_DIMS - 1; d >= 0; --d) {
    const int32_t dim = d < lead ? 1 : s->dims[d - lead];
    if (dim != out_dims[d] && dim != 1) return 0;
    strides[d] = dim == 1 ? 0 : stride;
    stride *= dim;
  }
  return 1;
}

/* Output may be an input only when that input has the output's size (in-place case c); else apart from it. */
static inline int mcb_dsp_rows_alias_ok(const int8_t *out, int64_t out_n, const int8_t *in, int64_t in_n) {
  return !mcb__overlaps(out, (size_t)out_n, in, (size_t)in_n) || (out == in && in_n == out_n);
}

/* Plans the rows of a call; 0 when the reference would refuse it (then the twin declines). */
static inline int mcb_dsp_rows_plan(mcb_dsp_rows *plan, const mcb_shape *shape1, const int8_t *input1,
                                    const mcb_shape *shape2, const int8_t *input2, const mcb_shape *out_shape,
                                    const int8_t *output) {
  int32_t out_dims[MCB_MAX_DIMS], s1[MCB_MAX_DIMS], s2[MCB_MAX_DIMS], dims[MCB_MAX_DIMS], t1[MCB_MAX_DIMS], t2[MCB_MAX_DIMS];
  int32_t d, n = 0;
  int64_t n1, n2, n_out;
  if (shape1 == NULL || shape2 == NULL || out_shape == NULL || input1 == NULL || input2 == NULL || output == NULL) return 0;
  n1 = mcb__shape_elements(shape1);
  n2 = mcb__shape_elements(shape2);
  n_out = mcb__shape_elements(out_shape);
  if (n1 == 0 || n2 == 0 || n_out == 0 || shape1->rank > out_shape->rank || shape2->rank > out_shape->rank) return 0;
  for (d = 0; d < MCB_MAX_DIMS; ++d) {
    const int32_t lead = MCB_MAX_DIMS - out_shape->rank;
    out_dims[d] = d < lead ? 1 : out_shape->dims[d - lead];
  }
  if (!mcb_dsp_rows_strides(shape1, out_dims, s1) || !mcb_dsp_rows_strides(shape2, out_dims, s2)) return 0;
  for (d = 0; d < MCB_MAX_DIMS; ++d) {
    if (out_dims[d] != 1 && s1[d] == 0 && s2[d] == 0) return 0; /* the output is not the broadcast shape */
  }
  if (!mcb_dsp_rows_alias_ok(output, n_out, input1, n1) || !mcb_dsp_rows_alias_ok(output, n_out, input2, n2)) return 0;
  /* Coalesce: drop size-1 dims, merge a dim into the one outside it when both inputs continue across. */
  for (d = 0; d < MCB_MAX_DIMS; ++d) {
    if (out_dims[d] == 1) continue;
    if (n > 0 && t1[n - 1] == s1[d] * out_dims[d] && t2[n - 1] == s2[d] * out_dims[d]) {
      dims[n - 1] *= out_dims[d];
      t1[n - 1] = s1[d];
      t2[n - 1] = s2[d];
      continue;
    }
    dims[n] = out_dims[d];
    t1[n] = s1[d];
    t2[n] = s2[d];
    ++n;
  }
  if (n == 0) { /* a single element */
    dims[0] = 1;
    t1[0] = t2[0] = 1;
    n = 1;
  }
  plan->len = dims[n - 1];
  plan->step1 = t1[n - 1] != 0;
  plan->step2 = t2[n - 1] != 0;
  plan->outer = n - 1;
  for (d = 0; d < n - 1; ++d) {
    plan->dims[d] = dims[d];
    plan->s1[d] = t1[d];
    plan->s2[d] = t2[d];
  }
  return 1;
}

/* Rows of the plan, in output order: row(ctx, a, b, out, len) with a and b where the row's inputs start. */
#define MCB_DSP_FOR_ROWS(plan, input1, input2, output, ROW_CALL)                                  \
  do {                                                                                            \
    int32_t idx_[MCB_MAX_DIMS] = {0}, off1_ = 0, off2_ = 0, d_;                                   \
    int8_t *o_ = (output);                                                                        \
    for (;;) {                                                                                    \
      const int8_t *a = (input1) + off1_, *b = (input2) + off2_;                                  \
      int8_t *out = o_;                                                                           \
      ROW_CALL;                                                                                   \
      o_ += (plan)->len;                                                                          \
      for (d_ = (plan)->outer - 1; d_ >= 0; --d_) {                                               \
        off1_ += (plan)->s1[d_];                                                                  \
        off2_ += (plan)->s2[d_];                                                                  \
        if (++idx_[d_] < (plan)->dims[d_]) break;                                                 \
        off1_ -= (plan)->s1[d_] * (plan)->dims[d_];                                               \
        off2_ -= (plan)->s2[d_] * (plan)->dims[d_];                                               \
        idx_[d_] = 0;                                                                             \
      }                                                                                           \
      if (d_ < 0) break;                                                                          \
    }                                                                                             \
  } while (0)

#endif /* MCB_KERNELS_ARM_BROADCAST_ROWS_H */
