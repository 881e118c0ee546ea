/*
 * int8 CONV_2D, per-channel requantization: the arithmetic of TFLM
 * reference_integer_ops::ConvPerChannel (taps outside the full input are
 * skipped; acc += w * (x + input_offset); + bias; MultiplyByQuantizedMultiplier;
 * + output_offset; clamp), computed over an output region of windowed views.
 */
#include <string.h>

#include "kernels_ref.h"
#include "kernel_common.h"
#include "op_checks.h"
#include "mcb/quant.h"

/* All out_c outputs of pixel (oy, ox) into dst[0..out_c). */
static void conv_pixel(const mcb_conv_params *p, const mcb_channel_quant *q,
                       const mcb_view_s8 *in, const mcb_filter_s8 *f, const int32_t *bias,
                       int32_t oy, int32_t ox, int8_t *dst) {
  const int32_t filters_per_group = f->out_c / (in->c / f->in_c);
  const int32_t iy_origin = oy * p->stride_h - p->pad_top;
  const int32_t ix_origin = ox * p->stride_w - p->pad_left;
  int32_t oc;
  for (oc = 0; oc < f->out_c; ++oc) {
    const int32_t group = oc / filters_per_group;
    const int32_t qi = q->count == 1 ? 0 : oc;
    int32_t acc = 0;
    int32_t ky;
    for (ky = 0; ky < f->h; ++ky) {
      const int32_t iy = iy_origin + p->dilation_h * ky;
      int32_t kx;
      if (iy < 0 || iy >= in->full_h) {
        continue;
      }
      for (kx = 0; kx < f->w; ++kx) {
        const int32_t ix = ix_origin + p->dilation_w * kx;
        const int8_t *x;
        const int8_t *w;
        int32_t ic;
        if (ix < 0 || ix >= in->full_w) {
          continue;
        }
        x = in->data + ((iy - in->y0) * in->w + (ix - in->x0)) * in->c + group * f->in_c;
        w = f->data + ((oc * f->h + ky) * f->w + kx) * f->in_c;
        for (ic = 0; ic < f->in_c; ++ic) {
          acc += (int32_t)w[ic] * ((int32_t)x[ic] + p->input_offset);
        }
      }
    }
    if (bias != NULL) {
      acc += bias[oc];
    }
    acc = mcb_multiply_by_quantized_multiplier(acc, q->multiplier[qi], q->shift[qi]);
    acc += p->output_offset;
    dst[oc] = (int8_t)mcb_clamp(acc, p->act_min, p->act_max);
  }
}

int32_t mcb_conv_2d_s8_scratch_size(const mcb_view_s8 *input, const mcb_view_s8 *output,
                                    const mcb_filter_s8 *filter) {
  if (input == NULL || output == NULL || filter == NULL) {
    return 0;
  }
  return output->data == input->data ? filter->out_c : 0;
}

mcb_status mcb_conv_2d_s8_ref(const mcb_conv_params *params, const mcb_channel_quant *quant,
                              const mcb_view_s8 *input, const mcb_filter_s8 *filter,
                              const int32_t *bias, mcb_view_s8 *output, const mcb_region *region,
                              const mcb_context *ctx) {
  mcb__window_call call;
  int32_t oy;
  int32_t ox;
  const mcb_status st = mcb__conv_2d_s8_check(params, quant, input, filter, output, region, ctx, &call);
  if (st != MCB_OK || call.empty) {
    return st;
  }
  for (oy = call.r.y0; oy < call.r.y1; ++oy) {
    for (ox = call.r.x0; ox < call.r.x1; ++ox) {
      int8_t *dst = output->data +
                    ((oy - output->y0) * output->w + (ox - output->x0)) * output->c;
      if (call.inplace) {
        /* Finish the pixel before storing: its bytes may still hold its own input. */
        conv_pixel(params, quant, input, filter, bias, oy, ox, (int8_t *)ctx->buf);
        memcpy(dst, ctx->buf, (size_t)filter->out_c);
      } else {
        conv_pixel(params, quant, input, filter, bias, oy, ox, dst);
      }
    }
  }
  return MCB_OK;
}
