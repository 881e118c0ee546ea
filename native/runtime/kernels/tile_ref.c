/*
 * TILE (TFLite tile.cc): output[i_0..i_n] = input[i_0 % in_0, ..., i_n % in_n].
 * TFLite builds it recursively by copying each tiled block `multiple` times;
 * the bytes are the same as this row-wise form: for each output row (all dims
 * but the last) copy the matching input row `multiples[last]` times.
 */
#include <stddef.h>
#include <string.h>

#include "kernels_ref.h"
#include "kernel_common.h"
#include "mcb/kernels_layout.h"

static mcb_status tile(const int32_t *multiples, const mcb_shape *in_shape, const void *input,
                       void *output, size_t elem) {
  int64_t n_in, n_out = 1;
  int32_t out_dims[MCB_MAX_DIMS], idx[MCB_MAX_DIMS];
  int64_t in_stride[MCB_MAX_DIMS];
  int32_t rank, d, m;
  const unsigned char *in = (const unsigned char *)input;
  unsigned char *out = (unsigned char *)output;
  size_t row_bytes;
  if (multiples == NULL || in_shape == NULL || input == NULL || output == NULL) {
    return MCB_ERR_ARG;
  }
  n_in = mcb__shape_elements(in_shape);
  if (n_in == 0) {
    return MCB_ERR_SHAPE;
  }
  rank = in_shape->rank;
  for (d = 0; d < rank; ++d) {
    if (multiples[d] < 1) {
      return MCB_ERR_ARG;
    }
    n_out *= (int64_t)in_shape->dims[d] * multiples[d];
    if (n_out > INT32_MAX) {
      return MCB_ERR_SHAPE;
    }
    out_dims[d] = in_shape->dims[d] * multiples[d];
  }
  if (mcb__overlaps(output, (size_t)n_out * elem, input, (size_t)n_in * elem)) {
    return MCB_ERR_ALIAS;
  }
  for (d = rank - 1; d >= 0; --d) {
    in_stride[d] = d == rank - 1 ? 1 : in_stride[d + 1] * in_shape->dims[d + 1];
  }
  row_bytes = (size_t)in_shape->dims[rank - 1] * elem;
  memset(idx, 0, sizeof idx);
  for (;;) {
    /* idx[0 .. rank-2] walks the output rows; the source row wraps each index. */
    int64_t src = 0;
    for (d = 0; d < rank - 1; ++d) {
      src += (int64_t)(idx[d] % in_shape->dims[d]) * in_stride[d];
    }
    for (m = 0; m < multiples[rank - 1]; ++m) {
      memcpy(out, in + (size_t)src * elem, row_bytes);
      out += row_bytes;
    }
    for (d = rank - 2; d >= 0; --d) {
      if (++idx[d] < out_dims[d]) break;
      idx[d] = 0;
    }
    if (d < 0) break;
  }
  return MCB_OK;
}

mcb_status mcb_tile_s8_ref(const int32_t *multiples, const mcb_shape *in_shape, const int8_t *input,
                       int8_t *output) {
  return tile(multiples, in_shape, input, output, sizeof(int8_t));
}

mcb_status mcb_tile_s32_ref(const int32_t *multiples, const mcb_shape *in_shape,
                        const int32_t *input, int32_t *output) {
  return tile(multiples, in_shape, input, output, sizeof(int32_t));
}
