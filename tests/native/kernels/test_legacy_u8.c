/*
 * Legacy uint8 kernels: hand-computed cases for what int8 does not have (weight zero
 * point, uint8 pool rounding), and differential checks against the TFLM-verified int8
 * kernels where the arithmetic maps exactly (x_u8 = x_s8 + 128, symmetric weights).
 */
#include <stdlib.h>

#include "test_util.h"

static mcb_view_u8 u8_view(uint8_t *data, int32_t h, int32_t w, int32_t c) {
  mcb_view_u8 v;
  v.data = data; v.y0 = 0; v.x0 = 0; v.h = h; v.w = w; v.c = c; v.full_h = h; v.full_w = w;
  return v;
}

static mcb_conv_u8_params u8_params(int32_t stride, int32_t pad) {
  mcb_conv_u8_params p;
  p.stride_h = p.stride_w = stride;
  p.dilation_h = p.dilation_w = 1;
  p.pad_top = p.pad_left = pad;
  p.depth_multiplier = 1;
  p.input_offset = -128; p.filter_offset = 0; p.output_offset = 0;
  p.output_multiplier = 1 << 30; p.output_shift = 0;
  p.act_min = 0; p.act_max = 255;
  return p;
}

static void test_weight_zero_point(void) {
  uint8_t in[2] = {130, 120}, w[2] = {10, 200}, out[1];
  int32_t bias[1] = {1000};
  mcb_conv_u8_params p = u8_params(1, 0);
  mcb_filter_u8 f = {w, 1, 1, 1, 2};
  mcb_view_u8 vin = u8_view(in, 1, 1, 2), vout = u8_view(out, 1, 1, 1);
  /* (x - 128) = [2, -8], (w - 100) = [-90, 100]: -180 - 800 + 1000 = 20, x0.5 = 10, + 50. */
  p.filter_offset = -100;
  p.output_offset = 50;
  CHECK_STATUS(mcb_conv_2d_u8(&p, &vin, &f, bias, &vout, NULL), MCB_OK);
  CHECK_EQ(out[0], 60);
  {
    /* Depthwise, same numbers on two channels with multiplier 1: channel 1 alone. */
    uint8_t dw_w[2] = {10, 200}, dw_out[2];
    mcb_depthwise_filter_u8 df = {dw_w, 1, 1, 2};
    mcb_view_u8 dout = u8_view(dw_out, 1, 1, 2);
    int32_t dbias[2] = {0, 0};
    /* ch0: 2 * -90 = -180 * 0.5 = -90 + 50 = -40 -> clamps to 0; ch1: -8 * 100 = -800 -> 0. */
    CHECK_STATUS(mcb_depthwise_conv_2d_u8(&p, &vin, &df, dbias, &dout, NULL), MCB_OK);
    CHECK_EQ(dw_out[0], 0);
    CHECK_EQ(dw_out[1], 0);
    dbias[1] = 1000; /* (-800 + 1000) * 0.5 + 50 = 150 */
    CHECK_STATUS(mcb_depthwise_conv_2d_u8(&p, &vin, &df, dbias, &dout, NULL), MCB_OK);
    CHECK_EQ(dw_out[1], 150);
  }
  p.output_offset = 300;
  CHECK_STATUS(mcb_conv_2d_u8(&p, &vin, &f, bias, &vout, NULL), MCB_ERR_ARG);
}

/* u8 conv / depthwise on x + 128 with symmetric weights == s8 kernels + 128, also tile by tile. */
static void test_matches_int8(int depthwise, int32_t stride, int32_t pad) {
  enum { H = 11, W = 9, C = 3, CO = 3, K = 3 };
  const int32_t oh = (H + 2 * pad - K) / stride + 1, ow = (W + 2 * pad - K) / stride + 1;
  int8_t in_s[H * W * C], w_s[CO * K * K * C], out_s[H * W * CO];
  uint8_t in_u[H * W * C], w_u[CO * K * K * C], out_u[H * W * CO], tiled[H * W * CO], win[H * W * C];
  int32_t bias[CO], i, yb[4], xb[4], ty, tx;
  const int32_t m = 1518500250, sh = -8, in_zp = rng_range(0, 255), out_zp = rng_range(0, 255);
  const int32_t m_arr[1] = {m}, s_arr[1] = {sh};
  mcb_channel_quant q = {m_arr, s_arr, 1};
  mcb_conv_u8_params pu = u8_params(stride, pad);
  mcb_view_s8 vs = full_view(in_s, H, W, C), vso = full_view(out_s, oh, ow, CO);
  mcb_view_u8 vu = u8_view(in_u, H, W, C), vuo = u8_view(out_u, oh, ow, CO);
  rng_fill_s8(in_s, sizeof in_s);
  rng_fill_s8(w_s, sizeof w_s);
  for (i = 0; i < (int32_t)sizeof in_s; ++i) in_u[i] = (uint8_t)(in_s[i] + 128);
  for (i = 0; i < (int32_t)sizeof w_s; ++i) {
    if (w_s[i] < 0) w_s[i] = (int8_t)(-(int32_t)w_s[i] / 2); /* uint8 weights with zp 0 are >= 0 */
    w_u[i] = (uint8_t)w_s[i];
  }
  for (i = 0; i < CO; ++i) bias[i] = rng_range(-2000, 2000);
  pu.input_offset = -in_zp; pu.output_offset = out_zp;
  pu.output_multiplier = m; pu.output_shift = sh;
  pu.act_min = 10; pu.act_max = 240;
  if (!depthwise) {
    mcb_conv_params ps;
    mcb_filter_s8 fs = {w_s, CO, K, K, C};
    mcb_filter_u8 fu = {w_u, CO, K, K, C};
    ps.stride_h = ps.stride_w = stride; ps.dilation_h = ps.dilation_w = 1;
    ps.pad_top = ps.pad_left = pad;
    ps.input_offset = 128 - in_zp; ps.output_offset = out_zp - 128;
    ps.act_min = 10 - 128; ps.act_max = 240 - 128;
    CHECK_STATUS(mcb_conv_2d_s8(&ps, &q, &vs, &fs, bias, &vso, NULL, NULL), MCB_OK);
    CHECK_STATUS(mcb_conv_2d_u8(&pu, &vu, &fu, bias, &vuo, NULL), MCB_OK);
  } else {
    mcb_depthwise_conv_params ps;
    mcb_depthwise_filter_s8 fs = {w_s, K, K, CO};
    mcb_depthwise_filter_u8 fu = {w_u, K, K, CO};
    ps.stride_h = ps.stride_w = stride; ps.dilation_h = ps.dilation_w = 1;
    ps.pad_top = ps.pad_left = pad; ps.depth_multiplier = 1;
    ps.input_offset = 128 - in_zp; ps.output_offset = out_zp - 128;
    ps.act_min = 10 - 128; ps.act_max = 240 - 128;
    CHECK_STATUS(mcb_depthwise_conv_2d_s8(&ps, &q, &vs, &fs, bias, &vso, NULL, NULL), MCB_OK);
    CHECK_STATUS(mcb_depthwise_conv_2d_u8(&pu, &vu, &fu, bias, &vuo, NULL), MCB_OK);
  }
  for (i = 0; i < oh * ow * CO; ++i) {
    if (out_u[i] != (uint8_t)(out_s[i] + 128)) {
      fprintf(stderr, "u8 vs s8 mismatch at %d: %d vs %d\n", (int)i, out_u[i], out_s[i] + 128);
      ++g_failures;
      break;
    }
  }
  /* Tiles from halo'd windows reproduce the whole result. */
  split3(oh, yb);
  split3(ow, xb);
  for (ty = 0; ty < 3; ++ty) {
    for (tx = 0; tx < 3; ++tx) {
      int32_t ylo, yhi, xlo, xhi;
      mcb_region r;
      mcb_view_s8 ws;
      mcb_view_u8 wu, tv = u8_view(tiled, oh, ow, CO);
      r.y0 = yb[ty]; r.y1 = yb[ty + 1]; r.x0 = xb[tx]; r.x1 = xb[tx + 1];
      halo(r.y0, r.y1, stride, pad, K, 1, H, &ylo, &yhi);
      halo(r.x0, r.x1, stride, pad, K, 1, W, &xlo, &xhi);
      ws = window_of((const int8_t *)in_u, H, W, C, ylo, yhi, xlo, xhi, (int8_t *)win);
      wu.data = win; wu.y0 = ws.y0; wu.x0 = ws.x0; wu.h = ws.h; wu.w = ws.w; wu.c = C;
      wu.full_h = H; wu.full_w = W;
      if (!depthwise) {
        mcb_filter_u8 fu = {w_u, CO, K, K, C};
        CHECK_STATUS(mcb_conv_2d_u8(&pu, &wu, &fu, bias, &tv, &r), MCB_OK);
      } else {
        mcb_depthwise_filter_u8 fu = {w_u, K, K, CO};
        CHECK_STATUS(mcb_depthwise_conv_2d_u8(&pu, &wu, &fu, bias, &tv, &r), MCB_OK);
      }
    }
  }
  CHECK_BYTES(tiled, out_u, oh * ow * CO);
}

static void test_avg_pool_u8(void) {
  uint8_t a[4] = {1, 2, 3, 4}, b[4] = {0, 0, 1, 1}, c[4] = {0, 0, 0, 1}, out[1];
  mcb_pool_params p = {1, 1, 2, 2, 0, 0, 0, 255};
  mcb_view_u8 vout = u8_view(out, 1, 1, 1), vin = u8_view(a, 2, 2, 1);
  CHECK_STATUS(mcb_avg_pool_2d_u8(&p, &vin, &vout, NULL), MCB_OK);
  CHECK_EQ(out[0], 3); /* 2.5 -> 3 */
  vin.data = b;
  CHECK_STATUS(mcb_avg_pool_2d_u8(&p, &vin, &vout, NULL), MCB_OK);
  CHECK_EQ(out[0], 1); /* 0.5 -> 1 */
  vin.data = c;
  CHECK_STATUS(mcb_avg_pool_2d_u8(&p, &vin, &vout, NULL), MCB_OK);
  CHECK_EQ(out[0], 0); /* 0.25 -> 0 */
  p.act_min = 2;
  CHECK_STATUS(mcb_avg_pool_2d_u8(&p, &vin, &vout, NULL), MCB_OK);
  CHECK_EQ(out[0], 2);
}

static void test_softmax_u8(void) {
  const mcb_softmax_params sp = {1 << 30, 23, -248};
  int8_t in_s[24], out_s[24];
  uint8_t in_u[24], out_u[24];
  int i;
  rng_fill_s8(in_s, sizeof in_s);
  for (i = 0; i < 24; ++i) in_u[i] = (uint8_t)(in_s[i] + 128);
  CHECK_STATUS(mcb_softmax_s8(&sp, 3, 8, in_s, out_s), MCB_OK);
  CHECK_STATUS(mcb_softmax_u8(&sp, 3, 8, in_u, out_u), MCB_OK);
  for (i = 0; i < 24; ++i) CHECK_EQ(out_u[i], out_s[i] + 128);
}

int main(void) {
  test_weight_zero_point();
  test_matches_int8(0, 1, 1);
  test_matches_int8(0, 2, 1);
  test_matches_int8(1, 1, 1);
  test_matches_int8(1, 2, 0);
  test_avg_pool_u8();
  test_softmax_u8();
  return test_report("test_legacy_u8");
}
