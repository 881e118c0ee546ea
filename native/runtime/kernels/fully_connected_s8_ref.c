/*
 * int8 FULLY_CONNECTED: TFLM reference_integer_ops::FullyConnected (per-tensor,
 * applies filter_offset) and FullyConnectedPerChannel (per-channel, ignores it,
 * as TFLM does since per-channel weights are symmetric).
 */
#include "kernels_ref.h"
#include "kernel_common.h"
#include "op_checks.h"
#include "mcb/quant.h"

mcb_status mcb_fully_connected_s8_ref(const mcb_fully_connected_params *params,
                                      const mcb_channel_quant *quant, const int8_t *input,
                                      int32_t batches, int32_t accum_depth, const int8_t *filter,
                                      int32_t out_depth, const int32_t *bias, int8_t *output) {
  int32_t b;
  int32_t filter_offset;
  const mcb_status st = mcb__fully_connected_s8_check(params, quant, input, batches, accum_depth,
                                                      filter, out_depth, output);
  if (st != MCB_OK) {
    return st;
  }
  filter_offset = (quant->count == 1) ? params->filter_offset : 0;
  for (b = 0; b < batches; ++b) {
    const int8_t *x = input + b * accum_depth;
    int32_t oc;
    for (oc = 0; oc < out_depth; ++oc) {
      const int8_t *w = filter + oc * accum_depth;
      const int32_t qi = quant->count == 1 ? 0 : oc;
      int32_t acc = 0;
      int32_t d;
      for (d = 0; d < accum_depth; ++d) {
        acc += ((int32_t)w[d] + filter_offset) * ((int32_t)x[d] + params->input_offset);
      }
      if (bias != NULL) {
        acc += bias[oc];
      }
      acc = mcb_multiply_by_quantized_multiplier(acc, quant->multiplier[qi], quant->shift[qi]);
      acc += params->output_offset;
      output[b * out_depth + oc] = (int8_t)mcb_clamp(acc, params->act_min, params->act_max);
    }
  }
  return MCB_OK;
}
