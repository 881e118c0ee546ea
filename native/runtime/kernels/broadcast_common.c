/*
 * Broadcasting for the elementwise binary kernels. Shapes are right-aligned and
 * extended to MCB_MAX_DIMS; an input dim of 1 against a larger output dim gets
 * stride 0. Elementwise results do not depend on visiting order, so this
 * matches TFLM's BroadcastBinaryOpSimple and its flat fast path alike.
 */
#include "broadcast_common.h"

#include "kernel_common.h"

/* Extends `s` to MCB_MAX_DIMS (leading 1s) and fills its broadcast strides
 * against the extended output dims. Returns 0 when the dims are incompatible. */
static int broadcast_strides(const mcb_shape *s, const int32_t *out_dims, int32_t *strides) {
  int32_t dims[MCB_MAX_DIMS];
  int32_t d;
  int32_t stride = 1;
  const int32_t lead = MCB_MAX_DIMS - s->rank;
  for (d = 0; d < MCB_MAX_DIMS; ++d) {
    dims[d] = d < lead ? 1 : s->dims[d - lead];
  }
  for (d = MCB_MAX_DIMS - 1; d >= 0; --d) {
    if (dims[d] != out_dims[d] && dims[d] != 1) {
      return 0;
    }
    strides[d] = (dims[d] == 1) ? 0 : stride;
    stride *= dims[d];
  }
  return 1;
}

static mcb_status check_alias(const int8_t *output, int64_t out_n, const int8_t *input,
                              int64_t in_n) {
  if (!mcb__overlaps(output, (size_t)out_n, input, (size_t)in_n)) {
    return MCB_OK;
  }
  return (output == input && in_n == out_n) ? MCB_OK : MCB_ERR_ALIAS;
}

mcb_status mcb__broadcast_binary_s8(const mcb_shape *shape1, const int8_t *input1,
                                    const mcb_shape *shape2, const int8_t *input2,
                                    const mcb_shape *out_shape, int8_t *output,
                                    mcb__binary_s8_fn fn, const void *params) {
  int32_t out_dims[MCB_MAX_DIMS];
  int32_t s1[MCB_MAX_DIMS];
  int32_t s2[MCB_MAX_DIMS];
  int32_t idx[MCB_MAX_DIMS] = {0};
  int64_t n1, n2, n_out, i;
  int32_t d;
  int32_t off1 = 0;
  int32_t off2 = 0;
  mcb_status st;
  if (input1 == NULL || input2 == NULL || output == NULL) {
    return MCB_ERR_ARG;
  }
  n1 = mcb__shape_elements(shape1);
  n2 = mcb__shape_elements(shape2);
  n_out = mcb__shape_elements(out_shape);
  if (n1 == 0 || n2 == 0 || n_out == 0 || shape1->rank > out_shape->rank ||
      shape2->rank > out_shape->rank) {
    return MCB_ERR_SHAPE;
  }
  for (d = 0; d < MCB_MAX_DIMS; ++d) {
    const int32_t lead = MCB_MAX_DIMS - out_shape->rank;
    out_dims[d] = d < lead ? 1 : out_shape->dims[d - lead];
  }
  if (!broadcast_strides(shape1, out_dims, s1) || !broadcast_strides(shape2, out_dims, s2)) {
    return MCB_ERR_SHAPE;
  }
  /* The output must be exactly the broadcast shape: some input spans each dim. */
  for (d = 0; d < MCB_MAX_DIMS; ++d) {
    if (out_dims[d] != 1 && s1[d] == 0 && s2[d] == 0) {
      return MCB_ERR_SHAPE;
    }
  }
  if ((st = check_alias(output, n_out, input1, n1)) != MCB_OK ||
      (st = check_alias(output, n_out, input2, n2)) != MCB_OK) {
    return st;
  }
  for (i = 0; i < n_out; ++i) {
    output[i] = fn(input1[off1], input2[off2], params);
    /* Odometer increment over the extended output index. */
    for (d = MCB_MAX_DIMS - 1; d >= 0; --d) {
      ++idx[d];
      off1 += s1[d];
      off2 += s2[d];
      if (idx[d] < out_dims[d]) {
        break;
      }
      off1 -= s1[d] * out_dims[d];
      off2 -= s2[d] * out_dims[d];
      idx[d] = 0;
    }
  }
  return MCB_OK;
}
