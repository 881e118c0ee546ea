/*
 * int8 LEAKY_RELU: TFLM reference_ops::QuantizeLeakyRelu. x - in_zp >= 0 is
 * rescaled by the identity multiplier, otherwise by the alpha multiplier (whose
 * sign is taken out first, so negative alpha works), then + out_zp and clamped.
 */
#include "kernels_ref.h"
#include "kernel_common.h"
#include "op_checks.h"
#include "mcb/quant.h"

mcb_status mcb_leaky_relu_s8_ref(const mcb_leaky_relu_params *params, const int8_t *input,
                                 int8_t *output, int32_t count) {
  int32_t i;
  int32_t alpha_multiplier;
  int alpha_negative;
  const mcb_status st = mcb__leaky_relu_s8_check(params, input, output, count);
  if (st != MCB_OK) {
    return st;
  }
  alpha_negative = params->output_multiplier_alpha < 0;
  alpha_multiplier = alpha_negative ? -params->output_multiplier_alpha
                                    : params->output_multiplier_alpha;
  for (i = 0; i < count; ++i) {
    const int32_t x = input[i] - params->input_zero_point;
    int32_t y = params->output_zero_point;
    if (x >= 0) {
      y += mcb_multiply_by_quantized_multiplier(x, params->output_multiplier_identity,
                                                params->output_shift_identity);
    } else {
      const int32_t scaled =
          mcb_multiply_by_quantized_multiplier(x, alpha_multiplier, params->output_shift_alpha);
      y += alpha_negative ? -scaled : scaled;
    }
    output[i] = (int8_t)mcb_clamp(y, -128, 127);
  }
  return MCB_OK;
}
