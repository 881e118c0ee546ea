/*
 * Cortex-M DSP twin of add_s8_ref.c (int8 ADD, TFLM AddFunc arithmetic), identical bytes.
 *
 * Each input's rescale ((offset + x) << left_shift, then MultiplyByQuantizedMultiplier with a shift <= 0)
 * depends on one int8 only: for a large tensor the twin tabulates it once per call (256 values per input,
 * stored doubled as SMMULR takes them), so an element costs two loads, two table loads, an add and the output
 * requantization (SMMULR, rounding, SSAT). Small tensors rescale each element directly. Every step is
 * mcb_dsp_rq_apply under the bound it proves exact (dsp.h).
 *
 * Taken: both inputs with the output's shape (no broadcasting: residual connections), output either apart
 * from the inputs or equal to one of them (in-place case (c): each element is read before its own slot is
 * written, and never again), left_shift <= 21. Everything else declines (MCB_ERR_UNSUPPORTED) before writing.
 */
#include "../twins.h"

#if defined(__ARM_FEATURE_DSP)

#include "../kernel_common.h"
#include "../op_checks.h"
#include "dsp.h"

#ifndef ADD_TABLE_MIN
#define ADD_TABLE_MIN 384 /* elements from which tabulating the rescale pays (2 x 256 entries, 2 KiB of stack) */
#endif

/* Output may be an input exactly, or apart from both. */
static int alias_ok(const int8_t *out, const int8_t *in, size_t n) {
  return out == in || !mcb__overlaps(out, n, in, n);
}

MCB_DSP_INLINE int32_t rescale(int32_t x, int32_t offset, int32_t left_shift, const mcb_dsp_rq *rq) {
  return mcb_dsp_rq_apply((int32_t)((uint32_t)(offset + x) << left_shift), rq, 1);
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

mcb_status mcb_add_s8_dsp(const mcb_add_params *params, const mcb_shape *shape1, const int8_t *input1,
                          const mcb_shape *shape2, const int8_t *input2, const mcb_shape *out_shape,
                          int8_t *output) {
  int64_t count64;
  int32_t count, i, bound1, bound2, lo, hi;
  int full, folded;
  mcb_dsp_rq r1, r2, ro;
  if (mcb__add_s8_check_params(params) != MCB_OK || shape1 == NULL || shape2 == NULL || out_shape == NULL ||
      input1 == NULL || input2 == NULL || output == NULL || params->left_shift > 21) {
    return MCB_ERR_UNSUPPORTED;
  }
  count64 = mcb__shape_elements(out_shape);
  if (count64 <= 0 || count64 > INT32_MAX || !mcb__same_shape(shape1, out_shape) ||
      !mcb__same_shape(shape2, out_shape) || !alias_ok(output, input1, (size_t)count64) ||
      !alias_ok(output, input2, (size_t)count64)) {
    return MCB_ERR_UNSUPPORTED;
  }
  count = (int32_t)count64;
  /* |offset + x| <= 255; a rescale with a shift <= 0 and multiplier < 2^31 never grows a value. */
  bound1 = 255 << params->left_shift;
  bound2 = bound1;
  if (!mcb_dsp_rq_init(&r1, params->input1_multiplier, params->input1_shift, bound1) ||
      !mcb_dsp_rq_init(&r2, params->input2_multiplier, params->input2_shift, bound2) ||
      !mcb_dsp_rq_init(&ro, params->output_multiplier, params->output_shift, (int64_t)bound1 + bound2)) {
    return MCB_ERR_UNSUPPORTED;
  }
  folded = mcb_dsp_rq_fold_offset(&ro, params->output_offset);
  lo = params->act_min;
  hi = params->act_max;
  full = lo == -128 && hi == 127;
  if (count >= ADD_TABLE_MIN) {
    int32_t t1[256], t2[256];
    for (i = -128; i < 128; ++i) {
      t1[i & 0xFF] = 2 * rescale(i, params->input1_offset, params->left_shift, &r1);
      t2[i & 0xFF] = 2 * rescale(i, params->input2_offset, params->left_shift, &r2);
    }
    if (folded && full) {
      add_tabled(t1, t2, input1, input2, output, count, ro.mult, ro.half, ro.shr);
    } else if (folded) {
      for (i = 0; i < count; ++i) {
        output[i] = finish(t1[(uint8_t)input1[i]] + t2[(uint8_t)input2[i]], &ro, 1, lo, hi, 0);
      }
    } else {
      for (i = 0; i < count; ++i) {
        output[i] = finish(t1[(uint8_t)input1[i]] + t2[(uint8_t)input2[i]], &ro, 0, lo, hi, 0);
      }
    }
    return MCB_OK;
  }
  for (i = 0; i < count; ++i) {
    const int32_t s = rescale(input1[i], params->input1_offset, params->left_shift, &r1) +
                      rescale(input2[i], params->input2_offset, params->left_shift, &r2);
    output[i] = finish(2 * s, &ro, folded, lo, hi, 0);
  }
  return MCB_OK;
}

#else
/* Not a DSP-extension target: nothing to build; the typedef keeps the translation unit non-empty (ISO C). */
typedef int mcb_add_s8_dsp_unused;
#endif
