/*
 * Cortex-M DSP twin of mean_s8_ref.c (int8 MEAN, TFLM QuantizedMeanOrSum), identical bytes.
 *
 * The input is seen as [outer, reduced, inner] (the reduced dims one contiguous block, as the global average
 * pool's H,W of NHWC are). With inner >= 4, four channels at a time: each reduced position is one LDR whose
 * bytes SXTAB16 adds into two packed int16 pairs, emptied into int32 sums every 256 positions (an int16 half
 * holds 256 x -128 exactly). Reducing the innermost dims (inner == 1) sums contiguous bytes four at a time the
 * same way. 1/count is folded into the multiplier exactly as the reference does, and each output requantized
 * with the portable MultiplyByQuantizedMultiplier (one per output; the sums dominate).
 *
 * Taken: every call the reference accepts whose reduced dims are contiguous. Everything else declines
 * (MCB_ERR_UNSUPPORTED) before writing.
 */
#include "../twins.h"

#if defined(__ARM_FEATURE_DSP)

#include "../kernel_common.h"
#include "dsp.h"
#include "mcb/quant.h"

#define PACKED_TERMS 256 /* values an int16 half sums without overflow */

/* Sum of n values `stride` bytes apart, four neighbouring columns at once (sums[0..3]). */
static void sum4(const int8_t *p, int32_t n, int32_t stride, int32_t sums[4]) {
  int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  while (n > 0) {
    const int32_t m = n < PACKED_TERMS ? n : PACKED_TERMS;
    int32_t even = 0, odd = 0, k;
    for (k = 0; k < m; ++k, p += stride) {
      const int32_t v = mcb_dsp_load4(p);
      even = __sxtab16(even, v);
      odd = mcb_dsp_sxtab16_ror8(odd, v);
    }
    s0 += (int16_t)even;
    s2 += even >> 16;
    s1 += (int16_t)odd;
    s3 += odd >> 16;
    n -= m;
  }
  sums[0] = s0;
  sums[1] = s1;
  sums[2] = s2;
  sums[3] = s3;
}

/* Sum of n contiguous values. */
static int32_t sum_run(const int8_t *p, int32_t n) {
  int32_t sums[4], s = 0, k;
  const int32_t words = n >> 2;
  sum4(p, words, 4, sums);
  for (k = 4 * words; k < n; ++k) s += p[k];
  return s + sums[0] + sums[1] + sums[2] + sums[3];
}

static int32_t floor_log2(int64_t v) {
  int32_t n = -1;
  while (v != 0) {
    v >>= 1;
    ++n;
  }
  return n;
}

mcb_status mcb_mean_s8_dsp(const mcb_mean_params *params, const mcb_shape *in_shape, const int8_t *input,
                           int8_t *output) {
  int64_t n_in;
  int32_t d, d0 = -1, d1 = -1, outer = 1, reduced = 1, inner = 1, multiplier, shift, log2_count, o, i;
  if (params == NULL || input == NULL || output == NULL || in_shape == NULL) {
    return MCB_ERR_UNSUPPORTED;
  }
  n_in = mcb__shape_elements(in_shape);
  if (n_in == 0 || params->axis_mask == 0 || (params->axis_mask >> in_shape->rank) != 0 ||
      params->multiplier < 0 || params->shift < -31 || params->shift > 30 || params->input_zero_point < -128 ||
      params->input_zero_point > 127 || params->output_zero_point < -128 || params->output_zero_point > 127) {
    return MCB_ERR_UNSUPPORTED;
  }
  for (d = 0; d < in_shape->rank; ++d) {
    if (params->axis_mask & (1u << d)) {
      if (d0 < 0) d0 = d;
      else if (d != d1) return MCB_ERR_UNSUPPORTED; /* not one contiguous block */
      d1 = d + 1;
      reduced *= in_shape->dims[d];
    } else if (d0 < 0) {
      outer *= in_shape->dims[d];
    } else {
      inner *= in_shape->dims[d];
    }
  }
  if (mcb__overlaps(output, (size_t)outer * (size_t)inner, input, (size_t)n_in)) {
    return MCB_ERR_UNSUPPORTED;
  }
  log2_count = floor_log2(reduced);
  if (log2_count > 31 + params->shift) log2_count = 31 + params->shift;
  multiplier = (int32_t)(((int64_t)params->multiplier << log2_count) / reduced);
  shift = params->shift - log2_count;
  for (o = 0; o < outer; ++o) {
    const int8_t *base = input + o * reduced * inner;
    int8_t *dst = output + o * inner;
    i = 0;
    if (inner == 1) {
      int32_t s = sum_run(base, reduced);
      s = (int32_t)((uint32_t)s - (uint32_t)((int64_t)params->input_zero_point * reduced));
      dst[0] = (int8_t)mcb_clamp(mcb_multiply_by_quantized_multiplier(s, multiplier, shift) + params->output_zero_point,
                                 -128, 127);
      continue;
    }
    for (; i < inner; i += 4) {
      int32_t sums[4], k;
      const int32_t lanes = inner - i < 4 ? inner - i : 4;
      if (lanes == 4) {
        sum4(base + i, reduced, inner, sums);
      } else {
        for (k = 0; k < lanes; ++k) {
          int32_t r, s = 0;
          for (r = 0; r < reduced; ++r) s += base[r * inner + i + k];
          sums[k] = s;
        }
      }
      for (k = 0; k < lanes; ++k) {
        const int32_t s = (int32_t)((uint32_t)sums[k] - (uint32_t)((int64_t)params->input_zero_point * reduced));
        dst[i + k] = (int8_t)mcb_clamp(
            mcb_multiply_by_quantized_multiplier(s, multiplier, shift) + params->output_zero_point, -128, 127);
      }
    }
  }
  return MCB_OK;
}

#else
/* Not a DSP-extension target: nothing to build; the typedef keeps the translation unit non-empty (ISO C). */
typedef int mcb_mean_s8_dsp_unused;
#endif
