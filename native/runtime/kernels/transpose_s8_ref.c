/* int8 TRANSPOSE: output dim d is input dim perm[d] (TFLM reference_ops::Transpose). */
#include "kernels_ref.h"
#include "kernel_common.h"

mcb_status mcb_transpose_s8_ref(const int32_t *perm, const mcb_shape *in_shape, const int8_t *input,
                            int8_t *output) {
  int32_t in_strides[MCB_MAX_DIMS], out_dims[MCB_MAX_DIMS], step[MCB_MAX_DIMS];
  int32_t idx[MCB_MAX_DIMS] = {0};
  int32_t d, rank, src = 0;
  int64_t i;
  unsigned seen = 0;
  const int64_t n = mcb__shape_elements(in_shape);
  if (perm == NULL || input == NULL || output == NULL) {
    return MCB_ERR_ARG;
  }
  if (n == 0) {
    return MCB_ERR_SHAPE;
  }
  rank = in_shape->rank;
  for (d = 0; d < rank; ++d) {
    if (perm[d] < 0 || perm[d] >= rank || (seen & (1u << perm[d]))) {
      return MCB_ERR_ARG;
    }
    seen |= 1u << perm[d];
  }
  if (mcb__overlaps(output, (size_t)n, input, (size_t)n)) {
    return MCB_ERR_ALIAS;
  }
  for (d = rank - 1; d >= 0; --d) {
    in_strides[d] = (d == rank - 1) ? 1 : in_strides[d + 1] * in_shape->dims[d + 1];
  }
  for (d = 0; d < rank; ++d) {
    out_dims[d] = in_shape->dims[perm[d]];
    step[d] = in_strides[perm[d]];
  }
  for (i = 0; i < n; ++i) {
    output[i] = input[src];
    for (d = rank - 1; d >= 0; --d) {
      src += step[d];
      if (++idx[d] < out_dims[d]) break;
      src -= step[d] * out_dims[d];
      idx[d] = 0;
    }
  }
  return MCB_OK;
}
