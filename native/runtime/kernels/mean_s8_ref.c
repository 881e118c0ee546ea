/*
 * int8 MEAN: TFLM reference_ops::QuantizedMeanOrSum (compute_sum = false), which
 * TFLM's reduce kernel uses for every int8 MEAN. Sums in int32, then folds
 * 1/count into the multiplier: shift = min(floor(log2(count)), 32, 31 + shift),
 * multiplier = (multiplier << shift) / count (int64, truncating), shift -= shift;
 * output = MultiplyByQuantizedMultiplier(sum - zp * count) + output zp, clamped.
 */
#include "kernels_ref.h"
#include "kernel_common.h"
#include "mcb/quant.h"

static int32_t floor_log2_u64(uint64_t v) {
  int32_t n = -1;
  while (v != 0) {
    v >>= 1;
    ++n;
  }
  return n;
}

mcb_status mcb_mean_s8_ref(const mcb_mean_params *params, const mcb_shape *in_shape,
                       const int8_t *input, int8_t *output) {
  int32_t strides[MCB_MAX_DIMS];
  int32_t kept[MCB_MAX_DIMS], reduced[MCB_MAX_DIMS];
  int32_t n_kept = 0, n_reduced = 0;
  int32_t d;
  int64_t count = 1, n_out = 1, o;
  int32_t multiplier, shift, log2_count;
  const int64_t n_in = mcb__shape_elements(in_shape);
  if (params == NULL || input == NULL || output == NULL) {
    return MCB_ERR_ARG;
  }
  if (n_in == 0 || (params->axis_mask >> in_shape->rank) != 0) {
    return MCB_ERR_SHAPE;
  }
  if (params->multiplier < 0 || params->shift < -31 || params->shift > 30 ||
      params->input_zero_point < -128 || params->input_zero_point > 127 ||
      params->output_zero_point < -128 || params->output_zero_point > 127) {
    return MCB_ERR_ARG;
  }
  for (d = in_shape->rank - 1; d >= 0; --d) {
    strides[d] = (d == in_shape->rank - 1) ? 1 : strides[d + 1] * in_shape->dims[d + 1];
  }
  for (d = 0; d < in_shape->rank; ++d) {
    if (params->axis_mask & (1u << d)) {
      reduced[n_reduced++] = d;
      count *= in_shape->dims[d];
    } else {
      kept[n_kept++] = d;
      n_out *= in_shape->dims[d];
    }
  }
  if (mcb__overlaps(output, (size_t)n_out, input, (size_t)n_in)) {
    return MCB_ERR_ALIAS;
  }
  log2_count = floor_log2_u64((uint64_t)count);
  if (log2_count > 32) log2_count = 32;
  if (log2_count > 31 + params->shift) log2_count = 31 + params->shift;
  multiplier = (int32_t)(((int64_t)params->multiplier << log2_count) / count);
  shift = params->shift - log2_count;

  for (o = 0; o < n_out; ++o) {
    /* Decompose o over the kept dims (row-major), giving the base input offset. */
    int64_t rest = o;
    int32_t base = 0;
    int32_t idx[MCB_MAX_DIMS] = {0};
    int32_t sum = 0;
    int64_t k;
    int32_t off = 0;
    for (d = n_kept - 1; d >= 0; --d) {
      const int32_t dim = in_shape->dims[kept[d]];
      base += (int32_t)(rest % dim) * strides[kept[d]];
      rest /= dim;
    }
    for (k = 0; k < count; ++k) {
      sum += input[base + off];
      for (d = n_reduced - 1; d >= 0; --d) {
        const int32_t ax = reduced[d];
        ++idx[d];
        off += strides[ax];
        if (idx[d] < in_shape->dims[ax]) {
          break;
        }
        off -= strides[ax] * in_shape->dims[ax];
        idx[d] = 0;
      }
    }
    {
      const int32_t shifted = (int32_t)((int64_t)sum - (int64_t)params->input_zero_point * count);
      const int32_t v = mcb_multiply_by_quantized_multiplier(shifted, multiplier, shift) +
                        params->output_zero_point;
      output[o] = (int8_t)mcb_clamp(v, -128, 127);
    }
  }
  return MCB_OK;
}
