/*
 * mcb/kernels_layout.h — shape and layout kernels for detection heads such as
 * ST's SSD MobileNet v1: SHAPE, STRIDED_SLICE, PACK, TILE and RESIZE_BILINEAR.
 *
 * TFLM does not run that model, so these follow TensorFlow Lite's own kernels
 * (tensorflow/lite/kernels/{shape,strided_slice,pack,tile,resize_bilinear}.cc
 * and reference/{strided_slice,resize_bilinear}.h, strided_slice_logic.h) in
 * the default build (TFLITE_SINGLE_ROUNDING off). Same conventions as
 * mcb/kernels.h: mcb_<op>_<dtype>, s32 = int32; every kernel validates its
 * arguments, writes nothing on failure, never allocates, and rejects any
 * overlap between output and input with MCB_ERR_ALIAS.
 *
 * The integer operands of these ops (begin/end/strides, multiples, size) are
 * resolved on the host by harness/pack/layout-params.ts; the kernels take them
 * as given. A SHAPE → STRIDED_SLICE → PACK chain on static shapes can instead be
 * folded to constants by harness/pack/fold-shape-ops.ts.
 */
#ifndef MCB_KERNELS_LAYOUT_H
#define MCB_KERNELS_LAYOUT_H

#include <stdint.h>

#include "mcb/kernels.h"
#include "mcb/status.h"
#include "mcb/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------- SHAPE */

/*
 * SHAPE with int32 output (TFLite shape.cc): output[d] = in_shape->dims[d].
 * out_count must equal in_shape->rank (MCB_ERR_SHAPE otherwise). The input's
 * data is never read, so its dtype does not matter.
 */
mcb_status mcb_shape_s32(const mcb_shape *in_shape, int32_t *output, int32_t out_count);

/* ----------------------------------------------------------- STRIDED_SLICE */

#define MCB_STRIDED_SLICE_MAX_DIMS 5 /* TFLite's limit, new axes included */

/*
 * Per-axis slice specification over the EFFECTIVE input shape, i.e. after the
 * host expanded ellipsis_mask and new_axis_mask exactly as TFLite's
 * BuildStridedSliceParams does (new axes become size-1 dims of the input shape
 * with start 0, stop 1, stride 1; an ellipsis becomes whole-axis dims with
 * begin and end mask bits set). The kernel then resolves each axis as TFLite's
 * StridedSliceStartForAxis / StridedSliceEndForAxis:
 *   start: negative += size; clamp to [0, size] (stride > 0) or [-1, size-1];
 *          begin_mask bit -> 0 (stride > 0) or size-1.
 *   stop:  shrink bit -> start + 1 (or start when start >= size, i.e. empty);
 *          else (offset ? stop + start : stop), negative += size, clamped as
 *          start; end_mask bit -> size (stride > 0) or -1.
 * Shrunk axes only drop out of the output shape; the bytes are the same. A
 * shrunk axis with a negative stride selects nothing in TFLite's loop (it would
 * leave the output unwritten); here it fails the out_count check.
 */
typedef struct mcb_strided_slice_params {
  int32_t rank;                                   /* effective rank, 1..5 */
  int32_t start[MCB_STRIDED_SLICE_MAX_DIMS];      /* begin operand, per effective axis */
  int32_t stop[MCB_STRIDED_SLICE_MAX_DIMS];       /* end operand */
  int32_t stride[MCB_STRIDED_SLICE_MAX_DIMS];     /* strides operand, != 0 */
  uint32_t begin_mask, end_mask, shrink_axis_mask; /* bit d = effective axis d */
  int32_t offset;                                 /* 0 or 1 (StridedSliceOptions.offset) */
} mcb_strided_slice_params;

/*
 * STRIDED_SLICE (TFLite reference_ops::StridedSlice) for int8 and int32 data.
 * in_shape: the effective input shape (rank == params->rank, every dim >= 1).
 * out_count: the output tensor's element count; MCB_ERR_SHAPE when the slice
 * yields a different number of elements (TFLite sizes the output in float from
 * the same indices; the host checks that shape, the kernel checks the count).
 */
mcb_status mcb_strided_slice_s8(const mcb_strided_slice_params *params, const mcb_shape *in_shape,
                                const int8_t *input, int8_t *output, int32_t out_count);
mcb_status mcb_strided_slice_s32(const mcb_strided_slice_params *params, const mcb_shape *in_shape,
                                 const int32_t *input, int32_t *output, int32_t out_count);

/* -------------------------------------------------------------------- PACK */

/*
 * PACK (TFLite pack.cc / reference_ops::Pack): stacks `values_count` inputs of
 * the same shape along a new axis. in_shape is each input's shape; here rank 0
 * (a scalar, dims unused) is allowed, rank <= MCB_MAX_DIMS - 1. axis in
 * [0, rank] (the host normalises TFLite's negative axis: axis + rank + 1).
 * Output shape: in_shape with values_count inserted at `axis`. int8 inputs must
 * share the output's scale and zero point (TFLite requires it; the host
 * checks), so this is a pure copy.
 */
mcb_status mcb_pack_s8(int32_t axis, int32_t values_count, const mcb_shape *in_shape,
                       const int8_t *const *inputs, int8_t *output);
mcb_status mcb_pack_s32(int32_t axis, int32_t values_count, const mcb_shape *in_shape,
                        const int32_t *const *inputs, int32_t *output);

/* -------------------------------------------------------------------- TILE */

/*
 * TILE (TFLite tile.cc): output dim d = in dim d * multiples[d];
 * output[i_0, ..., i_n] = input[i_0 % in_0, ..., i_n % in_n]. multiples has
 * in_shape->rank entries, each >= 1 (MCB_ERR_ARG otherwise; a 0 multiple would
 * be an empty tensor, which the runtime does not represent). In SSD graphs
 * multiples is an int32 tensor produced at run time by PACK, so the kernel
 * validates it on every call.
 */
mcb_status mcb_tile_s8(const int32_t *multiples, const mcb_shape *in_shape, const int8_t *input,
                       int8_t *output);
mcb_status mcb_tile_s32(const int32_t *multiples, const mcb_shape *in_shape,
                        const int32_t *input, int32_t *output);

/* --------------------------------------------------------- RESIZE_BILINEAR */

/*
 * int8 RESIZE_BILINEAR: TFLite reference_ops::ResizeBilinearInteger, which is
 * what TFLite's reference kernel (and TFLM) dispatch to for int8; no floating
 * point. Scales are Q10 integers rounded to nearest:
 *   scale_10 = (1024 * in + out / 2) / out   (align_corners && out > 1:
 *              (1024 * (in - 1) + (out - 1) / 2) / (out - 1)),
 * source position p = i * scale_10 (+ scale_10 / 2 - 512 with
 * half_pixel_centers), lower = max(p / 1024, 0), upper = min(ceil-div, in - 1),
 * weights in Q10, the Q20 sum rounded half away from zero and divided by 2^20
 * (truncating). Like TFLite, no requantization: the raw int8 values are
 * interpolated (the converter gives input and output the same quantization).
 * align_corners and half_pixel_centers may not both be 1 (MCB_ERR_ARG).
 * Sizes for which TFLite would read outside the input (the Q10 scale's
 * rounding error accumulating past in - 1, e.g. 1 -> 1500 without flags) are
 * MCB_ERR_UNSUPPORTED, as are extents above 2^20.
 * input [batches, in_h, in_w, c] -> [batches, out_h, out_w, c].
 */
mcb_status mcb_resize_bilinear_s8(const mcb_resize_params *params, int32_t batches, int32_t in_h,
                                  int32_t in_w, int32_t c, const int8_t *input, int32_t out_h,
                                  int32_t out_w, int8_t *output);

#ifdef __cplusplus
}
#endif

#endif /* MCB_KERNELS_LAYOUT_H */
