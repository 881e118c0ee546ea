/*
 * Legacy uint8 AVERAGE_POOL_2D: TFLite reference_ops::AveragePool (uint8). The sum of
 * in-bounds taps is never negative, so TFLite rounds with (acc + n/2) / n.
 */
#include "kernels_ref.h"
#include "conv_u8_common.h"
#include "kernel_common.h"
#include "mcb/quant.h"
#include "pooling_common.h"

mcb_status mcb_avg_pool_2d_u8_ref(const mcb_pool_params *params, const mcb_view_u8 *input,
                              mcb_view_u8 *output, const mcb_region *region) {
  mcb_region r;
  int32_t oy, ox;
  mcb_view_s8 vin, vout;
  mcb_status st;
  if (params == NULL || input == NULL || output == NULL) {
    return MCB_ERR_ARG;
  }
  if (params->act_min < 0 || params->act_max > 255 || params->act_min > params->act_max) {
    return MCB_ERR_ARG;
  }
  vin = mcb__as_view_s8(input);
  vout = mcb__as_view_s8(output);
  {
    /* The shared pool checks clamp act ranges to int8; check the window with a neutral range. */
    mcb_pool_params p = *params;
    p.act_min = -128;
    p.act_max = 127;
    if ((st = mcb__pool_prepare(&p, &vin, &vout, region, &r)) != MCB_OK) {
      return st;
    }
  }
  if ((st = mcb__pool_check_nonempty(params, input->full_h, input->full_w, &r)) != MCB_OK) {
    return st;
  }
  for (oy = r.y0; oy < r.y1; ++oy) {
    const mcb__pool_span sy = mcb__pool_span_at(oy, params->stride_h, params->pad_top, params->filter_h, input->full_h);
    const int32_t iy_origin = sy.origin, ky0 = sy.k0, ky1 = sy.k1;
    for (ox = r.x0; ox < r.x1; ++ox) {
      const mcb__pool_span sx = mcb__pool_span_at(ox, params->stride_w, params->pad_left, params->filter_w, input->full_w);
      const int32_t ix_origin = sx.origin, kx0 = sx.k0, kx1 = sx.k1;
      const int32_t count = (ky1 - ky0) * (kx1 - kx0);
      uint8_t *dst = output->data +
                     ((oy - output->y0) * output->w + (ox - output->x0)) * output->c;
      int32_t ch;
      for (ch = 0; ch < output->c; ++ch) {
        int32_t acc = 0;
        int32_t ky, kx;
        for (ky = ky0; ky < ky1; ++ky) {
          const int32_t row = iy_origin + ky - input->y0;
          for (kx = kx0; kx < kx1; ++kx) {
            acc += input->data[(row * input->w + ix_origin + kx - input->x0) * input->c + ch];
          }
        }
        acc = (acc + count / 2) / count;
        dst[ch] = (uint8_t)mcb_clamp(acc, params->act_min, params->act_max);
      }
    }
  }
  return MCB_OK;
}
