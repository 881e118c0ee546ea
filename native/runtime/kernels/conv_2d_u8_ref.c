/*
 * Legacy uint8 CONV_2D: TFLite reference_ops::Conv (uint8). Per-tensor
 * requantization, weight zero point: acc += (w + filter_offset) * (x + input_offset)
 * over in-bounds taps, + bias, MultiplyByQuantizedMultiplier, + output_offset, clamp.
 */
#include "kernels_ref.h"
#include "conv_u8_common.h"
#include "kernel_common.h"
#include "mcb/quant.h"

mcb_status mcb_conv_2d_u8_ref(const mcb_conv_u8_params *params, const mcb_view_u8 *input,
                          const mcb_filter_u8 *filter, const int32_t *bias, mcb_view_u8 *output,
                          const mcb_region *region) {
  mcb_region r;
  int32_t oy, ox, fpg;
  mcb_status st;
  if (filter == NULL || filter->data == NULL || input == NULL || output == NULL) {
    return MCB_ERR_ARG;
  }
  if (filter->out_c < 1 || filter->h < 1 || filter->w < 1 || filter->in_c < 1 ||
      input->c % filter->in_c != 0 || filter->out_c % (input->c / filter->in_c) != 0 ||
      output->c != filter->out_c) {
    return MCB_ERR_SHAPE;
  }
  st = mcb__conv_u8_prepare(params, input, output, filter->h, filter->w, region, &r);
  if (st != MCB_OK || r.y0 == r.y1 || r.x0 == r.x1) {
    return st;
  }
  fpg = filter->out_c / (input->c / filter->in_c);
  for (oy = r.y0; oy < r.y1; ++oy) {
    const int32_t iy_origin = oy * params->stride_h - params->pad_top;
    for (ox = r.x0; ox < r.x1; ++ox) {
      const int32_t ix_origin = ox * params->stride_w - params->pad_left;
      uint8_t *dst = output->data +
                     ((oy - output->y0) * output->w + (ox - output->x0)) * output->c;
      int32_t oc;
      for (oc = 0; oc < filter->out_c; ++oc) {
        const int32_t group = oc / fpg;
        int32_t acc = 0;
        int32_t ky;
        for (ky = 0; ky < filter->h; ++ky) {
          const int32_t iy = iy_origin + params->dilation_h * ky;
          int32_t kx;
          if (iy < 0 || iy >= input->full_h) continue;
          for (kx = 0; kx < filter->w; ++kx) {
            const int32_t ix = ix_origin + params->dilation_w * kx;
            const uint8_t *x;
            const uint8_t *w;
            int32_t ic;
            if (ix < 0 || ix >= input->full_w) continue;
            x = input->data + ((iy - input->y0) * input->w + (ix - input->x0)) * input->c +
                group * filter->in_c;
            w = filter->data + ((oc * filter->h + ky) * filter->w + kx) * filter->in_c;
            for (ic = 0; ic < filter->in_c; ++ic) {
              acc += ((int32_t)w[ic] + params->filter_offset) *
                     ((int32_t)x[ic] + params->input_offset);
            }
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
