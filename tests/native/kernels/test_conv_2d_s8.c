/* CONV_2D: hand-computed cases, windowed tiles == full result, in-place == out-of-place. */
#include <stdlib.h>

#include "test_util.h"

static const int32_t k_half_m[1] = {1 << 30}; /* x 0.5 */
static const int32_t k_zero_s[1] = {0};

static mcb_conv_params conv_params(int32_t stride, int32_t dil, int32_t pad, int32_t in_off,
                                   int32_t out_off) {
  mcb_conv_params p;
  p.stride_h = p.stride_w = stride;
  p.dilation_h = p.dilation_w = dil;
  p.pad_top = p.pad_left = pad;
  p.input_offset = in_off;
  p.output_offset = out_off;
  p.act_min = -128;
  p.act_max = 127;
  return p;
}

/* 3x3 all-ones filter over 1..9 with zp -1, pad 1: padded taps are skipped, not read as 0. */
static void test_padding_is_skipped(void) {
  int8_t in[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  int8_t w[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
  int32_t bias[1] = {1};
  int8_t out[9];
  /* (x + 1) summed over in-bounds taps, + 1, x0.5 (ties up), - 3. E.g. corner: (2+3+5+6+1)/2 = 8.5 -> 9 -> 6. */
  const int8_t expected[9] = {6, 11, 8, 14, 25, 17, 12, 20, 14};
  mcb_conv_params p = conv_params(1, 1, 1, 1, -3);
  mcb_channel_quant q = {k_half_m, k_zero_s, 1};
  mcb_filter_s8 f = {w, 1, 3, 3, 1};
  mcb_view_s8 vin = full_view(in, 3, 3, 1);
  mcb_view_s8 vout = full_view(out, 3, 3, 1);
  CHECK_STATUS(mcb_conv_2d_s8(&p, &q, &vin, &f, bias, &vout, NULL, NULL), MCB_OK);
  CHECK_BYTES(out, expected, 9);
}

/* Per-channel multipliers, negative ties, activation clamp. */
static void test_per_channel_rounding_and_clamp(void) {
  int8_t in[4] = {10, -20, 30, -40};
  int8_t w[2] = {-3, -5};
  int32_t bias[2] = {0, 1};
  const int32_t m[2] = {1 << 30, 1 << 30};
  const int32_t s[2] = {-1, 3}; /* x0.25 and x4 */
  int8_t out[8];
  /* ch0: -30,60,-90,120 x0.25 -> -7.5->-8, 15, -22.5->-23, 30. ch1: (-5x+1)*4 clamps to +-100. */
  const int8_t expected[8] = {-8, -100, 15, 100, -23, -100, 30, 100};
  mcb_conv_params p = conv_params(1, 1, 0, 0, 0);
  mcb_channel_quant q = {m, s, 2};
  mcb_filter_s8 f = {w, 2, 1, 1, 1};
  mcb_view_s8 vin = full_view(in, 2, 2, 1);
  mcb_view_s8 vout = full_view(out, 2, 2, 2);
  p.act_min = -100;
  p.act_max = 100;
  CHECK_STATUS(mcb_conv_2d_s8(&p, &q, &vin, &f, bias, &vout, NULL, NULL), MCB_OK);
  CHECK_BYTES(out, expected, 8);
}

/* Dilation 2, stride 2 over a 5x5 ramp: each output sums 4 taps two apart. */
static void test_stride_dilation(void) {
  int8_t in[25];
  int8_t w[4] = {1, 1, 1, 1};
  const int32_t m[1] = {1 << 30};
  const int32_t s[1] = {1}; /* x1 */
  int8_t out[4];
  const int8_t expected[4] = {24, 32, 64, 72};
  int i;
  mcb_conv_params p = conv_params(2, 2, 0, 0, 0);
  mcb_channel_quant q = {m, s, 1};
  mcb_filter_s8 f = {w, 1, 2, 2, 1};
  mcb_view_s8 vin = full_view(in, 5, 5, 1);
  mcb_view_s8 vout = full_view(out, 2, 2, 1);
  for (i = 0; i < 25; ++i) in[i] = (int8_t)i;
  CHECK_STATUS(mcb_conv_2d_s8(&p, &q, &vin, &f, NULL, &vout, NULL, NULL), MCB_OK);
  CHECK_BYTES(out, expected, 4);
}

/* Grouped conv (2 groups of 1 channel): output channel g reads input channel g only. */
static void test_groups(void) {
  int8_t in[2] = {5, 7};
  int8_t w[2] = {2, 3};
  const int32_t m[1] = {1 << 30};
  const int32_t s[1] = {1};
  int8_t out[2];
  const int8_t expected[2] = {10, 21};
  mcb_conv_params p = conv_params(1, 1, 0, 0, 0);
  mcb_channel_quant q = {m, s, 1};
  mcb_filter_s8 f = {w, 2, 1, 1, 1};
  mcb_view_s8 vin = full_view(in, 1, 1, 2);
  mcb_view_s8 vout = full_view(out, 1, 1, 2);
  CHECK_STATUS(mcb_conv_2d_s8(&p, &q, &vin, &f, NULL, &vout, NULL, NULL), MCB_OK);
  CHECK_BYTES(out, expected, 2);
}

/* A negative filter scale gives a negative multiplier (TFLM passes it through): 3 * -0.5 -> -1. */
static void test_negative_multiplier(void) {
  int8_t in[2] = {3, -3}, w[1] = {1}, out[2];
  const int32_t m[1] = {-(1 << 30)}, s[1] = {0};
  mcb_conv_params p = conv_params(1, 1, 0, 0, 0);
  mcb_channel_quant q = {m, s, 1};
  mcb_filter_s8 f = {w, 1, 1, 1, 1};
  mcb_view_s8 vin = full_view(in, 1, 2, 1), vout = full_view(out, 1, 2, 1);
  CHECK_STATUS(mcb_conv_2d_s8(&p, &q, &vin, &f, NULL, &vout, NULL, NULL), MCB_OK);
  CHECK_EQ(out[0], -1); /* -1.5: SRDHM ties go up */
  CHECK_EQ(out[1], 2);  /* +1.5 -> 2 */
}

/* Random conv computed whole, then per tile of a 3x3 grid from halo'd input windows. */
static void tiles_match_full(int32_t stride, int32_t dil, int32_t k, int32_t pad) {
  enum { H = 13, W = 11, CI = 3, CO = 4 };
  const int32_t oh = (H + 2 * pad - dil * (k - 1) - 1) / stride + 1;
  const int32_t ow = (W + 2 * pad - dil * (k - 1) - 1) / stride + 1;
  int8_t in[H * W * CI], w[CO * 5 * 5 * CI], win[H * W * CI], tile[H * W * CO];
  int8_t *full = malloc((size_t)oh * ow * CO), *tiled = malloc((size_t)oh * ow * CO);
  int32_t bias[CO], m[CO], s[CO], yb[4], xb[4], i, ty, tx;
  mcb_conv_params p = conv_params(stride, dil, pad, rng_range(-127, 128), rng_range(-128, 127));
  mcb_channel_quant q;
  mcb_filter_s8 f;
  mcb_view_s8 vin = full_view(in, H, W, CI), vout;
  rng_fill_s8(in, sizeof in);
  rng_fill_s8(w, sizeof w);
  for (i = 0; i < CO; ++i) {
    bias[i] = rng_range(-5000, 5000);
    m[i] = rng_range(1 << 30, INT32_MAX);
    s[i] = rng_range(-12, -6);
  }
  q.multiplier = m; q.shift = s; q.count = CO;
  f.data = w; f.out_c = CO; f.h = k; f.w = k; f.in_c = CI;
  vout = full_view(full, oh, ow, CO);
  CHECK_STATUS(mcb_conv_2d_s8(&p, &q, &vin, &f, bias, &vout, NULL, NULL), MCB_OK);
  split3(oh, yb);
  split3(ow, xb);
  memset(tiled, 0x55, (size_t)oh * ow * CO);
  for (ty = 0; ty < 3; ++ty) {
    for (tx = 0; tx < 3; ++tx) {
      int32_t ylo, yhi, xlo, xhi, y;
      mcb_region r;
      mcb_view_s8 wv, tv;
      r.y0 = yb[ty]; r.y1 = yb[ty + 1]; r.x0 = xb[tx]; r.x1 = xb[tx + 1];
      halo(r.y0, r.y1, stride, pad, k, dil, H, &ylo, &yhi);
      halo(r.x0, r.x1, stride, pad, k, dil, W, &xlo, &xhi);
      wv = window_of(in, H, W, CI, ylo, yhi, xlo, xhi, win);
      /* Output into a tile-sized buffer (a view of the tile only). */
      tv.data = tile; tv.y0 = r.y0; tv.x0 = r.x0; tv.h = r.y1 - r.y0; tv.w = r.x1 - r.x0;
      tv.c = CO; tv.full_h = oh; tv.full_w = ow;
      CHECK_STATUS(mcb_conv_2d_s8(&p, &q, &wv, &f, bias, &tv, &r, NULL), MCB_OK);
      for (y = r.y0; y < r.y1; ++y) {
        memcpy(tiled + ((size_t)y * ow + r.x0) * CO, tile + (size_t)(y - r.y0) * tv.w * CO,
               (size_t)tv.w * CO);
      }
      /* A window one row short of the halo is refused before anything is written. */
      if (yhi - ylo > 1 && ylo > 0) {
        wv = window_of(in, H, W, CI, ylo + 1, yhi, xlo, xhi, win);
        memset(tile, 0x11, 4);
        CHECK_STATUS(mcb_conv_2d_s8(&p, &q, &wv, &f, bias, &tv, &r, NULL), MCB_ERR_WINDOW);
        CHECK_EQ(tile[0], 0x11);
      }
    }
  }
  CHECK_BYTES(tiled, full, (size_t)oh * ow * CO);
  free(full);
  free(tiled);
}

/* In-place pointwise conv (Cout <= Cin) gives the out-of-place bytes; other overlaps are refused. */
static void test_in_place_pointwise(void) {
  enum { H = 4, W = 5, CI = 6, CO = 4 };
  int8_t in[H * W * CI], buf[H * W * CI], expected[H * W * CO], w[CO * CI], scratch[CO];
  int32_t m[CO], s[CO], bias[CO], i;
  mcb_conv_params p = conv_params(1, 1, 0, 17, -5);
  mcb_channel_quant q;
  mcb_filter_s8 f;
  mcb_view_s8 vin = full_view(in, H, W, CI), vout = full_view(expected, H, W, CO), vb, vo;
  mcb_context ctx;
  rng_fill_s8(in, sizeof in);
  rng_fill_s8(w, sizeof w);
  for (i = 0; i < CO; ++i) {
    m[i] = rng_range(1 << 30, INT32_MAX);
    s[i] = -7;
    bias[i] = rng_range(-300, 300);
  }
  q.multiplier = m; q.shift = s; q.count = CO;
  f.data = w; f.out_c = CO; f.h = 1; f.w = 1; f.in_c = CI;
  CHECK_STATUS(mcb_conv_2d_s8(&p, &q, &vin, &f, bias, &vout, NULL, NULL), MCB_OK);
  memcpy(buf, in, sizeof in);
  vb = full_view(buf, H, W, CI);
  vo = full_view(buf, H, W, CO);
  CHECK_EQ(mcb_conv_2d_s8_scratch_size(&vb, &vo, &f), CO);
  ctx.buf = scratch;
  ctx.size = CO - 1;
  CHECK_STATUS(mcb_conv_2d_s8(&p, &q, &vb, &f, bias, &vo, NULL, &ctx), MCB_ERR_SCRATCH);
  ctx.size = CO;
  CHECK_STATUS(mcb_conv_2d_s8(&p, &q, &vb, &f, bias, &vo, NULL, &ctx), MCB_OK);
  CHECK_BYTES(buf, expected, H * W * CO);
  /* Output shifted by one byte into the input: not a supported aliasing. */
  memcpy(buf, in, sizeof in);
  vo.data = buf + 1;
  vo.h = 3;
  CHECK_STATUS(mcb_conv_2d_s8(&p, &q, &vb, &f, bias, &vo, NULL, &ctx), MCB_ERR_ALIAS);
}

static void test_bad_arguments(void) {
  int8_t in[9] = {0}, w[9] = {0}, out[9];
  mcb_conv_params p = conv_params(1, 1, 1, 0, 0);
  mcb_channel_quant q = {k_half_m, k_zero_s, 1};
  mcb_filter_s8 f = {w, 1, 3, 3, 1};
  mcb_view_s8 vin = full_view(in, 3, 3, 1), vout = full_view(out, 3, 3, 1);
  mcb_region r = {0, 4, 0, 3};
  CHECK_STATUS(mcb_conv_2d_s8(NULL, &q, &vin, &f, NULL, &vout, NULL, NULL), MCB_ERR_ARG);
  CHECK_STATUS(mcb_conv_2d_s8(&p, &q, &vin, &f, NULL, &vout, &r, NULL), MCB_ERR_WINDOW);
  q.count = 2;
  CHECK_STATUS(mcb_conv_2d_s8(&p, &q, &vin, &f, NULL, &vout, NULL, NULL), MCB_ERR_SHAPE);
  q.count = 1;
  p.act_min = 5;
  p.act_max = 4;
  CHECK_STATUS(mcb_conv_2d_s8(&p, &q, &vin, &f, NULL, &vout, NULL, NULL), MCB_ERR_ARG);
  p.act_min = -128;
  p.act_max = 127;
  vin.y0 = 1; /* window sticks out of the full tensor */
  CHECK_STATUS(mcb_conv_2d_s8(&p, &q, &vin, &f, NULL, &vout, NULL, NULL), MCB_ERR_SHAPE);
}

int main(void) {
  test_padding_is_skipped();
  test_per_channel_rounding_and_clamp();
  test_stride_dilation();
  test_groups();
  test_negative_multiplier();
  tiles_match_full(1, 1, 3, 1);
  tiles_match_full(2, 1, 3, 1);
  tiles_match_full(1, 2, 3, 2);
  tiles_match_full(2, 1, 5, 2);
  tiles_match_full(1, 1, 1, 0);
  test_in_place_pointwise();
  test_bad_arguments();
  return test_report("test_conv_2d_s8");
}
