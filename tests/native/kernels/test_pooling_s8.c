/* AVERAGE_POOL_2D / MAX_POOL_2D: rounding, in-bounds tap counting, tiles == full. */
#include <stdlib.h>

#include "test_util.h"

static mcb_pool_params pool_params(int32_t stride, int32_t k, int32_t pad) {
  mcb_pool_params p;
  p.stride_h = p.stride_w = stride;
  p.filter_h = p.filter_w = k;
  p.pad_top = p.pad_left = pad;
  p.act_min = -128;
  p.act_max = 127;
  return p;
}

static void test_avg_values(void) {
  int8_t in[4] = {1, 2, 3, 4}, neg[4] = {-1, -2, -3, -4}, out[4];
  mcb_pool_params p = pool_params(1, 2, 0);
  mcb_view_s8 vin = full_view(in, 2, 2, 1), vout = full_view(out, 1, 1, 1);
  CHECK_STATUS(mcb_avg_pool_2d_s8(&p, &vin, &vout, NULL), MCB_OK);
  CHECK_EQ(out[0], 3); /* 10 / 4 = 2.5 -> 3 */
  vin.data = neg;
  CHECK_STATUS(mcb_avg_pool_2d_s8(&p, &vin, &vout, NULL), MCB_OK);
  CHECK_EQ(out[0], -3); /* -2.5 -> -3 */
  /* 3x3 window, pad 1 over 2x2: every output averages the 4 in-bounds taps, not 9. */
  p = pool_params(1, 3, 1);
  vin.data = in;
  vout = full_view(out, 2, 2, 1);
  CHECK_STATUS(mcb_avg_pool_2d_s8(&p, &vin, &vout, NULL), MCB_OK);
  CHECK_EQ(out[0], 3);
  CHECK_EQ(out[3], 3);
  /* A window entirely in the padding has no taps: refused (TFLM fails the op). */
  p = pool_params(1, 1, 1);
  vout = full_view(out, 4, 4, 1);
  CHECK_STATUS(mcb_avg_pool_2d_s8(&p, &vin, &vout, NULL), MCB_ERR_SHAPE);
}

static void test_max_values(void) {
  int8_t in[4] = {-5, -3, -128, -100}, out[4];
  mcb_pool_params p = pool_params(1, 3, 1);
  mcb_view_s8 vin = full_view(in, 2, 2, 1), vout = full_view(out, 2, 2, 1);
  CHECK_STATUS(mcb_max_pool_2d_s8(&p, &vin, &vout, NULL), MCB_OK);
  CHECK_EQ(out[0], -3);
  CHECK_EQ(out[2], -3);
  p.act_min = -2; /* RELU-style clamp after the max */
  CHECK_STATUS(mcb_max_pool_2d_s8(&p, &vin, &vout, NULL), MCB_OK);
  CHECK_EQ(out[1], -2);
  /* 2x2 stride 2 over a 4x2 column pair picks each block's max. */
  {
    int8_t col[8] = {1, 9, 4, 2, -7, -8, -9, -6};
    mcb_view_s8 vc = full_view(col, 4, 2, 1), vo = full_view(out, 2, 1, 1);
    p = pool_params(2, 2, 0);
    CHECK_STATUS(mcb_max_pool_2d_s8(&p, &vc, &vo, NULL), MCB_OK);
    CHECK_EQ(out[0], 9);
    CHECK_EQ(out[1], -6);
  }
}

static void tiles_match_full(int avg, int32_t stride, int32_t k, int32_t pad) {
  enum { H = 12, W = 13, C = 4 };
  const int32_t oh = (H + 2 * pad - k) / stride + 1, ow = (W + 2 * pad - k) / stride + 1;
  int8_t in[H * W * C], win[H * W * C];
  int8_t *full = malloc((size_t)oh * ow * C), *tiled = calloc((size_t)oh * ow * C, 1);
  int32_t yb[4], xb[4], ty, tx;
  mcb_pool_params p = pool_params(stride, k, pad);
  mcb_view_s8 vin = full_view(in, H, W, C), vout = full_view(full, oh, ow, C);
  rng_fill_s8(in, sizeof in);
  p.act_min = -90;
  p.act_max = 100;
  CHECK_STATUS(avg ? mcb_avg_pool_2d_s8(&p, &vin, &vout, NULL)
                   : mcb_max_pool_2d_s8(&p, &vin, &vout, NULL), MCB_OK);
  split3(oh, yb);
  split3(ow, xb);
  for (ty = 0; ty < 3; ++ty) {
    for (tx = 0; tx < 3; ++tx) {
      int32_t ylo, yhi, xlo, xhi;
      mcb_region r;
      mcb_view_s8 wv, tv = full_view(tiled, oh, ow, C);
      r.y0 = yb[ty]; r.y1 = yb[ty + 1]; r.x0 = xb[tx]; r.x1 = xb[tx + 1];
      halo(r.y0, r.y1, stride, pad, k, 1, H, &ylo, &yhi);
      halo(r.x0, r.x1, stride, pad, k, 1, W, &xlo, &xhi);
      wv = window_of(in, H, W, C, ylo, yhi, xlo, xhi, win);
      CHECK_STATUS(avg ? mcb_avg_pool_2d_s8(&p, &wv, &tv, &r) : mcb_max_pool_2d_s8(&p, &wv, &tv, &r),
                   MCB_OK);
    }
  }
  CHECK_BYTES(tiled, full, (size_t)oh * ow * C);
  /* Pools never run in place. */
  vout = full_view(in, oh, ow, C);
  CHECK_STATUS(avg ? mcb_avg_pool_2d_s8(&p, &vin, &vout, NULL)
                   : mcb_max_pool_2d_s8(&p, &vin, &vout, NULL), MCB_ERR_ALIAS);
  free(full);
  free(tiled);
}

int main(void) {
  test_avg_values();
  test_max_values();
  tiles_match_full(1, 2, 3, 1);
  tiles_match_full(0, 2, 3, 1);
  tiles_match_full(1, 1, 3, 1);
  tiles_match_full(0, 3, 2, 0);
  tiles_match_full(1, 1, 12, 0);
  return test_report("test_pooling_s8");
}
