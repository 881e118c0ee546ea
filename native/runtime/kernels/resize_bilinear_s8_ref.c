/*
 * int8 RESIZE_BILINEAR: TFLite reference_ops::ResizeBilinearInteger, the path
 * TFLite's reference kernel, its optimized_ops int8 entry (which forwards to
 * it) and TFLM's kernel all take for int8 (the float formula with a +0.5
 * rounding offset is only used for uint8 and float). All integer: Q10
 * source positions, Q20 products, round half away from zero, then a
 * truncating division by 2^20 (default build, TFLITE_SINGLE_ROUNDING off).
 * TFLite sums in int64; the bound below shows int32 cannot overflow.
 */
#include <stddef.h>

#include "kernels_ref.h"
#include "kernel_common.h"
#include "mcb/kernels_layout.h"

#define Q10_ONE 1024
#define MAX_EXTENT (1 << 20) /* keeps 1024 * size and i * scale_10 inside int32 */

/* Q10 scale, rounded to nearest, as TFLite computes it. */
static int32_t scale_q10(int32_t in_size, int32_t out_size, int align_corners) {
  if (align_corners && out_size > 1) {
    return (Q10_ONE * (in_size - 1) + (out_size - 1) / 2) / (out_size - 1);
  }
  return (Q10_ONE * in_size + out_size / 2) / out_size;
}

typedef struct taps {
  int32_t pos;   /* Q10 source position (may be negative with half-pixel centres) */
  int32_t lower; /* first input index */
  int32_t upper; /* second input index */
} taps;

/* ComputeInterpolationValuesInteger; C99 '/' truncates toward zero exactly like C++'s. */
static taps taps_for(int32_t i, int32_t scale_10, int half_pixel_centers, int32_t in_size) {
  taps t;
  int32_t up;
  t.pos = half_pixel_centers ? i * scale_10 + scale_10 / 2 - Q10_ONE / 2 : i * scale_10;
  t.lower = t.pos / Q10_ONE;
  if (t.lower < 0) t.lower = 0;
  up = (t.pos + Q10_ONE - 1) / Q10_ONE;
  t.upper = up < in_size - 1 ? up : in_size - 1;
  return t;
}

/* TFLite reads input[lower] and input[upper] unchecked; we refuse sizes where that
 * would leave the tensor instead of reading out of bounds. */
static int axis_in_bounds(int32_t out_size, int32_t scale_10, int half_pixel_centers,
                          int32_t in_size) {
  int32_t i;
  for (i = 0; i < out_size; ++i) {
    const taps t = taps_for(i, scale_10, half_pixel_centers, in_size);
    if (t.lower > in_size - 1 || t.upper < 0) return 0;
  }
  return 1;
}

mcb_status mcb_resize_bilinear_s8_ref(const mcb_resize_params *params, int32_t batches, int32_t in_h,
                                  int32_t in_w, int32_t c, const int8_t *input, int32_t out_h,
                                  int32_t out_w, int8_t *output) {
  int32_t b, y, x, ch, sy, sx;
  int64_t n_in, n_out;
  int ac, hpc;
  if (params == NULL || input == NULL || output == NULL) {
    return MCB_ERR_ARG;
  }
  ac = params->align_corners;
  hpc = params->half_pixel_centers;
  if ((ac != 0 && ac != 1) || (hpc != 0 && hpc != 1) || (ac && hpc)) {
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
  if (in_h > MAX_EXTENT || in_w > MAX_EXTENT || out_h > MAX_EXTENT || out_w > MAX_EXTENT) {
    return MCB_ERR_UNSUPPORTED;
  }
  sy = scale_q10(in_h, out_h, ac);
  sx = scale_q10(in_w, out_w, ac);
  if (!axis_in_bounds(out_h, sy, hpc, in_h) || !axis_in_bounds(out_w, sx, hpc, in_w)) {
    return MCB_ERR_UNSUPPORTED;
  }
  if (mcb__overlaps(output, (size_t)n_out, input, (size_t)n_in)) {
    return MCB_ERR_ALIAS;
  }
  for (b = 0; b < batches; ++b) {
    const int8_t *img = input + (size_t)b * in_h * in_w * c;
    for (y = 0; y < out_h; ++y) {
      const taps ty = taps_for(y, sy, hpc, in_h);
      /* Weights: pos >= -512 and pos < 1024 * in (checked above), so wy_hi is in [-512, 1024) and
       * |wy_lo| + |wy_hi| <= 2048; |q20| <= 128 * 2048 * 2048 = 2^29, so int32 holds what TFLite
       * computes in int64 (and the M-profile cores avoid a 64-bit division per output). */
      const int32_t wy_hi = ty.pos - Q10_ONE * ty.lower; /* weight of row `upper` */
      const int32_t wy_lo = Q10_ONE - wy_hi;
      for (x = 0; x < out_w; ++x) {
        const taps tx = taps_for(x, sx, hpc, in_w);
        const int32_t wx_hi = tx.pos - Q10_ONE * tx.lower;
        const int32_t wx_lo = Q10_ONE - wx_hi;
        const int8_t *p00 = img + ((size_t)ty.lower * in_w + tx.lower) * c;
        const int8_t *p10 = img + ((size_t)ty.upper * in_w + tx.lower) * c;
        const int8_t *p01 = img + ((size_t)ty.lower * in_w + tx.upper) * c;
        const int8_t *p11 = img + ((size_t)ty.upper * in_w + tx.upper) * c;
        for (ch = 0; ch < c; ++ch) {
          const int32_t q20 = p00[ch] * wy_lo * wx_lo + p10[ch] * wy_hi * wx_lo +
                              p01[ch] * wy_lo * wx_hi + p11[ch] * wy_hi * wx_hi;
          const int32_t rounded = q20 + (q20 > 0 ? (1 << 19) : -(1 << 19));
          *output++ = (int8_t)(rounded / (1 << 20));
        }
      }
    }
  }
  return MCB_OK;
}
