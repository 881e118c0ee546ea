/* MEAN: TFLM's 1/count folding into the multiplier, rounding, zero points, axis sets. */
#include "test_util.h"

static mcb_shape shape4(int32_t n, int32_t h, int32_t w, int32_t c) {
  mcb_shape s;
  s.rank = 4;
  s.dims[0] = n; s.dims[1] = h; s.dims[2] = w; s.dims[3] = c;
  return s;
}

int main(void) {
  int8_t out[4];
  {
    /* Same scale (multiplier 2^30, shift 1 = 1.0), count 4: multiplier stays 2^30, shift -1. */
    const int8_t in[8] = {1, -1, 2, -2, 3, -3, 4, -5};
    mcb_mean_params p = {0, 0, 1 << 30, 1, 0x6};
    mcb_shape s = shape4(1, 2, 2, 2);
    CHECK_STATUS(mcb_mean_s8(&p, &s, in, out), MCB_OK);
    CHECK_EQ(out[0], 3);  /* 10 / 4 = 2.5 -> 3 */
    CHECK_EQ(out[1], -3); /* -11 / 4 = -2.75 -> -3 */
  }
  {
    /* Count 3 (not a power of two): multiplier (2^30 << 1) / 3 = 715827882, shift 0. */
    const int8_t in[6] = {1, 6, 2, 7, 4, 9};
    mcb_mean_params p = {0, 0, 1 << 30, 1, 0x4};
    mcb_shape s = shape4(1, 1, 3, 2);
    CHECK_STATUS(mcb_mean_s8(&p, &s, in, out), MCB_OK);
    CHECK_EQ(out[0], 2); /* 7/3 = 2.33 */
    CHECK_EQ(out[1], 7); /* 22/3 = 7.33 */
    p.input_zero_point = 5; /* (22 - 15) / 3 = 2.33 -> 2, + out zp -1 */
    p.output_zero_point = -1;
    CHECK_STATUS(mcb_mean_s8(&p, &s, in, out), MCB_OK);
    CHECK_EQ(out[1], 1);
  }
  {
    /* Rescaling mean: in scale / out scale = 4 (2^30, 3), saturating at 127 and -128. */
    const int8_t in[4] = {100, 50, -100, -60};
    mcb_mean_params p = {0, 0, 1 << 30, 3, 0x2};
    mcb_shape s = shape4(1, 2, 1, 2);
    CHECK_STATUS(mcb_mean_s8(&p, &s, in, out), MCB_OK);
    CHECK_EQ(out[0], 0);  /* (100 - 100) / 2 * 4 */
    CHECK_EQ(out[1], -20); /* -10 / 2 * 4 */
    p.axis_mask = 0x8; /* over channels: (100+50)/2*4 = 300 -> 127; -160*... -> -128 */
    CHECK_STATUS(mcb_mean_s8(&p, &s, in, out), MCB_OK);
    CHECK_EQ(out[0], 127);
    CHECK_EQ(out[1], -128);
  }
  {
    /* Large count: 64*64 = 4096 -> shift 12; mean of alternating 1/2 is 1.5 -> 2. */
    static int8_t in[64 * 64];
    int i;
    mcb_mean_params p = {0, 0, 1 << 30, 1, 0x6};
    mcb_shape s = shape4(1, 64, 64, 1);
    for (i = 0; i < 64 * 64; ++i) in[i] = (int8_t)(1 + (i & 1));
    CHECK_STATUS(mcb_mean_s8(&p, &s, in, out), MCB_OK);
    CHECK_EQ(out[0], 2);
    p.axis_mask = 0x10; /* axis beyond rank */
    CHECK_STATUS(mcb_mean_s8(&p, &s, in, out), MCB_ERR_SHAPE);
  }
  return test_report("test_mean_s8");
}
