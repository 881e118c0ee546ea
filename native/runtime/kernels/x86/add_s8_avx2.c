/*
 * AVX2 twin of add_s8_ref.c (int8 ADD, TFLM AddFunc arithmetic), identical bytes: eight elements at
 * a time through the exact 8-lane MultiplyByQuantizedMultiplier of requant_avx2.h.
 *
 * Taken: both inputs with the output's shape (no broadcasting; residual connections), output either
 * disjoint from the inputs or equal to one of them (in-place case (c): each element is read before
 * its own slot is written, and never again).
 */
#if defined(__x86_64__) || defined(__i386__)

#include <string.h>

#include "../kernel_common.h"
#include "../op_checks.h"
#include "../twins.h"
#include "mcb/quant.h"
#include "requant_avx2.h"

/* Output may be an input exactly, or apart from both. */
static int alias_ok(const int8_t *out, const int8_t *in, size_t n) {
  return out == in || !mcb__overlaps(out, n, in, n);
}

static int8_t add_scalar(const mcb_add_params *p, int32_t a, int32_t b) {
  const int32_t x1 = (p->input1_offset + a) * (1 << p->left_shift);
  const int32_t x2 = (p->input2_offset + b) * (1 << p->left_shift);
  const int32_t s1 = mcb_multiply_by_quantized_multiplier(x1, p->input1_multiplier, p->input1_shift);
  const int32_t s2 = mcb_multiply_by_quantized_multiplier(x2, p->input2_multiplier, p->input2_shift);
  const int32_t raw =
      mcb_multiply_by_quantized_multiplier(s1 + s2, p->output_multiplier, p->output_shift) + p->output_offset;
  return (int8_t)mcb_clamp(raw, p->act_min, p->act_max);
}

static MCB_AVX2 mcb_requant8 requant_of(int32_t multiplier, int32_t shift) {
  mcb_requant_lane lane;
  mcb_requant_lane_init(&lane, multiplier, shift);
  return mcb_requant8_broadcast(&lane);
}

MCB_AVX2 mcb_status mcb_add_s8_avx2(const mcb_add_params *params, const mcb_shape *shape1, const int8_t *input1,
                                    const mcb_shape *shape2, const int8_t *input2, const mcb_shape *out_shape,
                                    int8_t *output) {
  int64_t count, i = 0;
  mcb_requant8 r1, r2, ro;
  __m256i off1, off2, out_off, lo, hi;
  __m128i left;
  if (mcb__add_s8_check_params(params) != MCB_OK || shape1 == NULL || shape2 == NULL || out_shape == NULL || input1 == NULL ||
      input2 == NULL || output == NULL) {
    return MCB_ERR_UNSUPPORTED;
  }
  count = mcb__shape_elements(out_shape);
  if (count <= 0 || mcb__shape_elements(shape1) != count || !mcb__same_shape(shape1, out_shape) ||
      !mcb__same_shape(shape2, out_shape) || !alias_ok(output, input1, (size_t)count) ||
      !alias_ok(output, input2, (size_t)count)) {
    return MCB_ERR_UNSUPPORTED;
  }
  r1 = requant_of(params->input1_multiplier, params->input1_shift);
  r2 = requant_of(params->input2_multiplier, params->input2_shift);
  ro = requant_of(params->output_multiplier, params->output_shift);
  off1 = _mm256_set1_epi32(params->input1_offset);
  off2 = _mm256_set1_epi32(params->input2_offset);
  out_off = _mm256_set1_epi32(params->output_offset);
  lo = _mm256_set1_epi32(params->act_min);
  hi = _mm256_set1_epi32(params->act_max);
  left = _mm_cvtsi32_si128(params->left_shift);
  for (; i + 8 <= count; i += 8) {
    const __m256i a = _mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(input1 + i)));
    const __m256i b = _mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(input2 + i)));
    const __m256i s1 = mcb_mbqm8(_mm256_sll_epi32(_mm256_add_epi32(a, off1), left), &r1);
    const __m256i s2 = mcb_mbqm8(_mm256_sll_epi32(_mm256_add_epi32(b, off2), left), &r2);
    mcb_store8_s8(output + i, mcb_requant8_apply(_mm256_add_epi32(s1, s2), &ro, out_off, lo, hi));
  }
  for (; i < count; ++i) {
    output[i] = add_scalar(params, input1[i], input2[i]);
  }
  return MCB_OK;
}

#else
/* Not x86 (firmware): nothing to build; the typedef keeps the translation unit non-empty (ISO C). */
typedef int mcb_add_s8_avx2_is_x86_only;
#endif /* x86 */
