/*
 * Cortex-M DSP twin of mul_s8_ref.c (int8 MUL, TFLM MulElementwise / BroadcastMul6DSlow), identical bytes:
 * (x1 + offset1) * (x2 + offset2), MultiplyByQuantizedMultiplier through dsp.h's exact SMMULR requantization, +
 * output offset (folded into the rounding constant where it can be), clamp.
 *
 * Four elements per step where both inputs advance: one word of each input, SXTAB16 adds the offsets to bytes
 * 0/2 and 1/3 as packed halves, SMULBB/SMULTT make the four products. A broadcast operand (an SE block's
 * per-channel scale, a scalar) is one value per row (broadcast_rows.h), its offset added once.
 *
 * Taken: every call the reference accepts (shapes, broadcasting, in-place case c) whose requantization the fast
 * path reproduces exactly: |product| <= 255 * 255 < 2^16, so an output shift up to 13 (multiplier up to 2^13);
 * larger ones decline (MCB_ERR_UNSUPPORTED), as does every call the reference refuses, before writing.
 */
#include "../twins.h"

#if defined(__ARM_FEATURE_DSP)

#include "../kernel_common.h"
#include "../op_checks.h"
#include "broadcast_rows.h"
#include "dsp.h"

typedef struct mul_ctx {
  int32_t off1, off2;  /* input offsets */
  int32_t off1x2, off2x2; /* the same in both halves of a word, for SXTAB16 */
  mcb_dsp_rq rq;
  int32_t lo, hi;
  int folded, full;
} mul_ctx;

/* Products of the low halves and of the high halves (GCC makes SMULBB / SMULTT of these). */
MCB_DSP_INLINE int32_t mul_bb(int32_t a, int32_t b) { return (int32_t)(int16_t)a * (int16_t)b; }
MCB_DSP_INLINE int32_t mul_tt(int32_t a, int32_t b) { return (a >> 16) * (b >> 16); }

MCB_DSP_INLINE int8_t mul_finish(int32_t product, const mul_ctx *c, int folded, int full) {
  return (int8_t)mcb_dsp_clamp(mcb_dsp_rq_apply(product, &c->rq, !folded), c->lo, c->hi, full);
}

/* Both inputs advance: four products per step from one word of each. */
MCB_DSP_INLINE void mul_row_both(const mul_ctx *c, const int8_t *a, const int8_t *b, int8_t *out, int32_t len,
                                 int folded, int full) {
  int32_t i = 0;
  for (; i + 4 <= len; i += 4) {
    const int32_t wa = mcb_dsp_load4(a + i), wb = mcb_dsp_load4(b + i);
    const int32_t a02 = __sxtab16(c->off1x2, wa), a13 = mcb_dsp_sxtab16_ror8(c->off1x2, wa);
    const int32_t b02 = __sxtab16(c->off2x2, wb), b13 = mcb_dsp_sxtab16_ror8(c->off2x2, wb);
    const int8_t r0 = mul_finish(mul_bb(a02, b02), c, folded, full);
    const int8_t r1 = mul_finish(mul_bb(a13, b13), c, folded, full);
    const int8_t r2 = mul_finish(mul_tt(a02, b02), c, folded, full);
    const int8_t r3 = mul_finish(mul_tt(a13, b13), c, folded, full);
    /* Stored after both words were read: an output over input 1 or 2 (case c) sees its own slots only. */
    out[i] = r0;
    out[i + 1] = r1;
    out[i + 2] = r2;
    out[i + 3] = r3;
  }
  for (; i < len; ++i) out[i] = mul_finish((a[i] + c->off1) * (b[i] + c->off2), c, folded, full);
}

/* One operand broadcast along the row: `scale` is its value plus its offset. */
MCB_DSP_INLINE void mul_row_one(const mul_ctx *c, const int8_t *a, int32_t a_off, int32_t scale, int8_t *out,
                                int32_t len, int folded, int full) {
  int32_t i;
#pragma GCC unroll 4
  for (i = 0; i < len; ++i) out[i] = mul_finish((a[i] + a_off) * scale, c, folded, full);
}

typedef void mul_rows_fn(const mul_ctx *c, const mcb_dsp_rows *plan, const int8_t *in1, const int8_t *in2, int8_t *output);

/* Per (output offset folded into the rounding constant, full int8 range). */
#define MUL_VARIANT(name, folded, full)                                                                         \
  static void name(const mul_ctx *c, const mcb_dsp_rows *plan, const int8_t *in1, const int8_t *in2,           \
                   int8_t *output) {                                                                            \
    if (plan->step1 && plan->step2) {                                                                           \
      MCB_DSP_FOR_ROWS(plan, in1, in2, output, mul_row_both(c, a, b, out, plan->len, folded, full));          \
    } else if (plan->step1) {                                                                                   \
      MCB_DSP_FOR_ROWS(plan, in1, in2, output, mul_row_one(c, a, c->off1, *b + c->off2, out, plan->len, folded, full)); \
    } else {                                                                                                    \
      MCB_DSP_FOR_ROWS(plan, in1, in2, output, mul_row_one(c, b, c->off2, *a + c->off1, out, plan->len, folded, full)); \
    }                                                                                                           \
  }
MUL_VARIANT(mul_folded_full, 1, 1)
MUL_VARIANT(mul_folded_range, 1, 0)
MUL_VARIANT(mul_any_full, 0, 1)
MUL_VARIANT(mul_any_range, 0, 0)

mcb_status mcb_mul_s8_dsp(const mcb_mul_params *params, const mcb_shape *shape1, const int8_t *input1,
                          const mcb_shape *shape2, const int8_t *input2, const mcb_shape *out_shape, int8_t *output) {
  mul_ctx c;
  mcb_dsp_rows plan;
  int64_t bound;
  mul_rows_fn *run;
  if (mcb__mul_s8_check_params(params) != MCB_OK ||
      !mcb_dsp_rows_plan(&plan, shape1, input1, shape2, input2, out_shape, output)) {
    return MCB_ERR_UNSUPPORTED;
  }
  /* |x + offset| <= 128 + |offset| per input: the product's bound for the requantization. */
  bound = (int64_t)(128 + (params->input1_offset < 0 ? -params->input1_offset : params->input1_offset)) *
          (128 + (params->input2_offset < 0 ? -params->input2_offset : params->input2_offset));
  if (!mcb_dsp_rq_init(&c.rq, params->output_multiplier, params->output_shift, bound)) {
    return MCB_ERR_UNSUPPORTED;
  }
  c.off1 = params->input1_offset;
  c.off2 = params->input2_offset;
  c.off1x2 = (int32_t)(((uint32_t)(uint16_t)c.off1 << 16) | (uint16_t)c.off1);
  c.off2x2 = (int32_t)(((uint32_t)(uint16_t)c.off2 << 16) | (uint16_t)c.off2);
  c.lo = params->act_min;
  c.hi = params->act_max;
  c.folded = mcb_dsp_rq_fold_offset(&c.rq, params->output_offset);
  c.full = params->act_min == -128 && params->act_max == 127;
  run = c.folded ? (c.full ? mul_folded_full : mul_folded_range) : (c.full ? mul_any_full : mul_any_range);
  run(&c, &plan, input1, input2, output);
  return MCB_OK;
}

#else
/* No DSP extension (host, Cortex-M0/M3): nothing to build; the typedef keeps the unit non-empty (ISO C). */
typedef int mcb_mul_s8_dsp_needs_arm_dsp;
#endif /* __ARM_FEATURE_DSP */
