/*
 * STRIDED_SLICE: TFLite reference_ops::StridedSlice with the index logic of
 * strided_slice_logic.h (StridedSliceStartForAxis / StridedSliceEndForAxis),
 * on the effective (ellipsis / new-axis expanded) input shape the host built.
 * Works on element size, so int8 and int32 share one loop.
 */
#include <stddef.h>
#include <string.h>

#include "kernels_ref.h"
#include "kernel_common.h"
#include "mcb/kernels_layout.h"

static int64_t clamp_i64(int64_t v, int64_t lo, int64_t hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}

/* StridedSliceStartForAxis: a negative index wraps once, then clamps, then the begin mask wins.
 * int64 so that wrapping INT32_MIN and offset sums cannot overflow (TFLite's int would). */
static int32_t start_for_axis(const mcb_strided_slice_params *p, int32_t axis, int32_t size) {
  int64_t start = p->start[axis];
  const int32_t stride = p->stride[axis];
  if (start < 0) {
    start += size;
  }
  start = stride > 0 ? clamp_i64(start, 0, size) : clamp_i64(start, -1, (int64_t)size - 1);
  if (p->begin_mask & (1u << axis)) {
    start = stride > 0 ? 0 : (int64_t)size - 1;
  }
  return (int32_t)start;
}

/* StridedSliceEndForAxis: shrink gives one element (none when start ran off the end);
 * with offset the end operand is a length added to the resolved start. */
static int32_t stop_for_axis(const mcb_strided_slice_params *p, int32_t axis, int32_t size,
                             int32_t start) {
  int64_t stop = p->stop[axis];
  const int32_t stride = p->stride[axis];
  if (p->shrink_axis_mask & (1u << axis)) {
    return start >= size ? start : start + 1;
  }
  if (p->offset) {
    stop += start;
  }
  if (stop < 0) {
    stop += size;
  }
  stop = stride > 0 ? clamp_i64(stop, 0, size) : clamp_i64(stop, -1, (int64_t)size - 1);
  if (p->end_mask & (1u << axis)) {
    stop = stride > 0 ? size : -1;
  }
  return (int32_t)stop;
}

/* Elements visited along one axis: start, start + stride, ... while before stop. */
static int32_t axis_count(int32_t start, int32_t stop, int32_t stride) {
  if (stride > 0) {
    return stop > start ? (int32_t)(((int64_t)stop - start + stride - 1) / stride) : 0;
  }
  return stop < start ? (int32_t)(((int64_t)start - stop + (-(int64_t)stride) - 1) / -(int64_t)stride)
                      : 0;
}

static mcb_status strided_slice(const mcb_strided_slice_params *p, const mcb_shape *in_shape,
                                const void *input, void *output, int32_t out_count,
                                size_t elem) {
  int32_t start[MCB_STRIDED_SLICE_MAX_DIMS], count[MCB_STRIDED_SLICE_MAX_DIMS];
  int64_t in_stride[MCB_STRIDED_SLICE_MAX_DIMS];
  int32_t idx[MCB_STRIDED_SLICE_MAX_DIMS];
  int64_t n_in, n_out = 1;
  int32_t rank, d;
  const unsigned char *in = (const unsigned char *)input;
  unsigned char *out = (unsigned char *)output;
  if (p == NULL || in_shape == NULL || input == NULL || output == NULL) {
    return MCB_ERR_ARG;
  }
  rank = p->rank;
  if (rank < 1 || rank > MCB_STRIDED_SLICE_MAX_DIMS || (p->offset != 0 && p->offset != 1)) {
    return MCB_ERR_ARG;
  }
  if ((p->begin_mask | p->end_mask | p->shrink_axis_mask) >> rank) {
    return MCB_ERR_ARG; /* mask bits beyond the effective rank */
  }
  for (d = 0; d < rank; ++d) {
    if (p->stride[d] == 0 || p->stride[d] == INT32_MIN) {
      return MCB_ERR_ARG;
    }
  }
  if (in_shape->rank != rank) {
    return MCB_ERR_SHAPE;
  }
  n_in = mcb__shape_elements(in_shape);
  if (n_in == 0 || out_count < 0) {
    return MCB_ERR_SHAPE;
  }
  for (d = rank - 1; d >= 0; --d) {
    const int32_t size = in_shape->dims[d];
    int32_t stop;
    start[d] = start_for_axis(p, d, size);
    stop = stop_for_axis(p, d, size, start[d]);
    count[d] = axis_count(start[d], stop, p->stride[d]);
    in_stride[d] = d == rank - 1 ? 1 : in_stride[d + 1] * in_shape->dims[d + 1];
    n_out *= count[d];
  }
  if (n_out != out_count) {
    return MCB_ERR_SHAPE;
  }
  if (n_out == 0) {
    return MCB_OK;
  }
  if (mcb__overlaps(output, (size_t)n_out * elem, input, (size_t)n_in * elem)) {
    return MCB_ERR_ALIAS;
  }
  /* Odometer over the output: every visited index lies in [0, size) by construction
   * (start is clamped into the axis when count > 0, and count steps stay before stop). */
  memset(idx, 0, sizeof idx);
  for (;;) {
    int64_t src = 0;
    for (d = 0; d < rank; ++d) {
      src += ((int64_t)start[d] + (int64_t)idx[d] * p->stride[d]) * in_stride[d];
    }
    memcpy(out, in + (size_t)src * elem, elem);
    out += elem;
    for (d = rank - 1; d >= 0; --d) {
      if (++idx[d] < count[d]) break;
      idx[d] = 0;
    }
    if (d < 0) break;
  }
  return MCB_OK;
}

mcb_status mcb_strided_slice_s8_ref(const mcb_strided_slice_params *params, const mcb_shape *in_shape,
                                const int8_t *input, int8_t *output, int32_t out_count) {
  return strided_slice(params, in_shape, input, output, out_count, sizeof(int8_t));
}

mcb_status mcb_strided_slice_s32_ref(const mcb_strided_slice_params *params, const mcb_shape *in_shape,
                                 const int32_t *input, int32_t *output, int32_t out_count) {
  return strided_slice(params, in_shape, input, output, out_count, sizeof(int32_t));
}
