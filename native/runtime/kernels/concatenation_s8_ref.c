/*
 * int8 CONCATENATION: a copy. TFLM's int8 kernel requires every input to share
 * the output's scale and zero point (no requantization), so the packer rejects
 * anything else and this kernel only moves bytes, like reference_ops::Concatenation.
 */
#include <string.h>

#include "kernels_ref.h"
#include "kernel_common.h"

mcb_status mcb_concatenation_s8_ref(int32_t axis, int32_t num_inputs, const mcb_shape *const *shapes,
                                const int8_t *const *inputs, const mcb_shape *out_shape,
                                int8_t *output) {
  int64_t outer = 1, inner = 1, n_out, o;
  int32_t d, k, axis_total = 0, rank;
  if (shapes == NULL || inputs == NULL || output == NULL || num_inputs < 1) {
    return MCB_ERR_ARG;
  }
  n_out = mcb__shape_elements(out_shape);
  if (n_out == 0) {
    return MCB_ERR_SHAPE;
  }
  rank = out_shape->rank;
  if (axis < 0) {
    axis += rank;
  }
  if (axis < 0 || axis >= rank) {
    return MCB_ERR_ARG;
  }
  for (k = 0; k < num_inputs; ++k) {
    const int64_t n_in = mcb__shape_elements(shapes[k]);
    if (inputs[k] == NULL) {
      return MCB_ERR_ARG;
    }
    if (n_in == 0 || shapes[k]->rank != rank) {
      return MCB_ERR_SHAPE;
    }
    for (d = 0; d < rank; ++d) {
      if (d != axis && shapes[k]->dims[d] != out_shape->dims[d]) {
        return MCB_ERR_SHAPE;
      }
    }
    axis_total += shapes[k]->dims[axis];
    if (mcb__overlaps(output, (size_t)n_out, inputs[k], (size_t)n_in)) {
      return MCB_ERR_ALIAS;
    }
  }
  if (axis_total != out_shape->dims[axis]) {
    return MCB_ERR_SHAPE;
  }
  for (d = 0; d < axis; ++d) outer *= out_shape->dims[d];
  for (d = axis + 1; d < rank; ++d) inner *= out_shape->dims[d];
  for (o = 0; o < outer; ++o) {
    for (k = 0; k < num_inputs; ++k) {
      const size_t chunk = (size_t)(shapes[k]->dims[axis] * inner);
      memcpy(output, inputs[k] + (size_t)o * chunk, chunk);
      output += chunk;
    }
  }
  return MCB_OK;
}
