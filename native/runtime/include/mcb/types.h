/*
 * mcb/types.h — plain data types shared by the kernels and the runtime.
 *
 * Layout conventions (all kernels):
 *   - Activations are NHWC, batch 1 for the spatial (windowed) kernels.
 *   - Conv filters are OHWI; depthwise filters are 1HWC (C = in_c * depth_multiplier).
 *   - Every buffer is densely packed, innermost dimension last, no row padding.
 *   - Nothing here owns memory: every pointer belongs to the caller.
 */
#ifndef MCB_TYPES_H
#define MCB_TYPES_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Largest tensor rank the shape-generic kernels (add, mul, mean, pad, transpose,
 * concatenation) accept; TFLM's reference broadcast and transpose go up to 6. */
#define MCB_MAX_DIMS 6

/*
 * A window onto an NHWC tensor (batch 1) of full size full_h x full_w x c.
 * `data` holds rows [y0, y0+h) x cols [x0, x0+w), all c channels:
 *   element (y, x, ch) is data[((y - y0) * w + (x - x0)) * c + ch].
 * The whole tensor is the special case y0 = x0 = 0, h = full_h, w = full_w.
 * Ranges: 0 <= y0, 0 <= x0, h >= 1, w >= 1, y0 + h <= full_h, x0 + w <= full_w, c >= 1.
 */
typedef struct mcb_view_s8 {
  int8_t *data;
  int32_t y0, x0, h, w, c;
  int32_t full_h, full_w;
} mcb_view_s8;

/* The same window for legacy uint8 tensors (TFLite's pre-int8 quantization). */
typedef struct mcb_view_u8 {
  uint8_t *data;
  int32_t y0, x0, h, w, c;
  int32_t full_h, full_w;
} mcb_view_u8;

/* Half-open rectangle [y0, y1) x [x0, x1) in FULL-tensor coordinates. */
typedef struct mcb_region {
  int32_t y0, y1, x0, x1;
} mcb_region;

/* A dense tensor shape, outermost first; 1 <= rank <= MCB_MAX_DIMS, every dim >= 1. */
typedef struct mcb_shape {
  int32_t rank;
  int32_t dims[MCB_MAX_DIMS];
} mcb_shape;

/* Caller-owned scratch memory; buf may be NULL when size is 0. */
typedef struct mcb_context {
  void *buf;
  int32_t size;
} mcb_context;

/*
 * Requantization of int32 accumulators, one (multiplier, shift) pair per output
 * channel (count == number of output channels) or one shared pair (count == 1,
 * per-tensor). multiplier is a Q31 value with magnitude in [2^30, 2^31], or 0;
 * it is negative when a filter scale is negative (real models have these, and
 * TFLM passes them through). shift is the power-of-two exponent (positive = left
 * shift), in [-31, 30], exactly as TFLM's QuantizeMultiplier produces (see
 * harness/pack/quant-params.ts).
 */
typedef struct mcb_channel_quant {
  const int32_t *multiplier;
  const int32_t *shift;
  int32_t count;
} mcb_channel_quant;

#ifdef __cplusplus
}
#endif

#endif /* MCB_TYPES_H */
