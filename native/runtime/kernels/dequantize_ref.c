/*
 * DEQUANTIZE: TFLM reference_ops::Dequantize — (float)((double)scale * (q - zp)),
 * the product taken in double and rounded once to float.
 */
#include "kernels_ref.h"
#include "kernel_common.h"

static mcb_status check_args(const mcb_affine_quant *q, const void *input, const float *output,
                             int32_t count) {
  if (q == NULL || input == NULL || output == NULL) {
    return MCB_ERR_ARG;
  }
  if (count < 0) {
    return MCB_ERR_SHAPE;
  }
  if (mcb__overlaps(output, (size_t)count * sizeof(float), input, (size_t)count)) {
    return MCB_ERR_ALIAS;
  }
  return MCB_OK;
}

mcb_status mcb_dequantize_s8_f32_ref(const mcb_affine_quant *q, const int8_t *input, float *output,
                                 int32_t count) {
  int32_t i;
  const mcb_status st = check_args(q, input, output, count);
  if (st != MCB_OK) {
    return st;
  }
  for (i = 0; i < count; ++i) {
    output[i] = (float)((double)q->scale * (double)((int32_t)input[i] - q->zero_point));
  }
  return MCB_OK;
}

mcb_status mcb_dequantize_u8_f32_ref(const mcb_affine_quant *q, const uint8_t *input, float *output,
                                 int32_t count) {
  int32_t i;
  const mcb_status st = check_args(q, input, output, count);
  if (st != MCB_OK) {
    return st;
  }
  for (i = 0; i < count; ++i) {
    output[i] = (float)((double)q->scale * (double)((int32_t)input[i] - q->zero_point));
  }
  return MCB_OK;
}
