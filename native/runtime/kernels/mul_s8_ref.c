/*
 * int8 MUL: TFLM reference_integer_ops::MulElementwise / BroadcastMul6DSlow:
 * (x1 + offset1) * (x2 + offset2), MultiplyByQuantizedMultiplier, + output offset,
 * clamp.
 */
#include "broadcast_common.h"
#include "dispatch.h"
#include "kernel_common.h"
#include "mcb/quant.h"

static int8_t mul_one(int32_t a, int32_t b, const void *vp) {
  const mcb_mul_params *p = (const mcb_mul_params *)vp;
  const int32_t prod = (p->input1_offset + a) * (p->input2_offset + b);
  const int32_t raw =
      mcb_multiply_by_quantized_multiplier(prod, p->output_multiplier, p->output_shift) +
      p->output_offset;
  return (int8_t)mcb_clamp(raw, p->act_min, p->act_max);
}

mcb_status mcb_mul_s8_ref(const mcb_mul_params *params, const mcb_shape *shape1, const int8_t *input1,
                          const mcb_shape *shape2, const int8_t *input2,
                          const mcb_shape *out_shape, int8_t *output) {
  mcb_status st;
  if (params == NULL) {
    return MCB_ERR_ARG;
  }
  if (params->output_multiplier < 0 || params->output_shift < -31 ||
      params->output_shift > 30 || params->input1_offset < -127 ||
      params->input1_offset > 128 || params->input2_offset < -127 ||
      params->input2_offset > 128 || params->output_offset < -128 ||
      params->output_offset > 127) {
    return MCB_ERR_ARG;
  }
  if ((st = mcb__check_act_range_s8(params->act_min, params->act_max)) != MCB_OK) {
    return st;
  }
  return mcb__broadcast_binary_s8(shape1, input1, shape2, input2, out_shape, output, mul_one,
                                  params);
}
