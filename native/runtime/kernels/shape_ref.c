/*
 * SHAPE (TFLite shape.cc): the input's dimensions as int32. Only the shape is
 * read; the runtime keeps static shapes, so this is a copy of the dims.
 */
#include <stddef.h>

#include "kernels_ref.h"
#include "mcb/kernels_layout.h"

mcb_status mcb_shape_s32_ref(const mcb_shape *in_shape, int32_t *output, int32_t out_count) {
  int32_t d;
  if (in_shape == NULL || output == NULL) {
    return MCB_ERR_ARG;
  }
  if (in_shape->rank < 1 || in_shape->rank > MCB_MAX_DIMS) {
    return MCB_ERR_SHAPE;
  }
  for (d = 0; d < in_shape->rank; ++d) {
    if (in_shape->dims[d] < 1) {
      return MCB_ERR_SHAPE;
    }
  }
  if (out_count != in_shape->rank) {
    return MCB_ERR_SHAPE;
  }
  for (d = 0; d < in_shape->rank; ++d) {
    output[d] = in_shape->dims[d];
  }
  return MCB_OK;
}
