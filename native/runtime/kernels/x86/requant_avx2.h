/*
 * Exact AVX2 requantization for the x86 twins: eight lanes of TFLM's double-rounding
 * MultiplyByQuantizedMultiplier (mcb_multiply_by_quantized_multiplier in quant.c), per-lane
 * multiplier and shift, with identical results for every int32 input.
 *
 * Why it is exact: SaturatingRoundingDoublingHighMul is trunc((a*b + nudge) / 2^31) with nudge
 * 2^30 for a*b >= 0 and 1 - 2^30 otherwise. Turning the truncation into a floor adds 2^31 - 1 for
 * negative values, so both branches become floor((a*b + 2^30) / 2^31): one 64-bit add and a
 * logical right shift whose low 32 bits equal the arithmetic shift's. The only product that does
 * not fit (a == b == INT32_MIN) yields INT32_MIN there, a value no other product can give, and is
 * flipped to INT32_MAX.
 *
 * Host-only (x86); include only from files compiled for x86 and call only from avx2-targeted code.
 */
#ifndef MCB_REQUANT_AVX2_H
#define MCB_REQUANT_AVX2_H

#if defined(__x86_64__) || defined(__i386__)

#include <immintrin.h>
#include <stdint.h>

#include "mcb/types.h"

#define MCB_AVX2 __attribute__((target("avx2")))

/* Per-lane requantization constants for eight output channels. */
typedef struct mcb_requant8 {
  __m256i multiplier; /* Q31 multiplier */
  __m256i left;       /* max(shift, 0) */
  __m256i right;      /* max(-shift, 0) */
  __m256i mask;       /* (1 << right) - 1 */
  __m256i half;       /* mask >> 1 */
} mcb_requant8;

/* Scalar form of one lane's constants, stored per channel so a block loads with five loads. */
typedef struct mcb_requant_lane {
  int32_t multiplier, left, right, mask, half;
} mcb_requant_lane;

static inline void mcb_requant_lane_init(mcb_requant_lane *lane, int32_t multiplier, int32_t shift) {
  lane->multiplier = multiplier;
  lane->left = shift > 0 ? shift : 0;
  lane->right = shift > 0 ? 0 : -shift;
  lane->mask = (int32_t)(((int64_t)1 << lane->right) - 1);
  lane->half = lane->mask >> 1;
}

/* Gathers eight channels' constants (columns of a structure-of-arrays view). */
static inline MCB_AVX2 mcb_requant8 mcb_requant8_load(const int32_t *multiplier, const int32_t *left,
                                                      const int32_t *right, const int32_t *mask,
                                                      const int32_t *half) {
  mcb_requant8 r;
  r.multiplier = _mm256_loadu_si256((const __m256i *)multiplier);
  r.left = _mm256_loadu_si256((const __m256i *)left);
  r.right = _mm256_loadu_si256((const __m256i *)right);
  r.mask = _mm256_loadu_si256((const __m256i *)mask);
  r.half = _mm256_loadu_si256((const __m256i *)half);
  return r;
}

static inline MCB_AVX2 mcb_requant8 mcb_requant8_broadcast(const mcb_requant_lane *lane) {
  mcb_requant8 r;
  r.multiplier = _mm256_set1_epi32(lane->multiplier);
  r.left = _mm256_set1_epi32(lane->left);
  r.right = _mm256_set1_epi32(lane->right);
  r.mask = _mm256_set1_epi32(lane->mask);
  r.half = _mm256_set1_epi32(lane->half);
  return r;
}

/* Constants of output channels [ch, ch + n), n <= 8, from a per-channel or shared table (lanes past
 * n repeat channel ch; their results are dropped by the caller). */
static inline MCB_AVX2 mcb_requant8 mcb_requant8_table(const mcb_channel_quant *q, int32_t ch, int32_t n) {
  int32_t mult[8], shift[8];
  int32_t i;
  __m256i s, right, mask;
  mcb_requant8 r;
  for (i = 0; i < 8; ++i) {
    const int32_t qi = q->count == 1 ? 0 : ch + (i < n ? i : 0);
    mult[i] = q->multiplier[qi];
    shift[i] = q->shift[qi];
  }
  s = _mm256_loadu_si256((const __m256i *)shift);
  right = _mm256_max_epi32(_mm256_sub_epi32(_mm256_setzero_si256(), s), _mm256_setzero_si256());
  mask = _mm256_sub_epi32(_mm256_sllv_epi32(_mm256_set1_epi32(1), right), _mm256_set1_epi32(1));
  r.multiplier = _mm256_loadu_si256((const __m256i *)mult);
  r.left = _mm256_max_epi32(s, _mm256_setzero_si256());
  r.right = right;
  r.mask = mask;
  r.half = _mm256_srli_epi32(mask, 1);
  return r;
}

/* gemmlowp SaturatingRoundingDoublingHighMul, eight lanes. */
static inline MCB_AVX2 __m256i mcb_srdhm8(__m256i a, __m256i b) {
  const __m256i round = _mm256_set1_epi64x((int64_t)1 << 30);
  const __m256i even = _mm256_srli_epi64(_mm256_add_epi64(_mm256_mul_epi32(a, b), round), 31);
  const __m256i odd = _mm256_srli_epi64(
      _mm256_add_epi64(_mm256_mul_epi32(_mm256_srli_epi64(a, 32), _mm256_srli_epi64(b, 32)), round), 31);
  const __m256i r = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
  return _mm256_xor_si256(r, _mm256_cmpeq_epi32(r, _mm256_set1_epi32(INT32_MIN)));
}

/* gemmlowp RoundingDivideByPOT with a per-lane exponent (mask/half precomputed). */
static inline MCB_AVX2 __m256i mcb_rdbp8(__m256i x, __m256i exponent, __m256i mask, __m256i half) {
  const __m256i negative = _mm256_cmpgt_epi32(_mm256_setzero_si256(), x);
  const __m256i remainder = _mm256_and_si256(x, mask);
  const __m256i threshold = _mm256_sub_epi32(half, negative);
  return _mm256_sub_epi32(_mm256_srav_epi32(x, exponent), _mm256_cmpgt_epi32(remainder, threshold));
}

/* MultiplyByQuantizedMultiplier(acc), eight int32 lanes. */
static inline MCB_AVX2 __m256i mcb_mbqm8(__m256i acc, const mcb_requant8 *r) {
  const __m256i v = mcb_srdhm8(_mm256_sllv_epi32(acc, r->left), r->multiplier);
  return mcb_rdbp8(v, r->right, r->mask, r->half);
}

/* MultiplyByQuantizedMultiplier(acc) + output_offset, clamped to [lo, hi]: eight int32 lanes. */
static inline MCB_AVX2 __m256i mcb_requant8_apply(__m256i acc, const mcb_requant8 *r, __m256i output_offset,
                                                  __m256i lo, __m256i hi) {
  const __m256i v = _mm256_add_epi32(mcb_mbqm8(acc, r), output_offset);
  return _mm256_min_epi32(_mm256_max_epi32(v, lo), hi);
}

/* Eight int32 lanes already inside [-128, 127] to eight int8 bytes at dst. */
static inline MCB_AVX2 void mcb_store8_s8(int8_t *dst, __m256i v) {
  const __m128i w16 = _mm_packs_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  _mm_storel_epi64((__m128i *)dst, _mm_packs_epi16(w16, w16));
}

#endif /* x86 */
#endif /* MCB_REQUANT_AVX2_H */
