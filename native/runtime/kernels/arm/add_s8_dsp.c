/*
 * Cortex-M DSP twin of add_s8_ref.c (int8 ADD, TFLM AddFunc arithmetic), identical bytes: the three
 * MultiplyByQuantizedMultiplier steps per element through dsp.h's exact SMMULR requantization, the output offset
 * folded into the last one's rounding constant. A large tensor (ADD_TABLE_MIN elements or more) instead has each
 * input's rescale tabulated once per call (it depends on one int8 only: 256 values per input, stored doubled as
 * SMMULR takes them), so an element costs two loads, two table loads, an add and the output requantization.
 *
 * Taken: both inputs with the output's shape (residual connections; other shapes go to the broadcasting twin,
 * add_s8_broadcast_dsp.c), output apart from the inputs or equal to one of them (in-place case c: each element is read before its own slot is written, and never again), and
 * rescaled inputs small enough for the fast path (always so for TFLM's left_shift 20 and multipliers below 1).
 * Everything else declines (MCB_ERR_UNSUPPORTED) before writing.
 */
#include "../twins.h"

#if defined(__ARM_FEATURE_DSP)

#include "../kernel_common.h"
#include "../op_checks.h"
#include "dsp.h"

#ifndef ADD_TABLE_MIN
#define ADD_TABLE_MIN 384 /* elements from which tabulating the rescale pays (2 x 256 entries, 2 KiB of stack) */
#endif

/* Largest |MultiplyByQuantizedMultiplier(x, rq)| for |x| <= x_bound, rounded up. */
static int64_t scaled_bound(int64_t x_bound, int32_t multiplier, int32_t shift) {
  const int64_t m = multiplier < 0 ? -(int64_t)multiplier : multiplier;
  const int32_t right = shift > 0 ? 0 : -shift;
  return (((x_bound * m) >> 31) >> right) + 1;
}

static void input_rq(mcb_dsp_rq *rq, int32_t multiplier, int32_t shift, int32_t left_shift) {
  rq->bias = 0;
  rq->mult = multiplier;
  rq->shl = left_shift + 1;
  rq->shr = -shift;
  rq->half = rq->shr > 0 ? (int32_t)1 << (rq->shr - 1) : 0;
  rq->neg = rq->shr > 0 ? -1 : 0;
  rq->off = 0;
}

static int alias_ok(const int8_t *out, const int8_t *in, size_t n) { return out == in || !mcb__overlaps(out, n, in, n); }

MCB_DSP_INLINE void add_all(const mcb_add_params *p, const mcb_dsp_rq *r1, const mcb_dsp_rq *r2, const mcb_dsp_rq *ro,
                            const int8_t *a, const int8_t *b, int8_t *out, int32_t count, int folded, int full) {
  const int32_t off1 = p->input1_offset, off2 = p->input2_offset, lo = p->act_min, hi = p->act_max;
  int32_t i;
#pragma GCC unroll 4
  for (i = 0; i < count; ++i) {
    /* (x + offset) << left_shift, then the rescale: mcb_dsp_rq_apply's own shift carries left_shift. */
    const int32_t s1 = mcb_dsp_rq_apply(a[i] + off1, r1, 1);
    const int32_t s2 = mcb_dsp_rq_apply(b[i] + off2, r2, 1);
    out[i] = (int8_t)mcb_dsp_clamp(mcb_dsp_rq_apply(s1 + s2, ro, !folded), lo, hi, full);
  }
}

/* out = clamp(rq(sum2 / 2)); sum2 is the doubled rescaled sum (the table form). */
MCB_DSP_INLINE int8_t finish(int32_t sum2, const mcb_dsp_rq *rq, int folded, int32_t lo, int32_t hi, int full) {
  int32_t v;
  if (folded) {
    v = mcb_dsp_smmulr(sum2, rq->mult);
    v = (v + rq->half + (v >> 31)) >> rq->shr;
  } else {
    v = mcb_dsp_rq_apply(sum2 >> 1, rq, 1); /* sum2 is even: exact */
  }
  return (int8_t)mcb_dsp_clamp(v, lo, hi, full);
}

/* The common case (offset folded, full int8 range), two elements per iteration with every constant in a
 * register: 12 instructions an element. */
__attribute__((noinline)) static void add_tabled(const int32_t *t1, const int32_t *t2, const int8_t *in1, const int8_t *in2, int8_t *out,
                       int32_t count, int32_t mult, int32_t half, int32_t shr) {
  int32_t i = 0;
  for (; i + 2 <= count; i += 2) {
    const int32_t a0 = (uint8_t)in1[i], b0 = (uint8_t)in2[i], a1 = (uint8_t)in1[i + 1], b1 = (uint8_t)in2[i + 1];
    int32_t v0 = mcb_dsp_smmulr(t1[a0] + t2[b0], mult), v1 = mcb_dsp_smmulr(t1[a1] + t2[b1], mult);
    v0 = (v0 + half + (v0 >> 31)) >> shr;
    v1 = (v1 + half + (v1 >> 31)) >> shr;
    out[i] = (int8_t)__ssat(v0, 8);
    out[i + 1] = (int8_t)__ssat(v1, 8);
  }
  if (i < count) {
    int32_t v = mcb_dsp_smmulr(t1[(uint8_t)in1[i]] + t2[(uint8_t)in2[i]], mult);
    v = (v + half + (v >> 31)) >> shr;
    out[i] = (int8_t)__ssat(v, 8);
  }
}

typedef void add_fn(const mcb_add_params *p, const mcb_dsp_rq *r1, const mcb_dsp_rq *r2, const mcb_dsp_rq *ro,
                    const int8_t *a, const int8_t *b, int8_t *out, int32_t count);

/* Per (output offset folded into the rounding constant, full int8 range). */
#define ADD_VARIANT(name, folded, full)                                                                       \
  static void name(const mcb_add_params *p, const mcb_dsp_rq *r1, const mcb_dsp_rq *r2, const mcb_dsp_rq *ro, \
                   const int8_t *a, const int8_t *b, int8_t *out, int32_t count) {                            \
    add_all(p, r1, r2, ro, a, b, out, count, folded, full);                                                   \
  }
ADD_VARIANT(add_folded_full, 1, 1)
ADD_VARIANT(add_folded_range, 1, 0)
ADD_VARIANT(add_any_full, 0, 1)
ADD_VARIANT(add_any_range, 0, 0)

mcb_status mcb_add_s8_dsp(const mcb_add_params *params, const mcb_shape *shape1, const int8_t *input1,
                          const mcb_shape *shape2, const int8_t *input2, const mcb_shape *out_shape, int8_t *output) {
  mcb_dsp_rq r1, r2, ro;
  int64_t count, x_bound, sum_bound;
  if (mcb__add_s8_check_params(params) != MCB_OK || shape1 == NULL || shape2 == NULL || out_shape == NULL ||
      input1 == NULL || input2 == NULL || output == NULL) {
    return MCB_ERR_UNSUPPORTED;
  }
  count = mcb__shape_elements(out_shape);
  if (count > 0 && (!mcb__same_shape(shape1, out_shape) || !mcb__same_shape(shape2, out_shape))) {
    return mcb_add_s8_broadcast_dsp(params, shape1, input1, shape2, input2, out_shape, output); /* broadcasting */
  }
  if (count <= 0 || !mcb__same_shape(shape1, out_shape) || !mcb__same_shape(shape2, out_shape) ||
      !alias_ok(output, input1, (size_t)count) || !alias_ok(output, input2, (size_t)count)) {
    return MCB_ERR_UNSUPPORTED;
  }
  /* Inputs: (x + offset) << left_shift, |x + offset| <= 255 and left_shift <= 22 keep it below 2^30, then the
   * rescale's right shift (its shift is <= 0): SMMULR of the doubled value, so shl = left_shift + 1. */
  x_bound = (int64_t)255 << params->left_shift;
  input_rq(&r1, params->input1_multiplier, params->input1_shift, params->left_shift);
  input_rq(&r2, params->input2_multiplier, params->input2_shift, params->left_shift);
  sum_bound = scaled_bound(x_bound, params->input1_multiplier, params->input1_shift) +
              scaled_bound(x_bound, params->input2_multiplier, params->input2_shift);
  if (!mcb_dsp_rq_init(&ro, params->output_multiplier, params->output_shift, sum_bound)) {
    return MCB_ERR_UNSUPPORTED;
  }
  {
    const int folded = mcb_dsp_rq_fold_offset(&ro, params->output_offset);
    const int full = params->act_min == -128 && params->act_max == 127;
    add_fn *run = folded ? (full ? add_folded_full : add_folded_range) : (full ? add_any_full : add_any_range);
    if (count >= ADD_TABLE_MIN) {
      int32_t t1[256], t2[256], i;
      const int32_t lo = params->act_min, hi = params->act_max, n = (int32_t)count;
      for (i = -128; i < 128; ++i) {
        t1[i & 0xFF] = 2 * mcb_dsp_rq_apply(i + params->input1_offset, &r1, 1);
        t2[i & 0xFF] = 2 * mcb_dsp_rq_apply(i + params->input2_offset, &r2, 1);
      }
      if (folded && full) {
        add_tabled(t1, t2, input1, input2, output, n, ro.mult, ro.half, ro.shr);
      } else {
        for (i = 0; i < n; ++i) {
          output[i] = finish(t1[(uint8_t)input1[i]] + t2[(uint8_t)input2[i]], &ro, folded, lo, hi, 0);
        }
      }
      return MCB_OK;
    }
    run(params, &r1, &r2, &ro, input1, input2, output, (int32_t)count);
  }
  return MCB_OK;
}

#else
/* No DSP extension (host, Cortex-M0/M3): nothing to build; the typedef keeps the unit non-empty (ISO C). */
typedef int mcb_add_s8_dsp_needs_arm_dsp;
#endif /* __ARM_FEATURE_DSP */
