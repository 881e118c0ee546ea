/*
 * int8 RESIZE_NEAREST_NEIGHBOR: TFLM reference_ops::ResizeNearestNeighbor. The
 * source index is computed in float exactly as TFLM does: scale = in/out (or
 * (in-1)/(out-1) with align_corners), (i + 0.5 if half_pixel_centers) * scale,
 * rounded (align_corners) or floored, clamped to [0, in-1].
 */
#include <math.h>
#include <string.h>

#include "kernels_ref.h"
#include "kernel_common.h"

static int32_t nearest(int32_t i, int32_t in_size, int32_t out_size, int align_corners,
                       int half_pixel_centers) {
  const float scale = (align_corners && out_size > 1)
                          ? (float)(in_size - 1) / (float)(out_size - 1)
                          : (float)in_size / (float)out_size;
  const float offset = half_pixel_centers ? 0.5f : 0.0f;
  const float pos = ((float)i + offset) * scale;
  int32_t v = align_corners ? (int32_t)roundf(pos) : (int32_t)floorf(pos);
  if (v > in_size - 1) v = in_size - 1;
  if (half_pixel_centers && v < 0) v = 0;
  return v;
}

mcb_status mcb_resize_nearest_neighbor_s8_ref(const mcb_resize_params *params, int32_t batches,
                                          int32_t in_h, int32_t in_w, int32_t c,
                                          const int8_t *input, int32_t out_h, int32_t out_w,
                                          int8_t *output) {
  int32_t b, y, x;
  int64_t n_in, n_out;
  if (params == NULL || input == NULL || output == NULL) {
    return MCB_ERR_ARG;
  }
  if (batches < 1 || in_h < 1 || in_w < 1 || c < 1 || out_h < 1 || out_w < 1) {
    return MCB_ERR_SHAPE;
  }
  n_in = (int64_t)batches * in_h * in_w * c;
  n_out = (int64_t)batches * out_h * out_w * c;
  if (n_in > INT32_MAX || n_out > INT32_MAX) {
    return MCB_ERR_SHAPE;
  }
  if (mcb__overlaps(output, (size_t)n_out, input, (size_t)n_in)) {
    return MCB_ERR_ALIAS;
  }
  for (b = 0; b < batches; ++b) {
    const int8_t *batch_in = input + (size_t)b * in_h * in_w * c;
    for (y = 0; y < out_h; ++y) {
      const int32_t iy = nearest(y, in_h, out_h, params->align_corners, params->half_pixel_centers);
      for (x = 0; x < out_w; ++x) {
        const int32_t ix =
            nearest(x, in_w, out_w, params->align_corners, params->half_pixel_centers);
        memcpy(output, batch_in + ((size_t)iy * in_w + ix) * c, (size_t)c);
        output += c;
      }
    }
  }
  return MCB_OK;
}
