/*
 * int8 MUL: TFLM reference_integer_ops::MulElementwise / BroadcastMul6DSlow:
 * (x1 + offset1) * (x2 + offset2), MultiplyByQuantizedMultiplier, + output offset,
 * clamp.
 */
#include "broadcast_common.h"
#include "kernels_ref.h"
#include "kernel_common.h"
#include "op_checks.h"
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
  const mcb_status st = mcb__mul_s8_check_params(params);
  if (st != MCB_OK) {
    return st;
  }
  return mcb__broadcast_binary_s8(shape1, input1, shape2, input2, out_shape, output, mul_one,
                                  params);
}
