/*
 * Cortex-M DSP-extension building blocks of the arm/ twins: ACLE intrinsics (arm_acle.h) plus the three
 * instructions GCC 12 has no intrinsic or pattern for (SXTB16 / SXTAB16 with ROR #8, SMMULR), and the exact
 * fast requantization.
 *
 * Requantization. TFLM's MultiplyByQuantizedMultiplier (double rounding) is
 *   RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x << left, M), right).
 * SRDHM(x, M) = (x*M + 2^30) >> 31 for every sign (the truncating division of TFLM's nudged product equals
 * this floor), which is SMMULR(2x, M) = (2x*M + 2^31) >> 32 whenever 2x fits in int32: callers guarantee
 * |x << left| < 2^30 from a bound on the accumulator (mcb_dsp_rq_init refuses otherwise), which also rules out
 * SRDHM's one saturating case. RoundingDivideByPOT(v, e) for e >= 1 rounds half away from zero:
 *   (v + 2^(e-1) + (v < 0 ? -1 : 0)) >> e  (arithmetic shift).
 * e == 0 (a multiplier with a non-negative shift) needs the identity instead: mcb_dsp_rq_apply's any_shift
 * variant, one instruction more, which a twin uses only for calls with such a channel.
 */
#ifndef MCB_KERNELS_ARM_DSP_H
#define MCB_KERNELS_ARM_DSP_H

#if defined(__ARM_FEATURE_DSP)

#include <arm_acle.h>
#include <stdint.h>
#include <string.h>

/* Bytes 1 and 3 of x sign-extended into the two halves. */
static inline int32_t mcb_dsp_sxtb16_ror8(int32_t x) {
  int32_t r;
  __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));
  return r;
}

/* a + bytes 1 and 3 of x sign-extended, per half. */
static inline int32_t mcb_dsp_sxtab16_ror8(int32_t a, int32_t x) {
  int32_t r;
  __asm__("sxtab16 %0, %1, %2, ror #8" : "=r"(r) : "r"(a), "r"(x));
  return r;
}

/* [a b] as the two halves (low, high) of a word. */
static inline int32_t mcb_dsp_pkhbt16(int32_t lo, int32_t hi) {
  int32_t r;
  __asm__("pkhbt %0, %1, %2, lsl #16" : "=r"(r) : "r"(lo), "r"(hi));
  return r;
}

/* (a * b + 2^31) >> 32. */
static inline int32_t mcb_dsp_smmulr(int32_t a, int32_t b) {
  int32_t r;
  __asm__("smmulr %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
  return r;
}

/* Four int8 from any address (LDR allows unaligned access on ARMv7-M). */
static inline int32_t mcb_dsp_load4(const int8_t *p) {
  int32_t v;
  memcpy(&v, p, 4);
  return v;
}

static inline void mcb_dsp_store4(int8_t *p, int32_t v) { memcpy(p, &v, 4); }

#define MCB_DSP_INLINE static inline __attribute__((always_inline))

/* Sum of |w| over n int8 values: with |x + input offset| <= 255, 255 times it bounds a channel's accumulator
 * more tightly than n * 128 * 255, for channels whose multiplier needs a left shift. */
static inline int64_t mcb_dsp_abs_sum(const int8_t *w, int32_t n) {
  int64_t sum = 0;
  int32_t i;
  for (i = 0; i < n; ++i) sum += w[i] < 0 ? -w[i] : w[i];
  return sum;
}

/* One channel's requantization, prepared for mcb_dsp_rq_apply. */
typedef struct mcb_dsp_rq {
  int32_t bias; /* the channel's bias (0 without one), kept beside its constants */
  int32_t mult;
  int32_t shl;  /* left shift + 1: SMMULR takes the doubled operand */
  int32_t half; /* 2^(right shift - 1), 0 without a right shift */
  int32_t shr;  /* right shift */
  int32_t neg;  /* -1 with a right shift (negative values round their tie down), else 0 */
  int32_t off;  /* output offset not folded into half (mcb_dsp_rq_fold_offset) */
} mcb_dsp_rq;

/* Prepares (multiplier, shift) for accumulators with |acc| <= acc_bound; 0 when the fast path cannot
 * reproduce TFLM exactly (then the caller declines). */
static inline int mcb_dsp_rq_init(mcb_dsp_rq *rq, int32_t multiplier, int32_t shift, int64_t acc_bound) {
  const int32_t left = shift > 0 ? shift : 0;
  const int32_t right = shift > 0 ? 0 : -shift;
  if (right > 31 || left > 30 || acc_bound < 0 || acc_bound >= ((int64_t)1 << (30 - left))) {
    return 0;
  }
  rq->bias = 0;
  rq->mult = multiplier;
  rq->shl = left + 1;
  rq->half = right > 0 ? (int32_t)1 << (right - 1) : 0;
  rq->shr = right;
  rq->neg = right > 0 ? -1 : 0;
  rq->off = 0;
  return 1;
}

/* Adds the output offset into the rounding constant: (v + half + sign + (offset << shr)) >> shr equals
 * ((v + half + sign) >> shr) + offset exactly, and saves an instruction per output. Returns 0, leaving `off`
 * for mcb_dsp_rq_apply's any_shift variant to add, when the shifted offset could overflow (|v| < 2^30). */
static inline int mcb_dsp_rq_fold_offset(mcb_dsp_rq *rq, int32_t offset) {
  if (rq->shr == 0 || rq->shr > 21) {
    rq->off = offset;
    return 0;
  }
  rq->half += (int32_t)((uint32_t)offset << rq->shr);
  rq->off = 0;
  return 1;
}

/* MultiplyByQuantizedMultiplier(acc, multiplier, shift) + output offset, bit-exact under mcb_dsp_rq_init's
 * bound, for channels whose offset mcb_dsp_rq_fold_offset folded; any_shift (two instructions more) for every
 * channel. */
MCB_DSP_INLINE int32_t mcb_dsp_rq_apply(int32_t acc, const mcb_dsp_rq *rq, int any_shift) {
  const int32_t v = mcb_dsp_smmulr((int32_t)((uint32_t)acc << rq->shl), rq->mult);
  if (any_shift) {
    return ((v + rq->half + ((v >> 31) & rq->neg)) >> rq->shr) + rq->off;
  }
  return (v + rq->half + (v >> 31)) >> rq->shr;
}

/* Clamps a requantized value plus output offset into [lo, hi] (both inside int8); `full`: the range is
 * [-128, 127], one SSAT. */
MCB_DSP_INLINE int32_t mcb_dsp_clamp(int32_t v, int32_t lo, int32_t hi, int full) {
  v = __ssat(v, 8);
  if (full) {
    return v;
  }
  v = v < lo ? lo : v;
  return v > hi ? hi : v;
}

#endif /* __ARM_FEATURE_DSP */

#endif /* MCB_KERNELS_ARM_DSP_H */
