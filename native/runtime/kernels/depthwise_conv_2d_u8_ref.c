/*
 * Legacy uint8 DEPTHWISE_CONV_2D: TFLite reference_ops::DepthwiseConv (uint8), whose
 * kAwayFromZero rounding is MultiplyByQuantizedMultiplier in the default build.
 */
#include "kernels_ref.h"
#include "conv_u8_common.h"
#include "kernel_common.h"
#include "mcb/quant.h"

mcb_status mcb_depthwise_conv_2d_u8_ref(const mcb_conv_u8_params *params, const mcb_view_u8 *input,
                                    const mcb_depthwise_filter_u8 *filter, const int32_t *bias,
                                    mcb_view_u8 *output, const mcb_region *region) {
  mcb_region r;
  int32_t oy, ox;
  mcb_status st;
  if (params == NULL || filter == NULL || filter->data == NULL || input == NULL || output == NULL) {
    return MCB_ERR_ARG;
  }
  if (params->depth_multiplier < 1 || filter->h < 1 || filter->w < 1 ||
      filter->c != input->c * params->depth_multiplier || output->c != filter->c) {
    return MCB_ERR_SHAPE;
  }
  st = mcb__conv_u8_prepare(params, input, output, filter->h, filter->w, region, &r);
  if (st != MCB_OK || r.y0 == r.y1 || r.x0 == r.x1) {
    return st;
  }
  for (oy = r.y0; oy < r.y1; ++oy) {
    const int32_t iy_origin = oy * params->stride_h - params->pad_top;
    for (ox = r.x0; ox < r.x1; ++ox) {
      const int32_t ix_origin = ox * params->stride_w - params->pad_left;
      uint8_t *dst = output->data +
                     ((oy - output->y0) * output->w + (ox - output->x0)) * output->c;
      int32_t oc;
      for (oc = 0; oc < filter->c; ++oc) {
        const int32_t ic = oc / params->depth_multiplier;
        int32_t acc = 0;
        int32_t ky;
        for (ky = 0; ky < filter->h; ++ky) {
          const int32_t iy = iy_origin + params->dilation_h * ky;
          int32_t kx;
          if (iy < 0 || iy >= input->full_h) continue;
          for (kx = 0; kx < filter->w; ++kx) {
            const int32_t ix = ix_origin + params->dilation_w * kx;
            int32_t x, w;
            if (ix < 0 || ix >= input->full_w) continue;
            x = input->data[((iy - input->y0) * input->w + (ix - input->x0)) * input->c + ic];
            w = filter->data[(ky * filter->w + kx) * filter->c + oc];
            acc += (w + params->filter_offset) * (x + params->input_offset);
          }
        }
        if (bias != NULL) acc += bias[oc];
        acc = mcb_multiply_by_quantized_multiplier(acc, params->output_multiplier,
                                                   params->output_shift);
        acc += params->output_offset;
        dst[oc] = (uint8_t)mcb_clamp(acc, params->act_min, params->act_max);
      }
    }
  }
  return MCB_OK;
}
