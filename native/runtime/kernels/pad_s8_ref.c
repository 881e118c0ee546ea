/*
 * int8 PAD / PADV2: TFLM reference_ops::Pad — every output element whose
 * coordinate falls in the before/after margins gets pad_value, the rest copy the
 * input. Walks the output row-major; the innermost dim is copied as a run.
 */
#include <string.h>

#include "kernels_ref.h"
#include "kernel_common.h"

mcb_status mcb_pad_s8_ref(const mcb_pad_params *params, const mcb_shape *in_shape,
                      const int8_t *input, int8_t *output) {
  int32_t out_dims[MCB_MAX_DIMS];
  int32_t in_strides[MCB_MAX_DIMS];
  int32_t idx[MCB_MAX_DIMS] = {0};
  int64_t n_out = 1, n_rows, row;
  int32_t d, rank, inner_out, inner_before, inner_in;
  const int64_t n_in = mcb__shape_elements(in_shape);
  if (params == NULL || input == NULL || output == NULL) {
    return MCB_ERR_ARG;
  }
  if (n_in == 0) {
    return MCB_ERR_SHAPE;
  }
  rank = in_shape->rank;
  for (d = 0; d < rank; ++d) {
    if (params->before[d] < 0 || params->after[d] < 0) {
      return MCB_ERR_ARG;
    }
    out_dims[d] = in_shape->dims[d] + params->before[d] + params->after[d];
    n_out *= out_dims[d];
    if (n_out > INT32_MAX) {
      return MCB_ERR_SHAPE;
    }
  }
  for (d = rank - 1; d >= 0; --d) {
    in_strides[d] = (d == rank - 1) ? 1 : in_strides[d + 1] * in_shape->dims[d + 1];
  }
  if (mcb__overlaps(output, (size_t)n_out, input, (size_t)n_in)) {
    return MCB_ERR_ALIAS;
  }
  inner_out = out_dims[rank - 1];
  inner_before = params->before[rank - 1];
  inner_in = in_shape->dims[rank - 1];
  n_rows = n_out / inner_out;
  for (row = 0; row < n_rows; ++row) {
    int8_t *dst = output + row * inner_out;
    int inside = 1;
    int32_t src = 0;
    for (d = 0; d < rank - 1; ++d) {
      const int32_t i = idx[d] - params->before[d];
      if (i < 0 || i >= in_shape->dims[d]) {
        inside = 0;
        break;
      }
      src += i * in_strides[d];
    }
    if (inside) {
      memset(dst, params->pad_value, (size_t)inner_before);
      memcpy(dst + inner_before, input + src, (size_t)inner_in);
      memset(dst + inner_before + inner_in, params->pad_value,
             (size_t)(inner_out - inner_before - inner_in));
    } else {
      memset(dst, params->pad_value, (size_t)inner_out);
    }
    for (d = rank - 2; d >= 0; --d) { /* odometer over the outer dims */
      if (++idx[d] < out_dims[d]) break;
      idx[d] = 0;
    }
  }
  return MCB_OK;
}
