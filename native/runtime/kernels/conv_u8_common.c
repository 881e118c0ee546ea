/* Shared setup for the legacy uint8 CONV_2D and DEPTHWISE_CONV_2D kernels. */
#include "conv_u8_common.h"

#include "kernel_common.h"

mcb_view_s8 mcb__as_view_s8(const mcb_view_u8 *v) {
  mcb_view_s8 s;
  s.data = (int8_t *)v->data;
  s.y0 = v->y0;
  s.x0 = v->x0;
  s.h = v->h;
  s.w = v->w;
  s.c = v->c;
  s.full_h = v->full_h;
  s.full_w = v->full_w;
  return s;
}

mcb_status mcb__conv_u8_prepare(const mcb_conv_u8_params *p, const mcb_view_u8 *in,
                                const mcb_view_u8 *out, int32_t kh, int32_t kw,
                                const mcb_region *region, mcb_region *r) {
  mcb_view_s8 vin, vout;
  mcb_status st;
  if (p == NULL || in == NULL || out == NULL) {
    return MCB_ERR_ARG;
  }
  vin = mcb__as_view_s8(in);
  vout = mcb__as_view_s8(out);
  if ((st = mcb__check_view(&vin)) != MCB_OK || (st = mcb__check_view(&vout)) != MCB_OK) {
    return st;
  }
  if (p->stride_h < 1 || p->stride_w < 1 || p->dilation_h < 1 || p->dilation_w < 1 ||
      p->pad_top < 0 || p->pad_left < 0 || p->input_offset < -255 || p->input_offset > 0 ||
      p->filter_offset < -255 || p->filter_offset > 0 || p->output_offset < 0 ||
      p->output_offset > 255 || p->output_shift < -31 || p->output_shift > 30 ||
      p->act_min < 0 || p->act_max > 255 || p->act_min > p->act_max) {
    return MCB_ERR_ARG;
  }
  if ((st = mcb__resolve_region(&vout, region, r)) != MCB_OK) {
    return st;
  }
  if (r->y0 == r->y1 || r->x0 == r->x1) {
    return MCB_OK;
  }
  st = mcb__check_taps_1d(r->y0, r->y1, p->stride_h, p->pad_top, kh, p->dilation_h, in->full_h,
                          in->y0, in->h);
  if (st != MCB_OK) {
    return st;
  }
  st = mcb__check_taps_1d(r->x0, r->x1, p->stride_w, p->pad_left, kw, p->dilation_w, in->full_w,
                          in->x0, in->w);
  if (st != MCB_OK) {
    return st;
  }
  if (mcb__overlaps(out->data, mcb__view_bytes(&vout), in->data, mcb__view_bytes(&vin))) {
    return MCB_ERR_ALIAS;
  }
  return MCB_OK;
}
