/*
 * AVX2 twin of fully_connected_s8_ref.c (int8 FULLY_CONNECTED), identical bytes.
 *
 * Each batch row becomes x + input_offset as int16 (zero-padded to a multiple of 16); each output is
 * the exact int32 dot product with the filter row plus filter_offset (per-tensor quantization only,
 * as the reference), both operands within [-255, 255] so every _mm256_madd_epi16 pair sum fits
 * int32. Four output channels per pass, requantization eight at a time (requant_avx2.h, exact).
 *
 * Taken: accum_depth up to MAX_DEPTH, every call the reference accepts.
 */
#if defined(__x86_64__) || defined(__i386__)

#include <string.h>

#include "../kernel_common.h"
#include "../op_checks.h"
#include "../twins.h"
#include "mcb/quant.h"
#include "requant_avx2.h"

#define MAX_DEPTH 8192 /* longest input row held as int16 on the stack (16 KiB) */

/* Filter row oc + filter_offset, 16 values from k, as int16; `last` reads a zero-padded copy of the
 * final partial step so nothing past the row (or the filter buffer) is read. */
static MCB_AVX2 __m256i weights16(const int8_t *row, int32_t k, int32_t depth, __m256i filter_offset) {
  int8_t tail[16];
  const int8_t *src = row + k;
  if (k + 16 > depth) {
    memset(tail, 0, sizeof(tail));
    memcpy(tail, src, (size_t)(depth - k));
    src = tail;
  }
  return _mm256_add_epi16(_mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)src)), filter_offset);
}

static MCB_AVX2 __m128i sum4(__m256i a, __m256i b, __m256i c, __m256i d) {
  const __m256i g = _mm256_hadd_epi32(_mm256_hadd_epi32(a, b), _mm256_hadd_epi32(c, d));
  return _mm_add_epi32(_mm256_castsi256_si128(g), _mm256_extracti128_si256(g, 1));
}

/* Accumulators of output channels [oc, oc + 4) (rows past out_depth read row 0 and are dropped). */
static MCB_AVX2 __m128i dot4(const int8_t *filter, int32_t oc, int32_t out_depth, int32_t depth,
                             const int16_t *x, __m256i filter_offset) {
  __m256i acc[4];
  int32_t i, k;
  for (i = 0; i < 4; ++i) {
    const int8_t *row = filter + (int64_t)(oc + i < out_depth ? oc + i : 0) * depth;
    acc[i] = _mm256_setzero_si256();
    for (k = 0; k < depth; k += 16) {
      acc[i] = _mm256_add_epi32(acc[i], _mm256_madd_epi16(weights16(row, k, depth, filter_offset),
                                                          _mm256_loadu_si256((const __m256i *)(x + k))));
    }
  }
  return sum4(acc[0], acc[1], acc[2], acc[3]);
}

MCB_AVX2 mcb_status mcb_fully_connected_s8_avx2(const mcb_fully_connected_params *params,
                                                const mcb_channel_quant *quant, const int8_t *input, int32_t batches,
                                                int32_t accum_depth, const int8_t *filter, int32_t out_depth,
                                                const int32_t *bias, int8_t *output) {
  int16_t x[MAX_DEPTH];
  __m256i filter_offset, out_off, lo, hi;
  int32_t b, oc, k;
  if (mcb__fully_connected_s8_check(params, quant, input, batches, accum_depth, filter, out_depth, output) !=
          MCB_OK ||
      accum_depth > MAX_DEPTH) {
    return MCB_ERR_UNSUPPORTED;
  }
  filter_offset = _mm256_set1_epi16((int16_t)(quant->count == 1 ? params->filter_offset : 0));
  out_off = _mm256_set1_epi32(params->output_offset);
  lo = _mm256_set1_epi32(params->act_min);
  hi = _mm256_set1_epi32(params->act_max);
  for (b = 0; b < batches; ++b) {
    const int8_t *row = input + (int64_t)b * accum_depth;
    for (k = 0; k < accum_depth; ++k) {
      x[k] = (int16_t)(row[k] + params->input_offset);
    }
    for (; k % 16 != 0; ++k) {
      x[k] = 0;
    }
    for (oc = 0; oc < out_depth; oc += 8) {
      const int32_t n = out_depth - oc < 8 ? out_depth - oc : 8;
      int32_t bias8[8] = {0, 0, 0, 0, 0, 0, 0, 0};
      const mcb_requant8 rq = mcb_requant8_table(quant, oc, n);
      __m256i acc;
      int8_t out8[8];
      if (bias != NULL) {
        memcpy(bias8, bias + oc, (size_t)n * sizeof(int32_t));
      }
      acc = _mm256_set_m128i(dot4(filter, oc + 4, out_depth, accum_depth, x, filter_offset),
                             dot4(filter, oc, out_depth, accum_depth, x, filter_offset));
      acc = _mm256_add_epi32(acc, _mm256_loadu_si256((const __m256i *)bias8));
      mcb_store8_s8(out8, mcb_requant8_apply(acc, &rq, out_off, lo, hi));
      memcpy(output + (int64_t)b * out_depth + oc, out8, (size_t)n);
    }
  }
  return MCB_OK;
}

#else
/* Not x86 (firmware): nothing to build; the typedef keeps the translation unit non-empty (ISO C). */
typedef int mcb_fully_connected_s8_avx2_is_x86_only;
#endif /* x86 */
