/* Fixed-point primitives: hand-derived values pinning TFLM/gemmlowp rounding. */
#include "mcb/quant.h"
#include "test_util.h"

int main(void) {
  /* SaturatingRoundingDoublingHighMul. */
  CHECK_EQ(mcb_srdhm(INT32_MIN, INT32_MIN), INT32_MAX); /* the only overflow */
  /* -2^31 * (2^31-1) / 2^31 = -2147483647.5 -> -2147483647 (ties toward +inf via the nudge). */
  CHECK_EQ(mcb_srdhm(INT32_MIN, INT32_MAX), -2147483647);
  CHECK_EQ(mcb_srdhm(1 << 30, 1 << 30), 1 << 29);           /* 0.5 * 0.5 */
  CHECK_EQ(mcb_srdhm(3, 1 << 30), 2);                       /* 1.5 -> 2 */
  CHECK_EQ(mcb_srdhm(-3, 1 << 30), -1);                     /* -1.5 -> -1: ties go up */
  CHECK_EQ(mcb_srdhm(-5, 1 << 30), -2);                     /* -2.5 -> -2 */
  CHECK_EQ(mcb_srdhm(0, INT32_MIN), 0);

  /* RoundingDivideByPOT: ties away from zero. */
  CHECK_EQ(mcb_rounding_divide_by_pot(3, 1), 2);   /* 1.5 -> 2 */
  CHECK_EQ(mcb_rounding_divide_by_pot(-3, 1), -2); /* -1.5 -> -2 */
  CHECK_EQ(mcb_rounding_divide_by_pot(-5, 2), -1); /* -1.25 -> -1 */
  CHECK_EQ(mcb_rounding_divide_by_pot(-6, 2), -2); /* -1.5 -> -2 */
  CHECK_EQ(mcb_rounding_divide_by_pot(-7, 2), -2); /* -1.75 -> -2 */
  CHECK_EQ(mcb_rounding_divide_by_pot(5, 2), 1);   /* 1.25 -> 1 */
  CHECK_EQ(mcb_rounding_divide_by_pot(6, 2), 2);   /* 1.5 -> 2 */
  CHECK_EQ(mcb_rounding_divide_by_pot(-77, 0), -77);
  CHECK_EQ(mcb_rounding_divide_by_pot(INT32_MIN, 31), -1);
  CHECK_EQ(mcb_rounding_divide_by_pot(INT32_MAX, 31), 1); /* 0.99999... -> 1 */
  CHECK_EQ(mcb_rounding_divide_by_pot(1 << 30, 31), 1);   /* exactly 0.5 -> 1 */
  CHECK_EQ(mcb_rounding_divide_by_pot(-(1 << 30), 31), -1);

  /* MultiplyByQuantizedMultiplier = RDBPOT(SRDHM(x << left, m), right): double rounding. */
  CHECK_EQ(mcb_multiply_by_quantized_multiplier(100, 1 << 30, 0), 50);
  CHECK_EQ(mcb_multiply_by_quantized_multiplier(-3, 1 << 30, 0), -1);  /* -1.5 via SRDHM -> -1 */
  CHECK_EQ(mcb_multiply_by_quantized_multiplier(-6, 1 << 30, -1), -2); /* -1.5 via RDBPOT -> -2 */
  CHECK_EQ(mcb_multiply_by_quantized_multiplier(-3, 1 << 30, 1), -3);  /* x2 * 0.5 */
  CHECK_EQ(mcb_multiply_by_quantized_multiplier(7, 1 << 30, 3), 28);   /* 7 * 4 */
  /* 0.75 * 2^-31 * 1000 = 3.49e-7 -> 0. */
  CHECK_EQ(mcb_multiply_by_quantized_multiplier(1000, 1610612736, -31), 0);
  /* 1000 * 0.75 = 750 */
  CHECK_EQ(mcb_multiply_by_quantized_multiplier(1000, 1610612736, 0), 750);
  CHECK_EQ(mcb_clamp(200, -128, 127), 127);
  CHECK_EQ(mcb_clamp(-200, -128, 127), -128);
  CHECK(strcmp(mcb_status_name(MCB_ERR_WINDOW), "MCB_ERR_WINDOW") == 0);
  CHECK(strcmp(mcb_status_name((mcb_status)99), "MCB_ERR_UNKNOWN") == 0);
  return test_report("test_quant");
}
