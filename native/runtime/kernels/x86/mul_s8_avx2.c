/*
 * AVX2 twin of mul_s8_ref.c (int8 MUL, TFLM MulElementwise / BroadcastMul), identical bytes: eight
 * elements at a time, (x1 + offset1) * (x2 + offset2) exact in int32 (|each| <= 255), then the exact
 * 8-lane MultiplyByQuantizedMultiplier of requant_avx2.h.
 *
 * Taken: both inputs with the output's shape, or one with the output's shape and the other a vector
 * over the innermost dimension only ([1, ..., 1, C], e.g. squeeze-and-excitation scales); the output
 * either apart from the inputs or equal to the full-shape one (in place).
 */
#if defined(__x86_64__) || defined(__i386__)

#include <string.h>

#include "../kernel_common.h"
#include "../op_checks.h"
#include "../twins.h"
#include "mcb/quant.h"
#include "requant_avx2.h"

/* 1 when `v` is [1, ..., 1, c] with rank <= out rank (it then broadcasts over every other dim). */
static int is_channel_vector(const mcb_shape *v, const mcb_shape *out, int32_t c) {
  int32_t d;
  if (v->rank < 1 || v->rank > out->rank || v->dims[v->rank - 1] != c) {
    return 0;
  }
  for (d = 0; d + 1 < v->rank; ++d) {
    if (v->dims[d] != 1) {
      return 0;
    }
  }
  return 1;
}

static int8_t mul_scalar(const mcb_mul_params *p, int32_t a, int32_t b) {
  const int32_t prod = (p->input1_offset + a) * (p->input2_offset + b);
  const int32_t raw = mcb_multiply_by_quantized_multiplier(prod, p->output_multiplier, p->output_shift) +
                      p->output_offset;
  return (int8_t)mcb_clamp(raw, p->act_min, p->act_max);
}

MCB_AVX2 mcb_status mcb_mul_s8_avx2(const mcb_mul_params *params, const mcb_shape *shape1, const int8_t *input1,
                                    const mcb_shape *shape2, const int8_t *input2, const mcb_shape *out_shape,
                                    int8_t *output) {
  int64_t count, row, rows;
  int32_t c, i;
  int same, vector1 = 0, vector2 = 0;
  const int8_t *full, *other;
  mcb_requant_lane lane;
  mcb_requant8 rq;
  __m256i off_full, off_other, out_off, lo, hi;
  if (mcb__mul_s8_check_params(params) != MCB_OK || shape1 == NULL || shape2 == NULL || out_shape == NULL || input1 == NULL ||
      input2 == NULL || output == NULL) {
    return MCB_ERR_UNSUPPORTED;
  }
  count = mcb__shape_elements(out_shape);
  if (count <= 0 || mcb__shape_elements(shape1) <= 0 || mcb__shape_elements(shape2) <= 0) {
    return MCB_ERR_UNSUPPORTED;
  }
  c = out_shape->dims[out_shape->rank - 1];
  same = mcb__same_shape(shape1, out_shape) && mcb__same_shape(shape2, out_shape);
  if (!same) {
    vector2 = mcb__same_shape(shape1, out_shape) && is_channel_vector(shape2, out_shape, c);
    vector1 = !vector2 && mcb__same_shape(shape2, out_shape) && is_channel_vector(shape1, out_shape, c);
    if (!vector1 && !vector2) {
      return MCB_ERR_UNSUPPORTED;
    }
  }
  full = vector1 ? input2 : input1;
  other = vector1 ? input1 : input2;
  /* Output equal to a full-shape input or apart from it; always apart from a vector input. */
  if ((output != full && mcb__overlaps(output, (size_t)count, full, (size_t)count)) ||
      (same ? (output != other && mcb__overlaps(output, (size_t)count, other, (size_t)count))
            : mcb__overlaps(output, (size_t)count, other, (size_t)c))) {
    return MCB_ERR_UNSUPPORTED;
  }
  mcb_requant_lane_init(&lane, params->output_multiplier, params->output_shift);
  rq = mcb_requant8_broadcast(&lane);
  off_full = _mm256_set1_epi32(vector1 ? params->input2_offset : params->input1_offset);
  off_other = _mm256_set1_epi32(vector1 ? params->input1_offset : params->input2_offset);
  out_off = _mm256_set1_epi32(params->output_offset);
  lo = _mm256_set1_epi32(params->act_min);
  hi = _mm256_set1_epi32(params->act_max);
  /* Same shapes: one row of `count`; vector: rows of c, the vector reused by each. */
  rows = same ? 1 : count / c;
  if (same) {
    c = (int32_t)count;
  }
  for (row = 0; row < rows; ++row) {
    const int8_t *a_row = full + row * c;
    const int8_t *b_row = other;
    int8_t *o_row = output + row * c;
    for (i = 0; i + 8 <= c; i += 8) {
      const __m256i a = _mm256_add_epi32(_mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(a_row + i))), off_full);
      const __m256i b = _mm256_add_epi32(_mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(b_row + i))), off_other);
      mcb_store8_s8(o_row + i, mcb_requant8_apply(_mm256_mullo_epi32(a, b), &rq, out_off, lo, hi));
    }
    for (; i < c; ++i) {
      o_row[i] = vector1 ? mul_scalar(params, b_row[i], a_row[i]) : mul_scalar(params, a_row[i], b_row[i]);
    }
  }
  return MCB_OK;
}

#else
/* Not x86 (firmware): nothing to build; the typedef keeps the translation unit non-empty (ISO C). */
typedef int mcb_mul_s8_avx2_is_x86_only;
#endif /* x86 */
