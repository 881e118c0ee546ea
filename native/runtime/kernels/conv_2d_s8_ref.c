/*
 * int8 CONV_2D, per-channel requantization: the arithmetic of TFLM
 * reference_integer_ops::ConvPerChannel (taps outside the full input are
 * skipped; acc += w * (x + input_offset); + bias; MultiplyByQuantizedMultiplier;
 * + output_offset; clamp), computed over an output region of windowed views.
 */
#include <string.h>

#include "dispatch.h"
#include "kernel_common.h"
#include "mcb/quant.h"

static mcb_status check_args(const mcb_conv_params *p, const mcb_channel_quant *q,
                             const mcb_view_s8 *in, const mcb_filter_s8 *f,
                             const mcb_view_s8 *out) {
  mcb_status st;
  if (p == NULL || f == NULL || f->data == NULL) {
    return MCB_ERR_ARG;
  }
  if ((st = mcb__check_view(in)) != MCB_OK || (st = mcb__check_view(out)) != MCB_OK) {
    return st;
  }
  if (p->stride_h < 1 || p->stride_w < 1 || p->dilation_h < 1 || p->dilation_w < 1 ||
      p->pad_top < 0 || p->pad_left < 0 || p->input_offset < -127 || p->input_offset > 128 ||
      p->output_offset < -128 || p->output_offset > 127) {
    return MCB_ERR_ARG;
  }
  if ((st = mcb__check_act_range_s8(p->act_min, p->act_max)) != MCB_OK) {
    return st;
  }
  if (f->out_c < 1 || f->h < 1 || f->w < 1 || f->in_c < 1 || in->c % f->in_c != 0 ||
      f->out_c % (in->c / f->in_c) != 0 || out->c != f->out_c) {
    return MCB_ERR_SHAPE;
  }
  return mcb__check_channel_quant(q, f->out_c);
}

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

/* In-place case (b): a 1x1 / stride 1 / unpadded conv over identical views. */
static int is_inplace_pointwise(const mcb_conv_params *p, const mcb_view_s8 *in,
                                const mcb_filter_s8 *f, const mcb_view_s8 *out,
                                const mcb_region *r) {
  return out->data == in->data && f->h == 1 && f->w == 1 && p->stride_h == 1 &&
         p->stride_w == 1 && p->pad_top == 0 && p->pad_left == 0 && f->in_c == in->c &&
         f->out_c <= in->c && out->y0 == in->y0 && out->x0 == in->x0 && out->h == in->h &&
         out->w == in->w && out->full_h == in->full_h && out->full_w == in->full_w &&
         mcb__region_is_whole_view(out, r);
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
  mcb_region r;
  int32_t oy;
  int32_t ox;
  int inplace = 0;
  mcb_status st = check_args(params, quant, input, filter, output);
  if (st != MCB_OK || (st = mcb__resolve_region(output, region, &r)) != MCB_OK) {
    return st;
  }
  if (r.y0 == r.y1 || r.x0 == r.x1) {
    return MCB_OK;
  }
  st = mcb__check_taps_1d(r.y0, r.y1, params->stride_h, params->pad_top, filter->h,
                          params->dilation_h, input->full_h, input->y0, input->h);
  if (st != MCB_OK) {
    return st;
  }
  st = mcb__check_taps_1d(r.x0, r.x1, params->stride_w, params->pad_left, filter->w,
                          params->dilation_w, input->full_w, input->x0, input->w);
  if (st != MCB_OK) {
    return st;
  }
  if (mcb__overlaps(output->data, mcb__view_bytes(output), input->data,
                    mcb__view_bytes(input))) {
    if (!is_inplace_pointwise(params, input, filter, output, &r)) {
      return MCB_ERR_ALIAS;
    }
    if (ctx == NULL || ctx->buf == NULL || ctx->size < filter->out_c) {
      return MCB_ERR_SCRATCH;
    }
    inplace = 1;
  }
  for (oy = r.y0; oy < r.y1; ++oy) {
    for (ox = r.x0; ox < r.x1; ++ox) {
      int8_t *dst = output->data +
                    ((oy - output->y0) * output->w + (ox - output->x0)) * output->c;
      if (inplace) {
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
