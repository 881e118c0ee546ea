/* FULLY_CONNECTED: hand-computed per-tensor / per-channel cases, filter offset, saturation. */
#include "test_util.h"

/* With symmetric weights, FC over [batches, accum] equals a 1x1 conv over [1, batches, 1, accum]
 * (the conv kernel is verified layer by layer against TFLM). */
static void test_matches_pointwise_conv(int per_channel) {
  enum { B = 3, A = 37, O = 5 };
  int8_t in[B * A], w[O * A], fc_out[B * O], conv_out[B * O];
  int32_t bias[O], m[O], s[O], i;
  mcb_fully_connected_params fp;
  mcb_conv_params cp;
  mcb_channel_quant q;
  mcb_filter_s8 f;
  mcb_view_s8 vin, vout;
  rng_fill_s8(in, sizeof in);
  rng_fill_s8(w, sizeof w);
  for (i = 0; i < O; ++i) {
    bias[i] = rng_range(-4000, 4000);
    m[i] = rng_range(1 << 30, INT32_MAX);
    s[i] = rng_range(-10, -6);
  }
  q.multiplier = m; q.shift = s; q.count = per_channel ? O : 1;
  fp.input_offset = 11; fp.filter_offset = 0; fp.output_offset = -7; fp.act_min = -120; fp.act_max = 120;
  cp.stride_h = cp.stride_w = cp.dilation_h = cp.dilation_w = 1;
  cp.pad_top = cp.pad_left = 0;
  cp.input_offset = 11; cp.output_offset = -7; cp.act_min = -120; cp.act_max = 120;
  f.data = w; f.out_c = O; f.h = 1; f.w = 1; f.in_c = A;
  vin = full_view(in, B, 1, A);
  vout = full_view(conv_out, B, 1, O);
  CHECK_STATUS(mcb_fully_connected_s8(&fp, &q, in, B, A, w, O, bias, fc_out), MCB_OK);
  CHECK_STATUS(mcb_conv_2d_s8(&cp, &q, &vin, &f, bias, &vout, NULL, NULL), MCB_OK);
  CHECK_BYTES(fc_out, conv_out, B * O);
}

int main(void) {
  test_matches_pointwise_conv(0);
  test_matches_pointwise_conv(1);
  const int8_t in[3] = {1, 2, 3};
  const int8_t w[6] = {1, 1, 1, -1, 2, -3};
  const int32_t bias[2] = {10, 0};
  const int32_t half_m[2] = {1 << 30, 1 << 30}, half_s[2] = {0, 0};
  const int32_t pc_s[2] = {0, 3}; /* x0.5, x4 */
  int8_t out[4];
  mcb_fully_connected_params p = {1, 0, 100, -128, 127};
  mcb_channel_quant per_tensor = {half_m, half_s, 1};
  mcb_channel_quant per_channel = {half_m, pc_s, 2};
  /* x + 1 = [2,3,4]: out0 = (9 + 10) * 0.5 = 9.5 -> 10; out1 = (2*-1+3*2+4*-3) * 0.5 = -4. */
  CHECK_STATUS(mcb_fully_connected_s8(&p, &per_tensor, in, 1, 3, w, 2, bias, out), MCB_OK);
  CHECK_EQ(out[0], 110);
  CHECK_EQ(out[1], 96);
  /* Per-channel: out1 = -8 * 4 = -32. */
  CHECK_STATUS(mcb_fully_connected_s8(&p, &per_channel, in, 1, 3, w, 2, bias, out), MCB_OK);
  CHECK_EQ(out[0], 110);
  CHECK_EQ(out[1], 68);
  /* Per-tensor honours filter_offset (w + 1): out0 = 18 + 10 -> 14; out1 = 1 -> 0.5 -> 1. */
  p.filter_offset = 1;
  CHECK_STATUS(mcb_fully_connected_s8(&p, &per_tensor, in, 1, 3, w, 2, bias, out), MCB_OK);
  CHECK_EQ(out[0], 114);
  CHECK_EQ(out[1], 101);
  /* Per-channel ignores it, as TFLM's FullyConnectedPerChannel does. */
  CHECK_STATUS(mcb_fully_connected_s8(&p, &per_channel, in, 1, 3, w, 2, bias, out), MCB_OK);
  CHECK_EQ(out[0], 110);
  CHECK_EQ(out[1], 68);
  /* Saturation at the int8 limits, two batches. */
  {
    const int8_t in2[6] = {127, 127, 127, -128, -128, -128};
    const int8_t w2[3] = {127, 127, 127};
    const int32_t one_m[1] = {1 << 30}, one_s[1] = {1};
    mcb_channel_quant one = {one_m, one_s, 1};
    mcb_fully_connected_params p2 = {0, 0, 0, -128, 127};
    CHECK_STATUS(mcb_fully_connected_s8(&p2, &one, in2, 2, 3, w2, 1, NULL, out), MCB_OK);
    CHECK_EQ(out[0], 127);
    CHECK_EQ(out[1], -128);
  }
  /* Errors: bad shapes, bad quant count, aliasing. */
  p.filter_offset = 0;
  CHECK_STATUS(mcb_fully_connected_s8(&p, &per_tensor, in, 0, 3, w, 2, bias, out), MCB_ERR_SHAPE);
  per_channel.count = 3;
  CHECK_STATUS(mcb_fully_connected_s8(&p, &per_channel, in, 1, 3, w, 2, bias, out), MCB_ERR_SHAPE);
  CHECK_STATUS(mcb_fully_connected_s8(&p, &per_tensor, out, 1, 2, w, 2, bias, out), MCB_ERR_ALIAS);
  return test_report("test_fully_connected_s8");
}
