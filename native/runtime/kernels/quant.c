/*
 * Fixed-point primitives, matching TFLM common.cc (double-rounding build) and
 * gemmlowp fixedpoint.h. Signed overflow is avoided by doing wrapping steps in
 * unsigned arithmetic; right shifts of negative values rely on the arithmetic
 * shift every supported compiler (gcc, clang, arm-none-eabi-gcc) performs.
 */
#include "mcb/quant.h"

int32_t mcb_srdhm(int32_t a, int32_t b) {
  if (a == INT32_MIN && b == INT32_MIN) {
    return INT32_MAX; /* the one product that does not fit */
  }
  {
    const int64_t ab = (int64_t)a * (int64_t)b;
    /* Round half away from zero before the truncating division by 2^31. */
    const int64_t nudge = ab >= 0 ? (int64_t)(1 << 30) : (int64_t)(1 - (1 << 30));
    return (int32_t)((ab + nudge) / ((int64_t)1 << 31));
  }
}

int32_t mcb_rounding_divide_by_pot(int32_t x, int32_t exponent) {
  const int32_t mask = (int32_t)(((int64_t)1 << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

int32_t mcb_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int32_t shift) {
  const int32_t left_shift = shift > 0 ? shift : 0;
  const int32_t right_shift = shift > 0 ? 0 : -shift;
  /* TFLM computes x * (1 << left_shift) in int32; it wraps on real hardware. */
  const int32_t shifted = (int32_t)((uint32_t)x << left_shift);
  return mcb_rounding_divide_by_pot(mcb_srdhm(shifted, multiplier), right_shift);
}

int32_t mcb_clamp(int32_t v, int32_t lo, int32_t hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}
