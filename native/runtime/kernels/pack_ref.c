/*
 * PACK (TFLite pack.cc, reference_ops::Pack): output viewed as
 * [outer, values_count, inner] where outer = product of the input dims before
 * `axis` and inner = product of those from `axis` on; input i fills the
 * [*, i, *] slab. int8 inputs share the output's quantization (TFLite checks
 * scale and zero point equal), so no arithmetic happens.
 */
#include <stddef.h>
#include <string.h>

#include "kernels_ref.h"
#include "kernel_common.h"
#include "mcb/kernels_layout.h"

/* Input i's buffer; `inputs` is the caller's typed pointer array (int8 or int32 by elem). */
static const unsigned char *input_at(const void *inputs, int32_t i, size_t elem) {
  return elem == sizeof(int8_t) ? (const unsigned char *)((const int8_t *const *)inputs)[i]
                                : (const unsigned char *)((const int32_t *const *)inputs)[i];
}

static mcb_status pack(int32_t axis, int32_t values_count, const mcb_shape *in_shape,
                       const void *inputs, void *output, size_t elem) {
  int64_t outer = 1, inner = 1, n_out;
  int32_t d, i, k;
  unsigned char *out = (unsigned char *)output;
  if (in_shape == NULL || inputs == NULL || output == NULL) {
    return MCB_ERR_ARG;
  }
  if (in_shape->rank < 0 || in_shape->rank > MCB_MAX_DIMS - 1) {
    return MCB_ERR_SHAPE;
  }
  if (values_count < 1 || axis < 0 || axis > in_shape->rank) {
    return MCB_ERR_ARG;
  }
  for (d = 0; d < in_shape->rank; ++d) {
    if (in_shape->dims[d] < 1) {
      return MCB_ERR_SHAPE;
    }
    if (d < axis) {
      outer *= in_shape->dims[d];
    } else {
      inner *= in_shape->dims[d];
    }
    if (outer * inner > INT32_MAX) {
      return MCB_ERR_SHAPE;
    }
  }
  n_out = outer * inner * values_count;
  if (n_out > INT32_MAX) {
    return MCB_ERR_SHAPE;
  }
  for (i = 0; i < values_count; ++i) {
    const unsigned char *src = input_at(inputs, i, elem);
    if (src == NULL) {
      return MCB_ERR_ARG;
    }
    if (mcb__overlaps(output, (size_t)n_out * elem, src, (size_t)(outer * inner) * elem)) {
      return MCB_ERR_ALIAS;
    }
  }
  for (k = 0; k < outer; ++k) {
    for (i = 0; i < values_count; ++i) {
      const unsigned char *src = input_at(inputs, i, elem) + (size_t)(k * inner) * elem;
      memcpy(out, src, (size_t)inner * elem);
      out += (size_t)inner * elem;
    }
  }
  return MCB_OK;
}

mcb_status mcb_pack_s8_ref(int32_t axis, int32_t values_count, const mcb_shape *in_shape,
                       const int8_t *const *inputs, int8_t *output) {
  return pack(axis, values_count, in_shape, (const void *)inputs, output, sizeof(int8_t));
}

mcb_status mcb_pack_s32_ref(int32_t axis, int32_t values_count, const mcb_shape *in_shape,
                        const int32_t *const *inputs, int32_t *output) {
  return pack(axis, values_count, in_shape, (const void *)inputs, output, sizeof(int32_t));
}
