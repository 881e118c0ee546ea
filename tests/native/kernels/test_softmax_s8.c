/*
 * SOFTMAX int8: values that follow from the quantized definition (output scale
 * 1/256, zp -128): equal logits share probability exactly; a row far below the
 * maximum underflows to -128; outputs stay within 1 LSB of the float softmax.
 * Bit-exactness against TFLM itself is checked on real layers by the golden test.
 */
#include <math.h>

#include "test_util.h"

/* TFLM params for input scale 1/16, beta 1 (see quant-params.test.ts): 2^30, 23, -248. */
static const mcb_softmax_params k_params = {1 << 30, 23, -248};

int main(void) {
  int8_t out[8];
  {
    const int8_t four[4] = {7, 7, 7, 7};
    const int8_t two[2] = {-100, -100};
    const int8_t one[1] = {42};
    CHECK_STATUS(mcb_softmax_s8(&k_params, 1, 4, four, out), MCB_OK);
    CHECK_EQ(out[0], -64); /* 0.25 * 256 - 128 */
    CHECK_EQ(out[3], -64);
    CHECK_STATUS(mcb_softmax_s8(&k_params, 1, 2, two, out), MCB_OK);
    CHECK_EQ(out[0], 0);   /* 0.5 */
    CHECK_STATUS(mcb_softmax_s8(&k_params, 1, 1, one, out), MCB_OK);
    CHECK_EQ(out[0], 127); /* 1.0 saturates at 127 */
  }
  {
    /* Difference -255 < diff_min: exactly -128 for the small one, 127 for the max. */
    const int8_t far[2] = {127, -128};
    CHECK_STATUS(mcb_softmax_s8(&k_params, 1, 2, far, out), MCB_OK);
    CHECK_EQ(out[0], 127);
    CHECK_EQ(out[1], -128);
  }
  {
    /* Random rows against float softmax (input scale 1/16): within one output step. */
    int8_t in[5 * 8];
    int r, c;
    rng_fill_s8(in, sizeof in);
    for (r = 0; r < 5; ++r) {
      double sum = 0.0;
      int8_t max_v = -128;
      CHECK_STATUS(mcb_softmax_s8(&k_params, 1, 8, in + r * 8, out), MCB_OK);
      for (c = 0; c < 8; ++c) max_v = in[r * 8 + c] > max_v ? in[r * 8 + c] : max_v;
      for (c = 0; c < 8; ++c) sum += exp((in[r * 8 + c] - max_v) / 16.0);
      for (c = 0; c < 8; ++c) {
        const double p = exp((in[r * 8 + c] - max_v) / 16.0) / sum;
        double q = floor(p * 256.0 + 0.5) - 128.0;
        if (q > 127.0) q = 127.0;
        CHECK(fabs((double)out[c] - q) <= 1.0);
      }
    }
    /* Several rows at once equal the rows one by one. */
    {
      int8_t all[5 * 8], one_row[8];
      CHECK_STATUS(mcb_softmax_s8(&k_params, 5, 8, in, all), MCB_OK);
      CHECK_STATUS(mcb_softmax_s8(&k_params, 1, 8, in + 3 * 8, one_row), MCB_OK);
      CHECK_BYTES(all + 3 * 8, one_row, 8);
      CHECK_STATUS(mcb_softmax_s8(&k_params, 5, 8, in, in), MCB_ERR_ALIAS);
    }
  }
  return test_report("test_softmax_s8");
}
