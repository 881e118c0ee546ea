/*
 * mcb/quant.h — the fixed-point primitives the int8 kernels are built on,
 * matching TFLM's tensorflow/lite/kernels/internal/common.h (default build:
 * double rounding, TFLITE_SINGLE_ROUNDING not defined) and gemmlowp.
 * Exposed for tests and for the runtime; kernels use them internally.
 */
#ifndef MCB_QUANT_H
#define MCB_QUANT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* gemmlowp SaturatingRoundingDoublingHighMul: round(a * b / 2^31), nudged away
 * from zero on ties; the one overflow case a == b == INT32_MIN gives INT32_MAX. */
int32_t mcb_srdhm(int32_t a, int32_t b);

/* gemmlowp RoundingDivideByPOT: x / 2^exponent rounded half away from zero,
 * exponent in [0, 31]. */
int32_t mcb_rounding_divide_by_pot(int32_t x, int32_t exponent);

/* TFLM MultiplyByQuantizedMultiplier (int32 x): left shift for shift > 0,
 * SaturatingRoundingDoublingHighMul by multiplier, then RoundingDivideByPOT for
 * shift < 0. shift in [-31, 30]. */
int32_t mcb_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int32_t shift);

/* Clamp to [lo, hi]. */
int32_t mcb_clamp(int32_t v, int32_t lo, int32_t hi);

#ifdef __cplusplus
}
#endif

#endif /* MCB_QUANT_H */
