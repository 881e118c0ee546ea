/*
 * mcb/kernels.h — portable C99 int8 kernels, bit-exact with TensorFlow Lite
 * Micro's reference kernels (tflite-micro 90b983c2, default build, i.e. without
 * TFLITE_SINGLE_ROUNDING).
 *
 * Grammar: mcb_<op>_<dtype>, op = TFLite builtin name in lower case; dtype s8
 * (int8), u8 (uint8), f32; mixed types as <from>_<to>. Parameter structs are
 * mcb_<op>_params. Every kernel returns mcb_status and never allocates; the few
 * that need scratch say so with mcb_<op>_<dtype>_scratch_size.
 *
 * Quantized parameters (multipliers, shifts, offsets, activation ranges) are
 * computed on the host by harness/pack/quant-params.ts exactly as TFLM's Prepare
 * does; the TS objects use the same field names as the structs below.
 *
 * Conventions for every kernel:
 *   - "offset" fields follow TFLM: input_offset = -input_zero_point,
 *     output_offset = +output_zero_point. Fields named *_zero_point are the raw
 *     zero point. Zero points lie in [-128, 127].
 *   - act_min/act_max: the fused activation folded into an int8 clamp range,
 *     -128 <= act_min <= act_max <= 127 (TFLM CalculateActivationRangeQuantized).
 *   - Bias is int32, one per output channel, and optional (NULL = zero).
 *
 * Windowed (patch-based) calls — conv_2d, depthwise_conv_2d, avg_pool_2d,
 * max_pool_2d: the input is an mcb_view_s8 holding a region of the full input
 * tensor, the output is an mcb_view_s8 holding a region of the full output
 * tensor, and `region` (full output coordinates) says which outputs to compute;
 * region == NULL means the output view's whole extent. The region must lie
 * inside the output view (else MCB_ERR_WINDOW). Padding is judged against the
 * FULL input tensor: a tap outside [0, full_h) x [0, full_w) is skipped exactly
 * as TFLM skips it (for conv that equals multiplying the input zero point's
 * offset-corrected 0; avg pool counts only in-bounds taps). A tap inside the full
 * tensor but outside the input view is a caller error: MCB_ERR_WINDOW, checked
 * before anything is written. Pass the whole tensor as the view for a plain
 * layer-based call.
 *
 * In-place (output buffer shares memory with an input). Supported exactly:
 *   (a) depthwise_conv_2d with depth_multiplier 1 and output->data == input->data
 *       (same c): each channel's output plane is computed into scratch
 *       (region area bytes, see mcb_depthwise_conv_2d_s8_scratch_size) and then
 *       scattered into its slots, which held that channel of already-consumed
 *       input pixels. The region must be the whole output view.
 *   (b) conv_2d 1x1, stride 1, no padding, dilation 1, out_c <= in_c,
 *       output->data == input->data, output view with the same y0/x0/h/w as the
 *       input view, region == whole view: pixels are processed in increasing
 *       order, each pixel's outputs completed in scratch (out_c bytes) before
 *       being stored.
 *   (c) add/mul with output == input1 or output == input2, when that input has
 *       the output's full shape (no broadcasting along any dimension of it).
 *   (d) the elementwise unary kernels (quantize, leaky_relu) with out == in
 *       (same element size).
 * Any other overlap between an output and an input is rejected with
 * MCB_ERR_ALIAS (checked by address range, before anything is written).
 */
#ifndef MCB_KERNELS_H
#define MCB_KERNELS_H

#include <stdint.h>

#include "mcb/status.h"
#include "mcb/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ CONV_2D */

typedef struct mcb_conv_params {
  int32_t stride_h, stride_w;     /* >= 1 */
  int32_t dilation_h, dilation_w; /* >= 1 */
  int32_t pad_top, pad_left;      /* >= 0; bottom/right padding is implied by the output size */
  int32_t input_offset;           /* -input_zero_point, [-127, 128] */
  int32_t output_offset;          /* output_zero_point, [-128, 127] */
  int32_t act_min, act_max;
} mcb_conv_params;

/* Conv filter, OHWI: element (o, y, x, i) at data[((o * h + y) * w + x) * in_c + i].
 * in_c may divide the input channel count (grouped conv, groups = input c / in_c,
 * out_c divisible by groups), as TFLM's reference supports. */
typedef struct mcb_filter_s8 {
  const int8_t *data;
  int32_t out_c, h, w, in_c;
} mcb_filter_s8;

/*
 * Per-channel int8 CONV_2D (TFLM reference_integer_ops::ConvPerChannel).
 * input: view with c = groups * filter->in_c; output: view with c = filter->out_c;
 * quant: count 1 or filter->out_c; bias: out_c int32 or NULL;
 * ctx: scratch, needed only for in-place case (b) (NULL allowed otherwise).
 */
mcb_status mcb_conv_2d_s8(const mcb_conv_params *params, const mcb_channel_quant *quant,
                          const mcb_view_s8 *input, const mcb_filter_s8 *filter,
                          const int32_t *bias, mcb_view_s8 *output, const mcb_region *region,
                          const mcb_context *ctx);

/* Scratch bytes mcb_conv_2d_s8 needs for this call: filter->out_c when
 * output->data == input->data (in-place case b), otherwise 0. */
int32_t mcb_conv_2d_s8_scratch_size(const mcb_view_s8 *input, const mcb_view_s8 *output,
                                    const mcb_filter_s8 *filter);

/* -------------------------------------------------------- DEPTHWISE_CONV_2D */

typedef struct mcb_depthwise_conv_params {
  int32_t stride_h, stride_w;
  int32_t dilation_h, dilation_w;
  int32_t pad_top, pad_left;
  int32_t depth_multiplier;       /* >= 1; output c = input c * depth_multiplier */
  int32_t input_offset;           /* -input_zero_point */
  int32_t output_offset;          /* output_zero_point */
  int32_t act_min, act_max;
} mcb_depthwise_conv_params;

/* Depthwise filter, 1HWC: element (y, x, oc) at data[(y * w + x) * c + oc], c = output channels. */
typedef struct mcb_depthwise_filter_s8 {
  const int8_t *data;
  int32_t h, w, c;
} mcb_depthwise_filter_s8;

/*
 * Per-channel int8 DEPTHWISE_CONV_2D (TFLM reference_integer_ops::DepthwiseConvPerChannel).
 * Output channel oc = ic * depth_multiplier + m. quant count 1 or filter->c;
 * bias filter->c int32 or NULL. ctx needed only for in-place case (a).
 */
mcb_status mcb_depthwise_conv_2d_s8(const mcb_depthwise_conv_params *params,
                                    const mcb_channel_quant *quant, const mcb_view_s8 *input,
                                    const mcb_depthwise_filter_s8 *filter, const int32_t *bias,
                                    mcb_view_s8 *output, const mcb_region *region,
                                    const mcb_context *ctx);

/* Scratch bytes for this call: region area (whole output view: output->h * output->w)
 * when output->data == input->data (in-place case a), otherwise 0. */
int32_t mcb_depthwise_conv_2d_s8_scratch_size(const mcb_view_s8 *input, const mcb_view_s8 *output);

/* ---------------------------------------------------------- FULLY_CONNECTED */

typedef struct mcb_fully_connected_params {
  int32_t input_offset;   /* -input_zero_point */
  int32_t filter_offset;  /* -filter_zero_point (0 for TFLM int8 weights; honoured per-tensor only, as TFLM) */
  int32_t output_offset;  /* output_zero_point */
  int32_t act_min, act_max;
} mcb_fully_connected_params;

/*
 * int8 FULLY_CONNECTED (TFLM reference_integer_ops::FullyConnected / ...PerChannel).
 * input: [batches, accum_depth]; filter: [out_depth, accum_depth]; bias: out_depth or NULL;
 * output: [batches, out_depth]. quant count 1 (per-tensor) or out_depth (per-channel).
 */
mcb_status mcb_fully_connected_s8(const mcb_fully_connected_params *params,
                                  const mcb_channel_quant *quant, const int8_t *input,
                                  int32_t batches, int32_t accum_depth, const int8_t *filter,
                                  int32_t out_depth, const int32_t *bias, int8_t *output);

/* ---------------------------------------------------------------- ADD / MUL */

/* TFLM ArithmeticParams for int8 ADD (add_common.cc: left_shift 20). */
typedef struct mcb_add_params {
  int32_t left_shift;                                  /* 20 for int8 */
  int32_t input1_offset, input1_multiplier, input1_shift; /* offset = -zp */
  int32_t input2_offset, input2_multiplier, input2_shift;
  int32_t output_offset, output_multiplier, output_shift; /* offset = +zp */
  int32_t act_min, act_max;
} mcb_add_params;

/*
 * int8 ADD with NumPy-style broadcasting (shapes right-aligned; each input dim
 * is 1 or equal to the output dim). Output shape must be the broadcast shape.
 * In-place: case (c).
 */
mcb_status mcb_add_s8(const mcb_add_params *params, const mcb_shape *shape1, const int8_t *input1,
                      const mcb_shape *shape2, const int8_t *input2,
                      const mcb_shape *out_shape, int8_t *output);

typedef struct mcb_mul_params {
  int32_t input1_offset, input2_offset; /* -zp */
  int32_t output_offset;                /* +zp */
  int32_t output_multiplier, output_shift;
  int32_t act_min, act_max;
} mcb_mul_params;

/* int8 MUL with broadcasting as mcb_add_s8 (e.g. SE blocks [1,H,W,C] x [1,1,1,C]). */
mcb_status mcb_mul_s8(const mcb_mul_params *params, const mcb_shape *shape1, const int8_t *input1,
                      const mcb_shape *shape2, const int8_t *input2,
                      const mcb_shape *out_shape, int8_t *output);

/* ---------------------------------------------------------------- POOLING */

typedef struct mcb_pool_params {
  int32_t stride_h, stride_w; /* >= 1 */
  int32_t filter_h, filter_w; /* >= 1 */
  int32_t pad_top, pad_left;  /* >= 0 */
  int32_t act_min, act_max;
} mcb_pool_params;

/* int8 AVERAGE_POOL_2D / MAX_POOL_2D (TFLM reference_integer_ops). Input and output
 * views must have the same c (input and output share scale and zero point, as TFLM
 * requires). No in-place support. An output whose window has no in-bounds tap is
 * MCB_ERR_SHAPE for avg pool (TFLM would divide by zero). */
mcb_status mcb_avg_pool_2d_s8(const mcb_pool_params *params, const mcb_view_s8 *input,
                              mcb_view_s8 *output, const mcb_region *region);
mcb_status mcb_max_pool_2d_s8(const mcb_pool_params *params, const mcb_view_s8 *input,
                              mcb_view_s8 *output, const mcb_region *region);

/* ------------------------------------------------------------------- MEAN */

typedef struct mcb_mean_params {
  int32_t input_zero_point, output_zero_point;
  int32_t multiplier, shift; /* QuantizeMultiplier(input_scale / output_scale) */
  uint32_t axis_mask;        /* bit d set = reduce over dimension d of in_shape; e.g. 0x6 = H,W of NHWC */
} mcb_mean_params;

/*
 * int8 MEAN (TFLM reference_ops::QuantizedMeanOrSum, compute_sum = false): sums in
 * int32, folds 1/count into the multiplier as TFLM does, requantizes. keep_dims
 * does not change the output bytes: output is the input shape with reduced dims
 * removed (or set to 1), in the same order.
 */
mcb_status mcb_mean_s8(const mcb_mean_params *params, const mcb_shape *in_shape,
                       const int8_t *input, int8_t *output);

/* ---------------------------------------------------------------- SOFTMAX */

typedef struct mcb_softmax_params {
  int32_t input_multiplier; /* PreprocessSoftmaxScaling(beta, input_scale, 5) */
  int32_t input_left_shift;
  int32_t diff_min;         /* -CalculateInputRadius(5, input_left_shift) */
} mcb_softmax_params;

/* int8 -> int8 SOFTMAX over the innermost dimension (TFLM reference_ops::Softmax with
 * gemmlowp fixed point). Output quantization is fixed by TFLM: scale 1/256, zp -128.
 * input/output: [outer, depth]. */
mcb_status mcb_softmax_s8(const mcb_softmax_params *params, int32_t outer, int32_t depth,
                          const int8_t *input, int8_t *output);

/* ----------------------------------------------------- QUANTIZE / DEQUANTIZE */

typedef struct mcb_affine_quant {
  float scale;        /* > 0 */
  int32_t zero_point;
} mcb_affine_quant;

/* float32 -> int8: round(x / scale) + zp, clamped (TFLM reference_ops::AffineQuantize). */
mcb_status mcb_quantize_f32_s8(const mcb_affine_quant *q, const float *input, int8_t *output,
                               int32_t count);

typedef struct mcb_requantize_params {
  int32_t input_zero_point, output_zero_point;
  int32_t multiplier, shift; /* QuantizeMultiplier(input_scale / output_scale) */
} mcb_requantize_params;

/* Requantize (TFLM reference_ops::Requantize): int8->int8, int8->uint8, uint8->int8. */
mcb_status mcb_quantize_s8_s8(const mcb_requantize_params *params, const int8_t *input,
                              int8_t *output, int32_t count);
mcb_status mcb_quantize_s8_u8(const mcb_requantize_params *params, const int8_t *input,
                              uint8_t *output, int32_t count);
mcb_status mcb_quantize_u8_s8(const mcb_requantize_params *params, const uint8_t *input,
                              int8_t *output, int32_t count);

/* int8/uint8 -> float32: scale * (q - zp) (TFLM reference_ops::Dequantize). */
mcb_status mcb_dequantize_s8_f32(const mcb_affine_quant *q, const int8_t *input, float *output,
                                 int32_t count);
mcb_status mcb_dequantize_u8_f32(const mcb_affine_quant *q, const uint8_t *input, float *output,
                                 int32_t count);

/* ------------------------------------------------------------- LEAKY_RELU */

typedef struct mcb_leaky_relu_params {
  int32_t input_zero_point, output_zero_point;
  int32_t output_multiplier_alpha, output_shift_alpha;       /* alpha * in_scale / out_scale; multiplier < 0 when alpha < 0 */
  int32_t output_multiplier_identity, output_shift_identity; /* in_scale / out_scale */
} mcb_leaky_relu_params;

/* int8 LEAKY_RELU (TFLM reference_ops::QuantizeLeakyRelu). In-place allowed. */
mcb_status mcb_leaky_relu_s8(const mcb_leaky_relu_params *params, const int8_t *input,
                             int8_t *output, int32_t count);

/* ------------------------------------------------- data movement (no math) */

/*
 * int8 CONCATENATION along `axis` (negative counts from the end). TFLM's int8 kernel
 * requires every input to share the output's scale and zero point, so this is a
 * pure copy; the packer rejects differing quantization. All shapes have the same
 * rank and agree except on `axis`; out_shape[axis] = sum of the inputs'.
 */
mcb_status mcb_concatenation_s8(int32_t axis, int32_t num_inputs, const mcb_shape *const *shapes,
                                const int8_t *const *inputs, const mcb_shape *out_shape,
                                int8_t *output);

typedef struct mcb_pad_params {
  int32_t before[MCB_MAX_DIMS]; /* >= 0, per dim of in_shape */
  int32_t after[MCB_MAX_DIMS];  /* >= 0 */
  int8_t pad_value;             /* output zero point (or the constant operand) */
} mcb_pad_params;

/* int8 PAD / PADV2 (TFLM reference_ops::Pad): out dim d = before[d] + in dim d + after[d]. */
mcb_status mcb_pad_s8(const mcb_pad_params *params, const mcb_shape *in_shape,
                      const int8_t *input, int8_t *output);

/* int8 TRANSPOSE: output dim d = input dim perm[d]; perm a permutation of 0..rank-1. */
mcb_status mcb_transpose_s8(const int32_t *perm, const mcb_shape *in_shape, const int8_t *input,
                            int8_t *output);

typedef struct mcb_resize_params {
  int32_t align_corners;      /* 0 or 1 */
  int32_t half_pixel_centers; /* 0 or 1 */
} mcb_resize_params;

/* int8 RESIZE_NEAREST_NEIGHBOR (TFLM reference_ops::ResizeNearestNeighbor).
 * input [batches, in_h, in_w, c] -> output [batches, out_h, out_w, c]. */
mcb_status mcb_resize_nearest_neighbor_s8(const mcb_resize_params *params, int32_t batches,
                                          int32_t in_h, int32_t in_w, int32_t c,
                                          const int8_t *input, int32_t out_h, int32_t out_w,
                                          int8_t *output);

/* ------------------------------------------- legacy uint8 (TFLite, not TFLM) */
/*
 * TF1 QAT models (e.g. mobilenet_v1_0.25_128_quant) use asymmetric uint8 with
 * per-tensor weights and a weight zero point. TFLM no longer runs them; these
 * follow TFLite's reference_ops (non-integer_ops) uint8 kernels. Same windowed
 * contract as the int8 kernels, no in-place support (any overlap is
 * MCB_ERR_ALIAS). Offsets: input_offset = -input_zp and filter_offset =
 * -filter_zp in [-255, 0]; output_offset = output_zp in [0, 255];
 * 0 <= act_min <= act_max <= 255.
 */

typedef struct mcb_conv_u8_params {
  int32_t stride_h, stride_w;
  int32_t dilation_h, dilation_w;
  int32_t pad_top, pad_left;
  int32_t depth_multiplier; /* depthwise only (ignored by conv) */
  int32_t input_offset, filter_offset, output_offset;
  int32_t output_multiplier, output_shift; /* per-tensor, QuantizeMultiplier(float(in*w)/out) */
  int32_t act_min, act_max;
} mcb_conv_u8_params;

/* uint8 CONV_2D (TFLite reference_ops::Conv, uint8): filter OHWI, groups allowed as for s8. */
typedef struct mcb_filter_u8 {
  const uint8_t *data;
  int32_t out_c, h, w, in_c;
} mcb_filter_u8;

mcb_status mcb_conv_2d_u8(const mcb_conv_u8_params *params, const mcb_view_u8 *input,
                          const mcb_filter_u8 *filter, const int32_t *bias, mcb_view_u8 *output,
                          const mcb_region *region);

/* uint8 depthwise filter, 1HWC as mcb_depthwise_filter_s8. */
typedef struct mcb_depthwise_filter_u8 {
  const uint8_t *data;
  int32_t h, w, c;
} mcb_depthwise_filter_u8;

/* uint8 DEPTHWISE_CONV_2D (TFLite reference_ops::DepthwiseConv, uint8, kAwayFromZero rounding,
 * which is plain MultiplyByQuantizedMultiplier in the default build). */
mcb_status mcb_depthwise_conv_2d_u8(const mcb_conv_u8_params *params, const mcb_view_u8 *input,
                                    const mcb_depthwise_filter_u8 *filter, const int32_t *bias,
                                    mcb_view_u8 *output, const mcb_region *region);

/* uint8 AVERAGE_POOL_2D (TFLite reference_ops::AveragePool, uint8): (acc + n/2) / n. */
mcb_status mcb_avg_pool_2d_u8(const mcb_pool_params *params, const mcb_view_u8 *input,
                              mcb_view_u8 *output, const mcb_region *region);

/* uint8 -> uint8 SOFTMAX (TFLite reference_ops::Softmax<uint8_t, uint8_t>): output
 * scale 1/256, zero point 0; same parameters as mcb_softmax_s8. */
mcb_status mcb_softmax_u8(const mcb_softmax_params *params, int32_t outer, int32_t depth,
                          const uint8_t *input, uint8_t *output);

#ifdef __cplusplus
}
#endif

#endif /* MCB_KERNELS_H */
