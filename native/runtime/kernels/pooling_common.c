/* Shared checks for AVERAGE_POOL_2D and MAX_POOL_2D. */
#include "pooling_common.h"

#include "kernel_common.h"

mcb_status mcb__pool_prepare(const mcb_pool_params *p, const mcb_view_s8 *in,
                             const mcb_view_s8 *out, const mcb_region *region, mcb_region *r) {
  mcb_status st;
  if (p == NULL) {
    return MCB_ERR_ARG;
  }
  if ((st = mcb__check_view(in)) != MCB_OK || (st = mcb__check_view(out)) != MCB_OK) {
    return st;
  }
  if (p->stride_h < 1 || p->stride_w < 1 || p->filter_h < 1 || p->filter_w < 1 ||
      p->pad_top < 0 || p->pad_left < 0) {
    return MCB_ERR_ARG;
  }
  if ((st = mcb__check_act_range_s8(p->act_min, p->act_max)) != MCB_OK) {
    return st;
  }
  if (in->c != out->c) {
    return MCB_ERR_SHAPE;
  }
  if ((st = mcb__resolve_region(out, region, r)) != MCB_OK) {
    return st;
  }
  if (r->y0 == r->y1 || r->x0 == r->x1) {
    return MCB_OK;
  }
  st = mcb__check_taps_1d(r->y0, r->y1, p->stride_h, p->pad_top, p->filter_h, 1, in->full_h,
                          in->y0, in->h);
  if (st != MCB_OK) {
    return st;
  }
  st = mcb__check_taps_1d(r->x0, r->x1, p->stride_w, p->pad_left, p->filter_w, 1, in->full_w,
                          in->x0, in->w);
  if (st != MCB_OK) {
    return st;
  }
  if (mcb__overlaps(out->data, mcb__view_bytes(out), in->data, mcb__view_bytes(in))) {
    return MCB_ERR_ALIAS;
  }
  return MCB_OK;
}

mcb_status mcb__pool_check_nonempty(const mcb_pool_params *p, int32_t full_h, int32_t full_w,
                                    const mcb_region *r) {
  int32_t o;
  for (o = r->y0; o < r->y1; ++o) {
    const int32_t i = o * p->stride_h - p->pad_top;
    if (i + p->filter_h <= 0 || i >= full_h) {
      return MCB_ERR_SHAPE;
    }
  }
  for (o = r->x0; o < r->x1; ++o) {
    const int32_t i = o * p->stride_w - p->pad_left;
    if (i + p->filter_w <= 0 || i >= full_w) {
      return MCB_ERR_SHAPE;
    }
  }
  return MCB_OK;
}
