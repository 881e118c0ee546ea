/* FULLY_CONNECTED: hand-computed per-tensor / per-channel cases, filter offset, saturation. */
#include "test_util.h"

int main(void) {
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
