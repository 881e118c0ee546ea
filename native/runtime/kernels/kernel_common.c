/* Shared argument, window and aliasing checks for the kernels. */
#include "kernel_common.h"

#include <string.h>

int mcb__overlaps(const void *a, size_t a_bytes, const void *b, size_t b_bytes) {
  const uintptr_t a0 = (uintptr_t)a;
  const uintptr_t b0 = (uintptr_t)b;
  if (a_bytes == 0 || b_bytes == 0) {
    return 0;
  }
  return a0 < b0 + b_bytes && b0 < a0 + a_bytes;
}

size_t mcb__view_bytes(const mcb_view_s8 *v) {
  return (size_t)v->h * (size_t)v->w * (size_t)v->c;
}

mcb_status mcb__check_view(const mcb_view_s8 *v) {
  if (v == NULL || v->data == NULL) {
    return MCB_ERR_ARG;
  }
  if (v->h < 1 || v->w < 1 || v->c < 1 || v->full_h < 1 || v->full_w < 1 || v->y0 < 0 ||
      v->x0 < 0 || v->y0 > v->full_h - v->h || v->x0 > v->full_w - v->w) {
    return MCB_ERR_SHAPE;
  }
  /* Keep every index computation inside int32 arithmetic. */
  if ((int64_t)v->h * v->w * v->c > INT32_MAX) {
    return MCB_ERR_SHAPE;
  }
  return MCB_OK;
}

mcb_status mcb__resolve_region(const mcb_view_s8 *output, const mcb_region *region,
                               mcb_region *out) {
  if (region == NULL) {
    out->y0 = output->y0;
    out->y1 = output->y0 + output->h;
    out->x0 = output->x0;
    out->x1 = output->x0 + output->w;
    return MCB_OK;
  }
  *out = *region;
  if (out->y1 < out->y0 || out->x1 < out->x0) {
    return MCB_ERR_ARG;
  }
  if (out->y1 == out->y0 || out->x1 == out->x0) {
    return MCB_OK; /* nothing to compute */
  }
  if (out->y0 < output->y0 || out->x0 < output->x0 || out->y1 > output->y0 + output->h ||
      out->x1 > output->x0 + output->w) {
    return MCB_ERR_WINDOW;
  }
  return MCB_OK;
}

int mcb__region_is_whole_view(const mcb_view_s8 *output, const mcb_region *r) {
  return r->y0 == output->y0 && r->x0 == output->x0 && r->y1 == output->y0 + output->h &&
         r->x1 == output->x0 + output->w;
}

mcb_status mcb__check_taps_1d(int32_t o0, int32_t o1, int32_t stride, int32_t pad,
                              int32_t kernel, int32_t dilation, int32_t full,
                              int32_t buf0, int32_t buf_len) {
  int32_t o;
  for (o = o0; o < o1; ++o) {
    int32_t k;
    const int32_t origin = o * stride - pad;
    for (k = 0; k < kernel; ++k) {
      const int32_t t = origin + k * dilation;
      if (t < 0 || t >= full) {
        continue; /* padding: skipped, never read */
      }
      if (t < buf0 || t >= buf0 + buf_len) {
        return MCB_ERR_WINDOW;
      }
    }
  }
  return MCB_OK;
}

mcb_status mcb__check_channel_quant(const mcb_channel_quant *q, int32_t channels) {
  int32_t i;
  if (q == NULL || q->multiplier == NULL || q->shift == NULL) {
    return MCB_ERR_ARG;
  }
  if (q->count != 1 && q->count != channels) {
    return MCB_ERR_SHAPE;
  }
  for (i = 0; i < q->count; ++i) {
    /* Negative multipliers are legal: TFLM passes a negative filter scale through. */
    if (q->shift[i] < -31 || q->shift[i] > 30) {
      return MCB_ERR_ARG;
    }
  }
  return MCB_OK;
}

mcb_status mcb__check_act_range_s8(int32_t act_min, int32_t act_max) {
  if (act_min < -128 || act_max > 127 || act_min > act_max) {
    return MCB_ERR_ARG;
  }
  return MCB_OK;
}

int64_t mcb__shape_elements(const mcb_shape *s) {
  int64_t n = 1;
  int32_t d;
  if (s == NULL || s->rank < 1 || s->rank > MCB_MAX_DIMS) {
    return 0;
  }
  for (d = 0; d < s->rank; ++d) {
    if (s->dims[d] < 1) {
      return 0;
    }
    n *= s->dims[d];
    if (n > INT32_MAX) {
      return 0;
    }
  }
  return n;
}

int mcb__same_shape(const mcb_shape *a, const mcb_shape *b) {
  return a->rank == b->rank && memcmp(a->dims, b->dims, (size_t)a->rank * sizeof(a->dims[0])) == 0;
}
