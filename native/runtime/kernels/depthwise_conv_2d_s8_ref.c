/*
 * int8 DEPTHWISE_CONV_2D, per-channel requantization: the arithmetic of TFLM
 * reference_integer_ops::DepthwiseConvPerChannel (output channel
 * oc = ic * depth_multiplier + m), over an output region of windowed views.
 */
#include <string.h>

#include "kernels_ref.h"
#include "kernel_common.h"
#include "op_checks.h"
#include "mcb/quant.h"

/* One output value: output channel oc of pixel (oy, ox). */
static int8_t dw_value(const mcb_depthwise_conv_params *p, const mcb_channel_quant *q,
                       const mcb_view_s8 *in, const mcb_depthwise_filter_s8 *f,
                       const int32_t *bias, int32_t oy, int32_t ox, int32_t oc) {
  const int32_t ic = oc / p->depth_multiplier;
  const int32_t iy_origin = oy * p->stride_h - p->pad_top;
  const int32_t ix_origin = ox * p->stride_w - p->pad_left;
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
      int32_t x;
      int32_t w;
      if (ix < 0 || ix >= in->full_w) {
        continue;
      }
      x = in->data[((iy - in->y0) * in->w + (ix - in->x0)) * in->c + ic];
      w = f->data[(ky * f->w + kx) * f->c + oc];
      acc += w * (x + p->input_offset);
    }
  }
  if (bias != NULL) {
    acc += bias[oc];
  }
  acc = mcb_multiply_by_quantized_multiplier(acc, q->multiplier[qi], q->shift[qi]);
  acc += p->output_offset;
  return (int8_t)mcb_clamp(acc, p->act_min, p->act_max);
}

int32_t mcb_depthwise_conv_2d_s8_scratch_size(const mcb_view_s8 *input,
                                              const mcb_view_s8 *output) {
  if (input == NULL || output == NULL || output->data != input->data) {
    return 0;
  }
  return output->h * output->w;
}

/* In-place case (a): channel planes through scratch, then scattered. */
static void dw_inplace(const mcb_depthwise_conv_params *p, const mcb_channel_quant *q,
                       const mcb_view_s8 *in, const mcb_depthwise_filter_s8 *f,
                       const int32_t *bias, mcb_view_s8 *out, int8_t *plane) {
  int32_t ch;
  for (ch = 0; ch < out->c; ++ch) {
    int32_t i = 0;
    int32_t oy;
    int32_t ox;
    for (oy = out->y0; oy < out->y0 + out->h; ++oy) {
      for (ox = out->x0; ox < out->x0 + out->w; ++ox) {
        plane[i++] = dw_value(p, q, in, f, bias, oy, ox, ch);
      }
    }
    /* Every slot q*c+ch held channel ch of some input pixel, all read above. */
    for (i = 0; i < out->h * out->w; ++i) {
      out->data[i * out->c + ch] = plane[i];
    }
  }
}

mcb_status mcb_depthwise_conv_2d_s8_ref(const mcb_depthwise_conv_params *params,
                                        const mcb_channel_quant *quant, const mcb_view_s8 *input,
                                        const mcb_depthwise_filter_s8 *filter, const int32_t *bias,
                                        mcb_view_s8 *output, const mcb_region *region,
                                        const mcb_context *ctx) {
  mcb__window_call call;
  int32_t oy;
  int32_t ox;
  const mcb_status st =
      mcb__depthwise_conv_2d_s8_check(params, quant, input, filter, output, region, ctx, &call);
  if (st != MCB_OK || call.empty) {
    return st;
  }
  if (call.inplace) {
    dw_inplace(params, quant, input, filter, bias, output, (int8_t *)ctx->buf);
    return MCB_OK;
  }
  for (oy = call.r.y0; oy < call.r.y1; ++oy) {
    for (ox = call.r.x0; ox < call.r.x1; ++ox) {
      int8_t *dst = output->data +
                    ((oy - output->y0) * output->w + (ox - output->x0)) * output->c;
      int32_t oc;
      for (oc = 0; oc < output->c; ++oc) {
        dst[oc] = dw_value(params, quant, input, filter, bias, oy, ox, oc);
      }
    }
  }
  return MCB_OK;
}
