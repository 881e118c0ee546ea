/*
 * AVX2 twin of leaky_relu_s8_ref.c (int8 LEAKY_RELU, TFLM QuantizeLeakyRelu), identical bytes: eight
 * elements at a time, both rescalings computed with the exact 8-lane MultiplyByQuantizedMultiplier of
 * requant_avx2.h and the one the sign of x - input_zero_point picks kept.
 *
 * Taken: every call the reference accepts whose zero points lie in [-128, 127] (real int8 tensors),
 * in place (output == input) included: each group of eight is read before it is written.
 */
#if defined(__x86_64__) || defined(__i386__)

#include "../kernel_common.h"
#include "../op_checks.h"
#include "../twins.h"
#include "mcb/quant.h"
#include "requant_avx2.h"

/* Beyond the shared check: zero points inside int8, which the 8-lane path relies on. */
static int zero_points_fit(const mcb_leaky_relu_params *p) {
  return p->input_zero_point >= -128 && p->input_zero_point <= 127 && p->output_zero_point >= -128 &&
         p->output_zero_point <= 127;
}

static int8_t leaky_scalar(const mcb_leaky_relu_params *p, int32_t alpha_multiplier, int alpha_negative, int8_t in) {
  const int32_t x = in - p->input_zero_point;
  int32_t y = p->output_zero_point;
  if (x >= 0) {
    y += mcb_multiply_by_quantized_multiplier(x, p->output_multiplier_identity, p->output_shift_identity);
  } else {
    const int32_t scaled = mcb_multiply_by_quantized_multiplier(x, alpha_multiplier, p->output_shift_alpha);
    y += alpha_negative ? -scaled : scaled;
  }
  return (int8_t)mcb_clamp(y, -128, 127);
}

MCB_AVX2 mcb_status mcb_leaky_relu_s8_avx2(const mcb_leaky_relu_params *params, const int8_t *input, int8_t *output,
                                           int32_t count) {
  mcb_requant_lane lane;
  mcb_requant8 identity, alpha;
  __m256i in_zp, out_zp, lo, hi, alpha_sign;
  int32_t alpha_multiplier, i = 0;
  int alpha_negative;
  if (mcb__leaky_relu_s8_check(params, input, output, count) != MCB_OK || !zero_points_fit(params)) {
    return MCB_ERR_UNSUPPORTED;
  }
  alpha_negative = params->output_multiplier_alpha < 0;
  alpha_multiplier = alpha_negative ? -params->output_multiplier_alpha : params->output_multiplier_alpha;
  mcb_requant_lane_init(&lane, params->output_multiplier_identity, params->output_shift_identity);
  identity = mcb_requant8_broadcast(&lane);
  mcb_requant_lane_init(&lane, alpha_multiplier, params->output_shift_alpha);
  alpha = mcb_requant8_broadcast(&lane);
  in_zp = _mm256_set1_epi32(params->input_zero_point);
  out_zp = _mm256_set1_epi32(params->output_zero_point);
  lo = _mm256_set1_epi32(-128);
  hi = _mm256_set1_epi32(127);
  alpha_sign = _mm256_set1_epi32(alpha_negative ? -1 : 0); /* (v ^ -1) - (-1) == -v */
  for (; i + 8 <= count; i += 8) {
    const __m256i x = _mm256_sub_epi32(_mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(input + i))), in_zp);
    const __m256i negative = _mm256_cmpgt_epi32(_mm256_setzero_si256(), x);
    const __m256i pos = mcb_mbqm8(x, &identity);
    const __m256i neg = _mm256_sub_epi32(_mm256_xor_si256(mcb_mbqm8(x, &alpha), alpha_sign), alpha_sign);
    const __m256i y = _mm256_add_epi32(_mm256_blendv_epi8(pos, neg, negative), out_zp);
    mcb_store8_s8(output + i, _mm256_min_epi32(_mm256_max_epi32(y, lo), hi));
  }
  for (; i < count; ++i) {
    output[i] = leaky_scalar(params, alpha_multiplier, alpha_negative, input[i]);
  }
  return MCB_OK;
}

#else
/* Not x86 (firmware): nothing to build; the typedef keeps the translation unit non-empty (ISO C). */
typedef int mcb_leaky_relu_s8_avx2_is_x86_only;
#endif /* x86 */
