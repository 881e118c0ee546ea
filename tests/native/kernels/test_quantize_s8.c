/* QUANTIZE / DEQUANTIZE / requantize / LEAKY_RELU: hand-computed rounding and saturation. */
#include <math.h>

#include "test_util.h"

static void test_quantize_f32(void) {
  const float in[7] = {0.25f, -0.25f, 100.0f, -1000.0f, 1e30f, 0.74f, -0.76f};
  int8_t out[8];
  mcb_affine_quant q = {0.5f, 1};
  float nan_in[1];
  CHECK_STATUS(mcb_quantize_f32_s8(&q, in, out, 7), MCB_OK);
  CHECK_EQ(out[0], 2);    /* 0.5 rounds away from zero to 1, + 1 */
  CHECK_EQ(out[1], 0);    /* -0.5 -> -1, + 1 */
  CHECK_EQ(out[2], 127);  /* 201 saturates */
  CHECK_EQ(out[3], -128);
  CHECK_EQ(out[4], 127);
  CHECK_EQ(out[5], 2);    /* 1.48 -> 1 */
  CHECK_EQ(out[6], -1);   /* -1.52 -> -2 */
  nan_in[0] = (float)NAN;
  CHECK_STATUS(mcb_quantize_f32_s8(&q, nan_in, out, 1), MCB_OK);
  CHECK_EQ(out[0], 1);
  q.scale = 0.0f;
  CHECK_STATUS(mcb_quantize_f32_s8(&q, in, out, 7), MCB_ERR_ARG);
}

static void test_requantize(void) {
  const int8_t s[4] = {3, -3, -128, 127};
  const uint8_t u[3] = {0, 255, 128};
  int8_t o8[4], buf[4];
  uint8_t ou[4];
  mcb_requantize_params half = {0, 0, 1 << 30, 0};
  mcb_requantize_params to_u8 = {-128, 0, 1 << 30, 1};
  mcb_requantize_params to_s8 = {128, 0, 1 << 30, 1};
  CHECK_STATUS(mcb_quantize_s8_s8(&half, s, o8, 4), MCB_OK);
  CHECK_EQ(o8[0], 2);  /* 1.5 -> 2 */
  CHECK_EQ(o8[1], -1); /* -1.5 -> -1 (SRDHM ties go up) */
  CHECK_EQ(o8[2], -64);
  CHECK_EQ(o8[3], 64);
  CHECK_STATUS(mcb_quantize_s8_u8(&to_u8, s, ou, 4), MCB_OK);
  CHECK_EQ(ou[2], 0);
  CHECK_EQ(ou[3], 255);
  CHECK_EQ(ou[0], 131);
  CHECK_STATUS(mcb_quantize_u8_s8(&to_s8, u, o8, 3), MCB_OK);
  CHECK_EQ(o8[0], -128);
  CHECK_EQ(o8[1], 127);
  CHECK_EQ(o8[2], 0);
  /* In place is fine; a partial overlap is not. */
  memcpy(buf, s, 4);
  CHECK_STATUS(mcb_quantize_s8_s8(&half, buf, buf, 4), MCB_OK);
  CHECK_EQ(buf[0], 2);
  CHECK_STATUS(mcb_quantize_s8_s8(&half, buf, buf + 1, 3), MCB_ERR_ALIAS);
}

static void test_dequantize(void) {
  const int8_t s[3] = {5, -128, 3};
  const uint8_t u[2] = {0, 255};
  float out[3];
  mcb_affine_quant q = {0.1f, 3};
  CHECK_STATUS(mcb_dequantize_s8_f32(&q, s, out, 3), MCB_OK);
  CHECK(out[0] == 0.2f);              /* 2 * 0.1f, exact */
  CHECK(out[1] == (float)(-131.0 * (double)0.1f));
  CHECK(out[2] == 0.0f);
  q.zero_point = 128;
  CHECK_STATUS(mcb_dequantize_u8_f32(&q, u, out, 2), MCB_OK);
  CHECK(out[0] == (float)(-128.0 * (double)0.1f));
  CHECK(out[1] == (float)(127.0 * (double)0.1f));
}

static void test_leaky_relu(void) {
  /* alpha 0.1: float32(0.1) -> (1717986944, -3); identity 1.0 -> (2^30, 1). */
  const int8_t in[4] = {10, -10, -128, 0};
  int8_t out[4];
  mcb_leaky_relu_params p = {0, 0, 1717986944, -3, 1 << 30, 1};
  CHECK_STATUS(mcb_leaky_relu_s8(&p, in, out, 4), MCB_OK);
  CHECK_EQ(out[0], 10);
  CHECK_EQ(out[1], -1);  /* -1.0000000149 */
  CHECK_EQ(out[2], -13); /* -12.8 */
  CHECK_EQ(out[3], 0);
  /* Negative alpha -0.5 -> multiplier -2^30, shift 0: -10 -> +5. */
  p.output_multiplier_alpha = -(1 << 30);
  p.output_shift_alpha = 0;
  CHECK_STATUS(mcb_leaky_relu_s8(&p, in, out, 4), MCB_OK);
  CHECK_EQ(out[1], 5);
  CHECK_EQ(out[2], 64);
  /* Zero points: input zp 10 makes 10 the origin; output zp -20 shifts. */
  p.input_zero_point = 10;
  p.output_zero_point = -20;
  CHECK_STATUS(mcb_leaky_relu_s8(&p, in, out, 1), MCB_OK);
  CHECK_EQ(out[0], -20);
}

int main(void) {
  test_quantize_f32();
  test_requantize();
  test_dequantize();
  test_leaky_relu();
  return test_report("test_quantize_s8");
}
