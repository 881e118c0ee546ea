/*
 * QUANTIZE: float32 -> int8 (TFLM reference_ops::AffineQuantize: float division
 * by the float scale, round half away from zero, + zp, clamp) and the integer
 * requantizations TFLM supports for 8-bit types (reference_ops::Requantize:
 * (x - in_zp) * multiplier/shift + out_zp, clamped to the output type).
 */
#include <math.h>

#include "kernels_ref.h"
#include "kernel_common.h"
#include "mcb/quant.h"

mcb_status mcb_quantize_f32_s8_ref(const mcb_affine_quant *q, const float *input, int8_t *output,
                               int32_t count) {
  int32_t i;
  if (q == NULL || input == NULL || output == NULL || !(q->scale > 0.0f) ||
      q->zero_point < -128 || q->zero_point > 127) {
    return MCB_ERR_ARG;
  }
  if (count < 0) {
    return MCB_ERR_SHAPE;
  }
  if (mcb__overlaps(output, (size_t)count, input, (size_t)count * sizeof(float))) {
    return MCB_ERR_ALIAS;
  }
  for (i = 0; i < count; ++i) {
    float r = roundf(input[i] / q->scale);
    int32_t v;
    /* TFLM's float->int conversion is undefined out of range; saturating first
     * gives the same bytes whenever TFLM's is defined. NaN maps to the zero point. */
    if (r != r) {
      r = 0.0f;
    } else if (r > 65536.0f) {
      r = 65536.0f;
    } else if (r < -65536.0f) {
      r = -65536.0f;
    }
    v = (int32_t)r + q->zero_point;
    output[i] = (int8_t)mcb_clamp(v, -128, 127);
  }
  return MCB_OK;
}

static mcb_status check_requantize(const mcb_requantize_params *p, const void *input,
                                   const void *output, int32_t count) {
  if (p == NULL || input == NULL || output == NULL || p->multiplier < 0 || p->shift < -31 ||
      p->shift > 30) {
    return MCB_ERR_ARG;
  }
  if (count < 0) {
    return MCB_ERR_SHAPE;
  }
  /* Same element size: exact in-place is safe, partial overlap is not. */
  if (output != input && mcb__overlaps(output, (size_t)count, input, (size_t)count)) {
    return MCB_ERR_ALIAS;
  }
  return MCB_OK;
}

static int32_t requantize_one(const mcb_requantize_params *p, int32_t x) {
  return mcb_multiply_by_quantized_multiplier(x - p->input_zero_point, p->multiplier, p->shift) +
         p->output_zero_point;
}

mcb_status mcb_quantize_s8_s8_ref(const mcb_requantize_params *params, const int8_t *input,
                              int8_t *output, int32_t count) {
  int32_t i;
  const mcb_status st = check_requantize(params, input, output, count);
  if (st != MCB_OK) {
    return st;
  }
  for (i = 0; i < count; ++i) {
    output[i] = (int8_t)mcb_clamp(requantize_one(params, input[i]), -128, 127);
  }
  return MCB_OK;
}

mcb_status mcb_quantize_s8_u8_ref(const mcb_requantize_params *params, const int8_t *input,
                              uint8_t *output, int32_t count) {
  int32_t i;
  const mcb_status st = check_requantize(params, input, output, count);
  if (st != MCB_OK) {
    return st;
  }
  for (i = 0; i < count; ++i) {
    output[i] = (uint8_t)mcb_clamp(requantize_one(params, input[i]), 0, 255);
  }
  return MCB_OK;
}

mcb_status mcb_quantize_u8_s8_ref(const mcb_requantize_params *params, const uint8_t *input,
                              int8_t *output, int32_t count) {
  int32_t i;
  const mcb_status st = check_requantize(params, input, output, count);
  if (st != MCB_OK) {
    return st;
  }
  for (i = 0; i < count; ++i) {
    output[i] = (int8_t)mcb_clamp(requantize_one(params, input[i]), -128, 127);
  }
  return MCB_OK;
}
