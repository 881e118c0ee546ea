/*
 * int8 ADD: TFLM reference_integer_ops::AddFunc. Both inputs are shifted left by
 * left_shift (20), rescaled to a common scale with
 * MultiplyByQuantizedMultiplierSmallerThanOneExp (shift <= 0), summed, and the
 * sum rescaled to the output.
 */
#include "broadcast_common.h"
#include "kernels_ref.h"
#include "kernel_common.h"
#include "op_checks.h"
#include "mcb/quant.h"

static int8_t add_one(int32_t a, int32_t b, const void *vp) {
  const mcb_add_params *p = (const mcb_add_params *)vp;
  const int32_t x1 = (p->input1_offset + a) * (1 << p->left_shift);
  const int32_t x2 = (p->input2_offset + b) * (1 << p->left_shift);
  const int32_t s1 = mcb_multiply_by_quantized_multiplier(x1, p->input1_multiplier, p->input1_shift);
  const int32_t s2 = mcb_multiply_by_quantized_multiplier(x2, p->input2_multiplier, p->input2_shift);
  const int32_t raw = mcb_multiply_by_quantized_multiplier(s1 + s2, p->output_multiplier,
                                                           p->output_shift) +
                      p->output_offset;
  return (int8_t)mcb_clamp(raw, p->act_min, p->act_max);
}

mcb_status mcb_add_s8_ref(const mcb_add_params *params, const mcb_shape *shape1, const int8_t *input1,
                          const mcb_shape *shape2, const int8_t *input2,
                          const mcb_shape *out_shape, int8_t *output) {
  const mcb_status st = mcb__add_s8_check_params(params);
  if (st != MCB_OK) {
    return st;
  }
  return mcb__broadcast_binary_s8(shape1, input1, shape2, input2, out_shape, output, add_one,
                                  params);
}
