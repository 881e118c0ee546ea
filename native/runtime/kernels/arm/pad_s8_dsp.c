/*
 * Cortex-M twin of pad_s8_ref.c (int8 PAD / PADV2), identical bytes. The reference copies one innermost row per
 * call pair (for NHWC padded in H and W: C bytes at a time, a memset and a memcpy per pixel). Here the dims inside
 * the innermost padded one, which are copied whole, join into one block: a row is then that padded dim's
 * before / input / after runs of blocks (for NHWC: one memset, one memcpy of W*C bytes and one memset per output
 * row), and a stretch of output that lies wholly in an outer margin (a padded top row, a padded batch) is one
 * memset. Word copies and fills come from the C library's memcpy/memset.
 *
 * Taken: every call the reference accepts. Every call it refuses declines (MCB_ERR_UNSUPPORTED) before writing.
 */
#include "../twins.h"

#if defined(__ARM_FEATURE_DSP)

#include <string.h>

#include "../kernel_common.h"

mcb_status mcb_pad_s8_dsp(const mcb_pad_params *params, const mcb_shape *in_shape, const int8_t *input,
                          int8_t *output) {
  int32_t out_dims[MCB_MAX_DIMS], in_stride[MCB_MAX_DIMS], idx[MCB_MAX_DIMS] = {0};
  int32_t rank, d, k, block = 1, pre, copy, post, row_out;
  int64_t n_out = 1, written = 0;
  const int64_t n_in = mcb__shape_elements(in_shape);
  if (params == NULL || input == NULL || output == NULL || n_in == 0) return MCB_ERR_UNSUPPORTED;
  rank = in_shape->rank;
  for (d = 0; d < rank; ++d) {
    if (params->before[d] < 0 || params->after[d] < 0) return MCB_ERR_UNSUPPORTED;
    out_dims[d] = in_shape->dims[d] + params->before[d] + params->after[d];
    n_out *= out_dims[d];
    if (n_out > INT32_MAX) return MCB_ERR_UNSUPPORTED;
  }
  if (mcb__overlaps(output, (size_t)n_out, input, (size_t)n_in)) return MCB_ERR_UNSUPPORTED;
  /* Dims inside the innermost padded one join the block; with no padding at all the output is the input. */
  for (k = rank - 1; k >= 0 && params->before[k] == 0 && params->after[k] == 0; --k) block *= in_shape->dims[k];
  if (k < 0) {
    memcpy(output, input, (size_t)n_in);
    return MCB_OK;
  }
  pre = params->before[k] * block;
  copy = in_shape->dims[k] * block;
  post = params->after[k] * block;
  row_out = pre + copy + post;
  /* Input elements per step of outer dim d: a row's copy for the dim just outside the padded one, and so on out. */
  if (k > 0) in_stride[k - 1] = copy;
  for (d = k - 2; d >= 0; --d) in_stride[d] = in_stride[d + 1] * in_shape->dims[d + 1];
  while (written < n_out) {
    int8_t *dst = output + written;
    int32_t src = 0, margin = -1;
    for (d = 0; d < k; ++d) {
      const int32_t i = idx[d] - params->before[d];
      if (i < 0 || i >= in_shape->dims[d]) {
        margin = d;
        break;
      }
      src += i * in_stride[d];
    }
    if (margin >= 0) {
      /* The whole stretch under this outer index lies in the margin (the odometer enters it at its start). */
      int64_t rows = 1;
      for (d = margin + 1; d < k; ++d) rows *= out_dims[d];
      memset(dst, params->pad_value, (size_t)(rows * row_out));
      written += rows * row_out;
      d = margin;
    } else {
      memset(dst, params->pad_value, (size_t)pre);
      memcpy(dst + pre, input + src, (size_t)copy);
      memset(dst + pre + copy, params->pad_value, (size_t)post);
      written += row_out;
      d = k - 1;
    }
    for (; d >= 0; --d) { /* odometer over the outer dims, from the one just finished */
      if (++idx[d] < out_dims[d]) break;
      idx[d] = 0;
    }
  }
  return MCB_OK;
}

#else
/* No DSP extension (host, Cortex-M0/M3): nothing to build; the typedef keeps the unit non-empty (ISO C). */
typedef int mcb_pad_s8_dsp_needs_arm_dsp;
#endif /* __ARM_FEATURE_DSP */
