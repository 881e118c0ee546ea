/*
 * Cortex-M DSP twin of add_s8_ref.c for broadcasting ADD (inputs of different shapes: a per-channel bias
 * [1,1,1,C] over [1,H,W,C], a scalar), identical bytes; mcb_add_s8_dsp (add_s8_dsp.c) takes equal shapes and
 * hands these calls here. Each input's rescale depends on one int8 only, so it is tabulated once per call (256
 * values per input, doubled as SMMULR takes them, from dsp.h's exact requantization); the output is walked as
 * rows (broadcast_rows.h), a broadcast operand's table value fetched once per row. An element then costs its
 * table loads, an add and the output requantization.
 *
 * Taken: every call the reference accepts with at least ADD_BROADCAST_MIN output elements (below that the
 * tables cost more than they save) whose output rescale the fast path reproduces exactly (always so for TFLM's
 * left_shift 20 and multipliers below 1). Everything else declines (MCB_ERR_UNSUPPORTED) before writing.
 */
#include "../twins.h"

#if defined(__ARM_FEATURE_DSP)

#include "../kernel_common.h"
#include "../op_checks.h"
#include "broadcast_rows.h"
#include "dsp.h"

#ifndef ADD_BROADCAST_MIN
#define ADD_BROADCAST_MIN 128 /* output elements from which tabulating both rescales pays */
#endif

typedef struct add_ctx {
  int32_t t1[256], t2[256]; /* doubled rescaled inputs, indexed by the int8's bit pattern */
  mcb_dsp_rq ro;
  int32_t lo, hi;
} add_ctx;

/* Largest |MultiplyByQuantizedMultiplier(x, rq)| for |x| <= x_bound, rounded up. */
static int64_t scaled_bound(int64_t x_bound, int32_t multiplier, int32_t shift) {
  const int64_t m = multiplier < 0 ? -(int64_t)multiplier : multiplier;
  const int32_t right = shift > 0 ? 0 : -shift;
  return (((x_bound * m) >> 31) >> right) + 1;
}

/* (x + offset) << left_shift rescaled, for every int8 x, doubled. */
static void rescale_table(int32_t *table, int32_t offset, int32_t multiplier, int32_t shift, int32_t left_shift) {
  mcb_dsp_rq rq;
  int32_t x;
  rq.bias = 0;
  rq.mult = multiplier;
  rq.shl = left_shift + 1;
  rq.shr = -shift;
  rq.half = rq.shr > 0 ? (int32_t)1 << (rq.shr - 1) : 0;
  rq.neg = rq.shr > 0 ? -1 : 0;
  rq.off = 0;
  for (x = -128; x < 128; ++x) table[x & 0xFF] = 2 * mcb_dsp_rq_apply(x + offset, &rq, 1);
}

/* clamp(rq(sum2 / 2) + output offset); sum2 is the doubled rescaled sum, and even. */
MCB_DSP_INLINE int8_t add_finish(int32_t sum2, const add_ctx *c, int folded, int full) {
  int32_t v;
  if (folded) {
    v = mcb_dsp_smmulr(sum2, c->ro.mult);
    v = (v + c->ro.half + (v >> 31)) >> c->ro.shr;
  } else {
    v = mcb_dsp_rq_apply(sum2 >> 1, &c->ro, 1);
  }
  return (int8_t)mcb_dsp_clamp(v, c->lo, c->hi, full);
}

MCB_DSP_INLINE void add_row_both(const add_ctx *c, const int8_t *a, const int8_t *b, int8_t *out, int32_t len, int folded, int full) {
  int32_t i;
#pragma GCC unroll 2
  for (i = 0; i < len; ++i) out[i] = add_finish(c->t1[(uint8_t)a[i]] + c->t2[(uint8_t)b[i]], c, folded, full);
}

/* One input broadcast along the row: `fixed` is its doubled rescaled value, `table` the other input's. */
MCB_DSP_INLINE void add_row_one(const add_ctx *c, const int32_t *table, const int8_t *a, int32_t fixed, int8_t *out, int32_t len,
                                int folded, int full) {
  int32_t i;
#pragma GCC unroll 2
  for (i = 0; i < len; ++i) out[i] = add_finish(table[(uint8_t)a[i]] + fixed, c, folded, full);
}

typedef void add_rows_fn(const add_ctx *c, const mcb_dsp_rows *plan, const int8_t *in1, const int8_t *in2, int8_t *output);

/* Per (output offset folded into the rounding constant, full int8 range). */
#define ADD_ROWS_VARIANT(name, folded, full)                                                                      \
  static void name(const add_ctx *c, const mcb_dsp_rows *plan, const int8_t *in1, const int8_t *in2,             \
                   int8_t *output) {                                                                              \
    if (plan->step1 && plan->step2) {                                                                             \
      MCB_DSP_FOR_ROWS(plan, in1, in2, output, add_row_both(c, a, b, out, plan->len, folded, full));             \
    } else if (plan->step1) {                                                                                     \
      MCB_DSP_FOR_ROWS(plan, in1, in2, output, add_row_one(c, c->t1, a, c->t2[(uint8_t)*b], out, plan->len, folded, full)); \
    } else {                                                                                                      \
      MCB_DSP_FOR_ROWS(plan, in1, in2, output, add_row_one(c, c->t2, b, c->t1[(uint8_t)*a], out, plan->len, folded, full)); \
    }                                                                                                             \
  }
ADD_ROWS_VARIANT(add_rows_folded_full, 1, 1)
ADD_ROWS_VARIANT(add_rows_folded_range, 1, 0)
ADD_ROWS_VARIANT(add_rows_any_full, 0, 1)
ADD_ROWS_VARIANT(add_rows_any_range, 0, 0)

mcb_status mcb_add_s8_broadcast_dsp(const mcb_add_params *params, const mcb_shape *shape1, const int8_t *input1,
                                    const mcb_shape *shape2, const int8_t *input2, const mcb_shape *out_shape,
                                    int8_t *output) {
  add_ctx c;
  mcb_dsp_rows plan;
  int64_t x_bound, sum_bound;
  int folded, full;
  add_rows_fn *run;
  if (mcb__add_s8_check_params(params) != MCB_OK ||
      !mcb_dsp_rows_plan(&plan, shape1, input1, shape2, input2, out_shape, output) ||
      mcb__shape_elements(out_shape) < ADD_BROADCAST_MIN) {
    return MCB_ERR_UNSUPPORTED;
  }
  /* (x + offset) << left_shift: |x + offset| <= 255 and left_shift <= 22 keep it below 2^30. */
  x_bound = (int64_t)255 << params->left_shift;
  sum_bound = scaled_bound(x_bound, params->input1_multiplier, params->input1_shift) +
              scaled_bound(x_bound, params->input2_multiplier, params->input2_shift);
  if (!mcb_dsp_rq_init(&c.ro, params->output_multiplier, params->output_shift, sum_bound)) {
    return MCB_ERR_UNSUPPORTED;
  }
  rescale_table(c.t1, params->input1_offset, params->input1_multiplier, params->input1_shift, params->left_shift);
  rescale_table(c.t2, params->input2_offset, params->input2_multiplier, params->input2_shift, params->left_shift);
  c.lo = params->act_min;
  c.hi = params->act_max;
  folded = mcb_dsp_rq_fold_offset(&c.ro, params->output_offset);
  full = params->act_min == -128 && params->act_max == 127;
  run = folded ? (full ? add_rows_folded_full : add_rows_folded_range) : (full ? add_rows_any_full : add_rows_any_range);
  run(&c, &plan, input1, input2, output);
  return MCB_OK;
}

#else
/* No DSP extension (host, Cortex-M0/M3): nothing to build; the typedef keeps the unit non-empty (ISO C). */
typedef int mcb_add_s8_broadcast_dsp_needs_arm_dsp;
#endif /* __ARM_FEATURE_DSP */
