/*
 * int8 AVERAGE_POOL_2D: TFLM reference_integer_ops::AveragePool. Only taps inside
 * the full input count; the int32 sum is divided with rounding half away from
 * zero ((acc +/- count/2) / count, truncating division), then clamped.
 */
#include "kernels_ref.h"
#include "kernel_common.h"
#include "mcb/quant.h"
#include "pooling_common.h"

mcb_status mcb_avg_pool_2d_s8_ref(const mcb_pool_params *params, const mcb_view_s8 *input,
                              mcb_view_s8 *output, const mcb_region *region) {
  mcb_region r;
  int32_t oy;
  int32_t ox;
  mcb_status st = mcb__pool_prepare(params, input, output, region, &r);
  if (st != MCB_OK) {
    return st;
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
      int8_t *dst = output->data +
                    ((oy - output->y0) * output->w + (ox - output->x0)) * output->c;
      int32_t ch;
      for (ch = 0; ch < output->c; ++ch) {
        int32_t acc = 0;
        int32_t ky;
        for (ky = ky0; ky < ky1; ++ky) {
          const int32_t row = iy_origin + ky - input->y0;
          int32_t kx;
          for (kx = kx0; kx < kx1; ++kx) {
            const int32_t col = ix_origin + kx - input->x0;
            acc += input->data[(row * input->w + col) * input->c + ch];
          }
        }
        acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
        dst[ch] = (int8_t)mcb_clamp(acc, params->act_min, params->act_max);
      }
    }
  }
  return MCB_OK;
}
