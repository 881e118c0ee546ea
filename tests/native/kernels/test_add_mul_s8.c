/* ADD and MUL: hand-computed rounding, broadcasting (SE-block shapes), in-place rules. */
#include "test_util.h"

static mcb_shape shape4(int32_t n, int32_t h, int32_t w, int32_t c) {
  mcb_shape s;
  s.rank = 4;
  s.dims[0] = n; s.dims[1] = h; s.dims[2] = w; s.dims[3] = c;
  return s;
}

static mcb_shape shape1(int32_t n) {
  mcb_shape s;
  s.rank = 1;
  s.dims[0] = n;
  return s;
}

/* in1 scale 0.5 zp 1, in2 scale 0.25 zp -2, out scale 1 zp 3 (see quant-params.test.ts). */
static mcb_add_params add_params(void) {
  mcb_add_params p;
  p.left_shift = 20;
  p.input1_offset = -1; p.input1_multiplier = 1 << 30; p.input1_shift = 0;
  p.input2_offset = 2;  p.input2_multiplier = 1 << 30; p.input2_shift = -1;
  p.output_offset = 3;  p.output_multiplier = 1 << 30; p.output_shift = -19;
  p.act_min = -128; p.act_max = 127;
  return p;
}

static void test_add_values(void) {
  const int8_t a[4] = {5, 0, 127, -128};
  const int8_t b[4] = {6, -2, 127, -128};
  int8_t out[4];
  mcb_add_params p = add_params();
  mcb_shape s = shape1(4);
  /* 0.5*4 + 0.25*8 = 4 -> 7; 0.5*-1 = -0.5 -> -1 (away from zero) -> 2;
   * 0.5*126 + 0.25*129 = 95.25 -> 95 -> 98; 0.5*-129 + 0.25*-126 = -96 -> -93. */
  CHECK_STATUS(mcb_add_s8(&p, &s, a, &s, b, &s, out), MCB_OK);
  CHECK_EQ(out[0], 7);
  CHECK_EQ(out[1], 2);
  CHECK_EQ(out[2], 98);
  CHECK_EQ(out[3], -93);
  p.act_max = 50; /* fused activation clamp */
  CHECK_STATUS(mcb_add_s8(&p, &s, a, &s, b, &s, out), MCB_OK);
  CHECK_EQ(out[2], 50);
  p.output_shift = 1; /* TFLM requires shifts <= 0 for ADD */
  CHECK_STATUS(mcb_add_s8(&p, &s, a, &s, b, &s, out), MCB_ERR_ARG);
}

static void test_mul_values(void) {
  const int8_t a[3] = {3, -3, 100};
  const int8_t b[3] = {5, 5, 100};
  int8_t out[3];
  mcb_mul_params p = {0, 0, 0, 1 << 30, 0, -128, 127}; /* x0.5 */
  mcb_shape s = shape1(3);
  /* 15 * 0.5 = 7.5 -> 8; -7.5 -> -7 (SRDHM ties go up); 5000 -> saturates to 127. */
  CHECK_STATUS(mcb_mul_s8(&p, &s, a, &s, b, &s, out), MCB_OK);
  CHECK_EQ(out[0], 8);
  CHECK_EQ(out[1], -7);
  CHECK_EQ(out[2], 127);
  p.input1_offset = 1; /* zp -1: (3+1)*5 = 20 -> 10 */
  CHECK_STATUS(mcb_mul_s8(&p, &s, a, &s, b, &s, out), MCB_OK);
  CHECK_EQ(out[0], 10);
}

/* [1,H,W,C] x [1,1,1,C] equals the elementwise op against the explicitly tiled second input. */
static void test_broadcast_equals_tiled(void) {
  enum { H = 3, W = 4, C = 5, N = H * W * C };
  int8_t a[N], scale[C], tiled[N], out_b[N], out_e[N];
  int32_t i;
  mcb_mul_params mp = {7, -3, -2, 1518500250, -7, -100, 110};
  mcb_add_params ap = add_params();
  mcb_shape sa = shape4(1, H, W, C), sb = shape4(1, 1, 1, C), s3, flat = shape1(N);
  rng_fill_s8(a, N);
  rng_fill_s8(scale, C);
  for (i = 0; i < N; ++i) tiled[i] = scale[i % C];
  CHECK_STATUS(mcb_mul_s8(&mp, &sa, a, &sb, scale, &sa, out_b), MCB_OK);
  CHECK_STATUS(mcb_mul_s8(&mp, &flat, a, &flat, tiled, &flat, out_e), MCB_OK);
  CHECK_BYTES(out_b, out_e, N);
  /* Broadcast on the left operand, lower-rank operand ([C] against [1,H,W,C]). */
  s3 = shape1(C);
  CHECK_STATUS(mcb_add_s8(&ap, &s3, scale, &sa, a, &sa, out_b), MCB_OK);
  CHECK_STATUS(mcb_add_s8(&ap, &flat, tiled, &flat, a, &flat, out_e), MCB_OK);
  CHECK_BYTES(out_b, out_e, N);
  /* Incompatible dims and a wrong output shape are refused. */
  sb = shape4(1, 1, 2, C);
  CHECK_STATUS(mcb_mul_s8(&mp, &sa, a, &sb, scale, &sa, out_b), MCB_ERR_SHAPE);
  sb = shape4(1, 1, 1, C);
  s3 = shape4(1, H, W, 1);
  CHECK_STATUS(mcb_mul_s8(&mp, &s3, a, &sb, scale, &sa, out_b), MCB_OK);
  CHECK_STATUS(mcb_mul_s8(&mp, &sb, scale, &sb, scale, &sa, out_b), MCB_ERR_SHAPE);
}

/* Output == an input of full shape is allowed; output over the broadcast input is not. */
static void test_in_place(void) {
  enum { N = 2 * 3 * 4 };
  int8_t a[N], b[N], expected[N], buf[N], small[4];
  mcb_add_params ap = add_params();
  mcb_mul_params mp = {0, 5, 1, 1 << 30, 1, -128, 127};
  mcb_shape s = shape4(1, 2, 3, 4), sb = shape4(1, 1, 1, 4);
  rng_fill_s8(a, N);
  rng_fill_s8(b, N);
  rng_fill_s8(small, 4);
  CHECK_STATUS(mcb_add_s8(&ap, &s, a, &s, b, &s, expected), MCB_OK);
  memcpy(buf, a, N);
  CHECK_STATUS(mcb_add_s8(&ap, &s, buf, &s, b, &s, buf), MCB_OK);
  CHECK_BYTES(buf, expected, N);
  memcpy(buf, b, N);
  CHECK_STATUS(mcb_add_s8(&ap, &s, a, &s, buf, &s, buf), MCB_OK);
  CHECK_BYTES(buf, expected, N);
  CHECK_STATUS(mcb_mul_s8(&mp, &s, a, &sb, small, &s, expected), MCB_OK);
  memcpy(buf, a, N);
  CHECK_STATUS(mcb_mul_s8(&mp, &s, buf, &sb, small, &s, buf), MCB_OK);
  CHECK_BYTES(buf, expected, N);
  /* Output starting inside the broadcast operand / shifted over an input: refused. */
  CHECK_STATUS(mcb_mul_s8(&mp, &s, a, &sb, buf, &s, buf), MCB_ERR_ALIAS);
  CHECK_STATUS(mcb_add_s8(&ap, &s, buf, &s, b, &s, buf + 1), MCB_ERR_ALIAS);
}

int main(void) {
  test_add_values();
  test_mul_values();
  test_broadcast_equals_tiled();
  test_in_place();
  return test_report("test_add_mul_s8");
}
