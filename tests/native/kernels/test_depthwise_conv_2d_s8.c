/* DEPTHWISE_CONV_2D: hand case with depth multiplier 2, tiles == full, in-place == out-of-place. */
#include <stdlib.h>

#include "test_util.h"

static mcb_depthwise_conv_params dw_params(int32_t stride, int32_t dil, int32_t pad, int32_t mult) {
  mcb_depthwise_conv_params p;
  p.stride_h = p.stride_w = stride;
  p.dilation_h = p.dilation_w = dil;
  p.pad_top = p.pad_left = pad;
  p.depth_multiplier = mult;
  p.input_offset = 0;
  p.output_offset = 0;
  p.act_min = -128;
  p.act_max = 127;
  return p;
}

/* 2x2 input, 2 channels, multiplier 2, 2x2 filter, valid: one output pixel, 4 channels. */
static void test_depth_multiplier(void) {
  int8_t in[8] = {1, -1, 2, -2, 3, -3, 4, -4};
  int8_t w[16] = {1, 1, 2, 0, 1, 0, 2, 0, 1, 0, 2, 0, 1, 0, 2, -1};
  int32_t bias[4] = {0, 0, 0, 100};
  const int32_t m[1] = {1 << 30}, s[1] = {1}; /* x1 */
  int8_t out[4];
  /* oc0 = ic0 sum 10; oc1 = ic0 at (0,0) = 1; oc2 = 2 * ic1 sum = -20; oc3 = -1 * -4 + 100. */
  const int8_t expected[4] = {10, 1, -20, 104};
  mcb_depthwise_conv_params p = dw_params(1, 1, 0, 2);
  mcb_channel_quant q = {m, s, 1};
  mcb_depthwise_filter_s8 f = {w, 2, 2, 4};
  mcb_view_s8 vin = full_view(in, 2, 2, 2), vout = full_view(out, 1, 1, 4);
  CHECK_STATUS(mcb_depthwise_conv_2d_s8(&p, &q, &vin, &f, bias, &vout, NULL, NULL), MCB_OK);
  CHECK_BYTES(out, expected, 4);
  p.depth_multiplier = 3; /* filter c no longer in_c * multiplier */
  CHECK_STATUS(mcb_depthwise_conv_2d_s8(&p, &q, &vin, &f, bias, &vout, NULL, NULL), MCB_ERR_SHAPE);
}

/* 3x3 ones over a 2x2 block of 10s, zp 10 (offset -10), pad 1: padding adds nothing, so 0 + bias. */
static void test_padding_uses_zero_point(void) {
  int8_t in[4] = {10, 10, 10, 10};
  int8_t w[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
  int32_t bias[1] = {-7};
  const int32_t m[1] = {1 << 30}, s[1] = {1};
  int8_t out[4];
  const int8_t expected[4] = {-7 + 3, -7 + 3, -7 + 3, -7 + 3};
  mcb_depthwise_conv_params p = dw_params(1, 1, 1, 1);
  mcb_channel_quant q = {m, s, 1};
  mcb_depthwise_filter_s8 f = {w, 3, 3, 1};
  mcb_view_s8 vin = full_view(in, 2, 2, 1), vout = full_view(out, 2, 2, 1);
  p.input_offset = -10;
  p.output_offset = 3;
  CHECK_STATUS(mcb_depthwise_conv_2d_s8(&p, &q, &vin, &f, bias, &vout, NULL, NULL), MCB_OK);
  CHECK_BYTES(out, expected, 4);
}

static void random_case(mcb_depthwise_conv_params *p, int8_t *w, size_t wn, int32_t *bias,
                        int32_t *m, int32_t *s, int32_t c) {
  int32_t i;
  rng_fill_s8(w, wn);
  p->input_offset = rng_range(-127, 128);
  p->output_offset = rng_range(-128, 127);
  p->act_min = rng_range(-128, -20);
  p->act_max = rng_range(20, 127);
  for (i = 0; i < c; ++i) {
    bias[i] = rng_range(-3000, 3000);
    m[i] = rng_range(1 << 30, INT32_MAX);
    s[i] = rng_range(-9, -4);
  }
}

static void tiles_match_full(int32_t stride, int32_t dil, int32_t k, int32_t pad, int32_t mult) {
  enum { H = 14, W = 10, C = 3 };
  const int32_t co = C * mult;
  const int32_t oh = (H + 2 * pad - dil * (k - 1) - 1) / stride + 1;
  const int32_t ow = (W + 2 * pad - dil * (k - 1) - 1) / stride + 1;
  int8_t in[H * W * C], win[H * W * C], w[5 * 5 * C * 2];
  int8_t *full = malloc((size_t)oh * ow * co), *tiled = calloc((size_t)oh * ow * co, 1);
  int32_t bias[C * 2], m[C * 2], s[C * 2], yb[4], xb[4], ty, tx;
  mcb_depthwise_conv_params p = dw_params(stride, dil, pad, mult);
  mcb_channel_quant q = {m, s, 0};
  mcb_depthwise_filter_s8 f;
  mcb_view_s8 vin = full_view(in, H, W, C), vout = full_view(full, oh, ow, co);
  rng_fill_s8(in, sizeof in);
  random_case(&p, w, sizeof w, bias, m, s, co);
  q.count = co;
  f.data = w; f.h = k; f.w = k; f.c = co;
  CHECK_STATUS(mcb_depthwise_conv_2d_s8(&p, &q, &vin, &f, bias, &vout, NULL, NULL), MCB_OK);
  split3(oh, yb);
  split3(ow, xb);
  for (ty = 0; ty < 3; ++ty) {
    for (tx = 0; tx < 3; ++tx) {
      int32_t ylo, yhi, xlo, xhi;
      mcb_region r;
      mcb_view_s8 wv, tv = full_view(tiled, oh, ow, co);
      r.y0 = yb[ty]; r.y1 = yb[ty + 1]; r.x0 = xb[tx]; r.x1 = xb[tx + 1];
      halo(r.y0, r.y1, stride, pad, k, dil, H, &ylo, &yhi);
      halo(r.x0, r.x1, stride, pad, k, dil, W, &xlo, &xhi);
      wv = window_of(in, H, W, C, ylo, yhi, xlo, xhi, win);
      /* Output view = the whole output tensor; the region picks the tile. */
      CHECK_STATUS(mcb_depthwise_conv_2d_s8(&p, &q, &wv, &f, bias, &tv, &r, NULL), MCB_OK);
      if (xhi - xlo > 1 && xhi < W) {
        wv = window_of(in, H, W, C, ylo, yhi, xlo, xhi - 1, win);
        CHECK_STATUS(mcb_depthwise_conv_2d_s8(&p, &q, &wv, &f, bias, &tv, &r, NULL),
                     MCB_ERR_WINDOW);
      }
    }
  }
  CHECK_BYTES(tiled, full, (size_t)oh * ow * co);
  free(full);
  free(tiled);
}

/* Output buffer == input buffer (multiplier 1), also for stride 2 and on a windowed patch. */
static void in_place_matches(int32_t stride, int32_t pad) {
  enum { H = 9, W = 7, C = 5 };
  const int32_t oh = (H + 2 * pad - 3) / stride + 1, ow = (W + 2 * pad - 3) / stride + 1;
  int8_t in[H * W * C], buf[H * W * C], expected[H * W * C], w[9 * C], scratch[H * W];
  int32_t bias[C], m[C], s[C];
  mcb_depthwise_conv_params p = dw_params(stride, 1, pad, 1);
  mcb_channel_quant q = {m, s, C};
  mcb_depthwise_filter_s8 f = {w, 3, 3, C};
  mcb_view_s8 vin = full_view(in, H, W, C), vout = full_view(expected, oh, ow, C), vb, vo;
  mcb_context ctx;
  mcb_region part = {0, 1, 0, 1};
  rng_fill_s8(in, sizeof in);
  random_case(&p, w, sizeof w, bias, m, s, C);
  CHECK_STATUS(mcb_depthwise_conv_2d_s8(&p, &q, &vin, &f, bias, &vout, NULL, NULL), MCB_OK);
  memcpy(buf, in, sizeof in);
  vb = full_view(buf, H, W, C);
  vo = full_view(buf, oh, ow, C);
  CHECK_EQ(mcb_depthwise_conv_2d_s8_scratch_size(&vb, &vo), oh * ow);
  ctx.buf = scratch;
  ctx.size = oh * ow;
  CHECK_STATUS(mcb_depthwise_conv_2d_s8(&p, &q, &vb, &f, bias, &vo, &part, &ctx), MCB_ERR_ALIAS);
  CHECK_STATUS(mcb_depthwise_conv_2d_s8(&p, &q, &vb, &f, bias, &vo, NULL, NULL), MCB_ERR_SCRATCH);
  CHECK_STATUS(mcb_depthwise_conv_2d_s8(&p, &q, &vb, &f, bias, &vo, NULL, &ctx), MCB_OK);
  CHECK_BYTES(buf, expected, oh * ow * C);
}

int main(void) {
  test_depth_multiplier();
  test_padding_uses_zero_point();
  tiles_match_full(1, 1, 3, 1, 1);
  tiles_match_full(2, 1, 3, 1, 1);
  tiles_match_full(1, 2, 3, 2, 2);
  tiles_match_full(2, 1, 5, 2, 1);
  tiles_match_full(3, 1, 3, 0, 2);
  in_place_matches(1, 1);
  in_place_matches(2, 1);
  in_place_matches(2, 0);
  return test_report("test_depthwise_conv_2d_s8");
}
