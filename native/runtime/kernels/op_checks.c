/* Argument checks shared by each reference and its twins (op_checks.h). */
#include "op_checks.h"

#include "kernel_common.h"

static mcb_status check_window_taps(const mcb_region *r, int32_t stride_h, int32_t stride_w,
                                    int32_t pad_top, int32_t pad_left, int32_t kernel_h,
                                    int32_t kernel_w, int32_t dilation_h, int32_t dilation_w,
                                    const mcb_view_s8 *in) {
  const mcb_status st = mcb__check_taps_1d(r->y0, r->y1, stride_h, pad_top, kernel_h, dilation_h,
                                           in->full_h, in->y0, in->h);
  if (st != MCB_OK) {
    return st;
  }
  return mcb__check_taps_1d(r->x0, r->x1, stride_w, pad_left, kernel_w, dilation_w, in->full_w,
                            in->x0, in->w);
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

mcb_status mcb__conv_2d_s8_check(const mcb_conv_params *p, const mcb_channel_quant *q,
                                 const mcb_view_s8 *in, const mcb_filter_s8 *f,
                                 const mcb_view_s8 *out, const mcb_region *region,
                                 const mcb_context *ctx, mcb__window_call *call) {
  mcb_status st;
  call->empty = 0;
  call->inplace = 0;
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
  if ((st = mcb__check_channel_quant(q, f->out_c)) != MCB_OK ||
      (st = mcb__resolve_region(out, region, &call->r)) != MCB_OK) {
    return st;
  }
  if (call->r.y0 == call->r.y1 || call->r.x0 == call->r.x1) {
    call->empty = 1;
    return MCB_OK;
  }
  st = check_window_taps(&call->r, p->stride_h, p->stride_w, p->pad_top, p->pad_left, f->h, f->w,
                         p->dilation_h, p->dilation_w, in);
  if (st != MCB_OK) {
    return st;
  }
  if (mcb__overlaps(out->data, mcb__view_bytes(out), in->data, mcb__view_bytes(in))) {
    if (!is_inplace_pointwise(p, in, f, out, &call->r)) {
      return MCB_ERR_ALIAS;
    }
    if (ctx == NULL || ctx->buf == NULL || ctx->size < f->out_c) {
      return MCB_ERR_SCRATCH;
    }
    call->inplace = 1;
  }
  return MCB_OK;
}

mcb_status mcb__depthwise_conv_2d_s8_check(const mcb_depthwise_conv_params *p,
                                           const mcb_channel_quant *q, const mcb_view_s8 *in,
                                           const mcb_depthwise_filter_s8 *f,
                                           const mcb_view_s8 *out, const mcb_region *region,
                                           const mcb_context *ctx, mcb__window_call *call) {
  mcb_status st;
  call->empty = 0;
  call->inplace = 0;
  if (p == NULL || f == NULL || f->data == NULL) {
    return MCB_ERR_ARG;
  }
  if ((st = mcb__check_view(in)) != MCB_OK || (st = mcb__check_view(out)) != MCB_OK) {
    return st;
  }
  if (p->stride_h < 1 || p->stride_w < 1 || p->dilation_h < 1 || p->dilation_w < 1 ||
      p->pad_top < 0 || p->pad_left < 0 || p->depth_multiplier < 1 ||
      p->input_offset < -127 || p->input_offset > 128 || p->output_offset < -128 ||
      p->output_offset > 127) {
    return MCB_ERR_ARG;
  }
  if ((st = mcb__check_act_range_s8(p->act_min, p->act_max)) != MCB_OK) {
    return st;
  }
  if (f->h < 1 || f->w < 1 || f->c != in->c * p->depth_multiplier || out->c != f->c) {
    return MCB_ERR_SHAPE;
  }
  if ((st = mcb__check_channel_quant(q, f->c)) != MCB_OK ||
      (st = mcb__resolve_region(out, region, &call->r)) != MCB_OK) {
    return st;
  }
  if (call->r.y0 == call->r.y1 || call->r.x0 == call->r.x1) {
    call->empty = 1;
    return MCB_OK;
  }
  st = check_window_taps(&call->r, p->stride_h, p->stride_w, p->pad_top, p->pad_left, f->h, f->w,
                         p->dilation_h, p->dilation_w, in);
  if (st != MCB_OK) {
    return st;
  }
  if (mcb__overlaps(out->data, mcb__view_bytes(out), in->data, mcb__view_bytes(in))) {
    if (out->data != in->data || p->depth_multiplier != 1 ||
        !mcb__region_is_whole_view(out, &call->r)) {
      return MCB_ERR_ALIAS;
    }
    if (ctx == NULL || ctx->buf == NULL || ctx->size < out->h * out->w) {
      return MCB_ERR_SCRATCH;
    }
    call->inplace = 1;
  }
  return MCB_OK;
}

mcb_status mcb__fully_connected_s8_check(const mcb_fully_connected_params *p,
                                         const mcb_channel_quant *q, const int8_t *input,
                                         int32_t batches, int32_t accum_depth, const int8_t *filter,
                                         int32_t out_depth, const int8_t *output) {
  mcb_status st;
  if (p == NULL || input == NULL || filter == NULL || output == NULL) {
    return MCB_ERR_ARG;
  }
  if (batches < 1 || accum_depth < 1 || out_depth < 1 ||
      (int64_t)batches * accum_depth > INT32_MAX || (int64_t)out_depth * accum_depth > INT32_MAX ||
      (int64_t)batches * out_depth > INT32_MAX) {
    return MCB_ERR_SHAPE;
  }
  if (p->input_offset < -127 || p->input_offset > 128 || p->filter_offset < -127 ||
      p->filter_offset > 128 || p->output_offset < -128 || p->output_offset > 127) {
    return MCB_ERR_ARG;
  }
  if ((st = mcb__check_act_range_s8(p->act_min, p->act_max)) != MCB_OK ||
      (st = mcb__check_channel_quant(q, out_depth)) != MCB_OK) {
    return st;
  }
  if (mcb__overlaps(output, (size_t)batches * out_depth, input, (size_t)batches * accum_depth)) {
    return MCB_ERR_ALIAS;
  }
  return MCB_OK;
}

mcb_status mcb__add_s8_check_params(const mcb_add_params *p) {
  if (p == NULL) {
    return MCB_ERR_ARG;
  }
  /* Shifts must be <= 0 (TFLM's SmallerThanOneExp contract), and left_shift small
   * enough that (offset + x) << left_shift stays inside int32. */
  if (p->left_shift < 0 || p->left_shift > 22 || p->input1_shift > 0 || p->input2_shift > 0 ||
      p->output_shift > 0 || p->input1_shift < -31 || p->input2_shift < -31 ||
      p->output_shift < -31 || p->input1_multiplier < 0 || p->input2_multiplier < 0 ||
      p->output_multiplier < 0 || p->input1_offset < -127 || p->input1_offset > 128 ||
      p->input2_offset < -127 || p->input2_offset > 128 || p->output_offset < -128 ||
      p->output_offset > 127) {
    return MCB_ERR_ARG;
  }
  return mcb__check_act_range_s8(p->act_min, p->act_max);
}

mcb_status mcb__mul_s8_check_params(const mcb_mul_params *p) {
  if (p == NULL) {
    return MCB_ERR_ARG;
  }
  if (p->output_multiplier < 0 || p->output_shift < -31 || p->output_shift > 30 ||
      p->input1_offset < -127 || p->input1_offset > 128 || p->input2_offset < -127 ||
      p->input2_offset > 128 || p->output_offset < -128 || p->output_offset > 127) {
    return MCB_ERR_ARG;
  }
  return mcb__check_act_range_s8(p->act_min, p->act_max);
}

mcb_status mcb__leaky_relu_s8_check(const mcb_leaky_relu_params *p, const int8_t *input,
                                    const int8_t *output, int32_t count) {
  if (p == NULL || input == NULL || output == NULL) {
    return MCB_ERR_ARG;
  }
  if (count < 0) {
    return MCB_ERR_SHAPE;
  }
  if (p->output_multiplier_identity < 0 || p->output_multiplier_alpha == INT32_MIN ||
      p->output_shift_alpha < -31 || p->output_shift_alpha > 30 ||
      p->output_shift_identity < -31 || p->output_shift_identity > 30) {
    return MCB_ERR_ARG;
  }
  if (output != input && mcb__overlaps(output, (size_t)count, input, (size_t)count)) {
    return MCB_ERR_ALIAS;
  }
  return MCB_OK;
}
