/*
 * The public entry points of the ops without twins: each is its reference (kernels_ref.h). They live apart
 * from the references so that a reference is only ever named `_ref` and a twin can be added to dispatch.c
 * without renaming anything.
 */
#include "kernels_ref.h"

mcb_status mcb_max_pool_2d_s8(const mcb_pool_params *params, const mcb_view_s8 *input, mcb_view_s8 *output,
                              const mcb_region *region) {
  return mcb_max_pool_2d_s8_ref(params, input, output, region);
}

mcb_status mcb_softmax_s8(const mcb_softmax_params *params, int32_t outer, int32_t depth, const int8_t *input,
                          int8_t *output) {
  return mcb_softmax_s8_ref(params, outer, depth, input, output);
}

mcb_status mcb_quantize_f32_s8(const mcb_affine_quant *q, const float *input, int8_t *output, int32_t count) {
  return mcb_quantize_f32_s8_ref(q, input, output, count);
}

mcb_status mcb_quantize_s8_s8(const mcb_requantize_params *params, const int8_t *input, int8_t *output,
                              int32_t count) {
  return mcb_quantize_s8_s8_ref(params, input, output, count);
}

mcb_status mcb_quantize_s8_u8(const mcb_requantize_params *params, const int8_t *input, uint8_t *output,
                              int32_t count) {
  return mcb_quantize_s8_u8_ref(params, input, output, count);
}

mcb_status mcb_quantize_u8_s8(const mcb_requantize_params *params, const uint8_t *input, int8_t *output,
                              int32_t count) {
  return mcb_quantize_u8_s8_ref(params, input, output, count);
}

mcb_status mcb_dequantize_s8_f32(const mcb_affine_quant *q, const int8_t *input, float *output,
                                 int32_t count) {
  return mcb_dequantize_s8_f32_ref(q, input, output, count);
}

mcb_status mcb_dequantize_u8_f32(const mcb_affine_quant *q, const uint8_t *input, float *output,
                                 int32_t count) {
  return mcb_dequantize_u8_f32_ref(q, input, output, count);
}

mcb_status mcb_concatenation_s8(int32_t axis, int32_t num_inputs, const mcb_shape *const *shapes,
                                const int8_t *const *inputs, const mcb_shape *out_shape, int8_t *output) {
  return mcb_concatenation_s8_ref(axis, num_inputs, shapes, inputs, out_shape, output);
}

mcb_status mcb_transpose_s8(const int32_t *perm, const mcb_shape *in_shape, const int8_t *input,
                            int8_t *output) {
  return mcb_transpose_s8_ref(perm, in_shape, input, output);
}

mcb_status mcb_resize_nearest_neighbor_s8(const mcb_resize_params *params, int32_t batches, int32_t in_h,
                                          int32_t in_w, int32_t c, const int8_t *input, int32_t out_h,
                                          int32_t out_w, int8_t *output) {
  return mcb_resize_nearest_neighbor_s8_ref(params, batches, in_h, in_w, c, input, out_h, out_w, output);
}

mcb_status mcb_conv_2d_u8(const mcb_conv_u8_params *params, const mcb_view_u8 *input,
                          const mcb_filter_u8 *filter, const int32_t *bias, mcb_view_u8 *output,
                          const mcb_region *region) {
  return mcb_conv_2d_u8_ref(params, input, filter, bias, output, region);
}

mcb_status mcb_depthwise_conv_2d_u8(const mcb_conv_u8_params *params, const mcb_view_u8 *input,
                                    const mcb_depthwise_filter_u8 *filter, const int32_t *bias,
                                    mcb_view_u8 *output, const mcb_region *region) {
  return mcb_depthwise_conv_2d_u8_ref(params, input, filter, bias, output, region);
}

mcb_status mcb_avg_pool_2d_u8(const mcb_pool_params *params, const mcb_view_u8 *input, mcb_view_u8 *output,
                              const mcb_region *region) {
  return mcb_avg_pool_2d_u8_ref(params, input, output, region);
}

mcb_status mcb_softmax_u8(const mcb_softmax_params *params, int32_t outer, int32_t depth,
                          const uint8_t *input, uint8_t *output) {
  return mcb_softmax_u8_ref(params, outer, depth, input, output);
}

mcb_status mcb_shape_s32(const mcb_shape *in_shape, int32_t *output, int32_t out_count) {
  return mcb_shape_s32_ref(in_shape, output, out_count);
}

mcb_status mcb_strided_slice_s8(const mcb_strided_slice_params *params, const mcb_shape *in_shape,
                                const int8_t *input, int8_t *output, int32_t out_count) {
  return mcb_strided_slice_s8_ref(params, in_shape, input, output, out_count);
}

mcb_status mcb_strided_slice_s32(const mcb_strided_slice_params *params, const mcb_shape *in_shape,
                                 const int32_t *input, int32_t *output, int32_t out_count) {
  return mcb_strided_slice_s32_ref(params, in_shape, input, output, out_count);
}

mcb_status mcb_pack_s8(int32_t axis, int32_t values_count, const mcb_shape *in_shape,
                       const int8_t *const *inputs, int8_t *output) {
  return mcb_pack_s8_ref(axis, values_count, in_shape, inputs, output);
}

mcb_status mcb_pack_s32(int32_t axis, int32_t values_count, const mcb_shape *in_shape,
                        const int32_t *const *inputs, int32_t *output) {
  return mcb_pack_s32_ref(axis, values_count, in_shape, inputs, output);
}

mcb_status mcb_tile_s8(const int32_t *multiples, const mcb_shape *in_shape, const int8_t *input,
                       int8_t *output) {
  return mcb_tile_s8_ref(multiples, in_shape, input, output);
}

mcb_status mcb_tile_s32(const int32_t *multiples, const mcb_shape *in_shape, const int32_t *input,
                        int32_t *output) {
  return mcb_tile_s32_ref(multiples, in_shape, input, output);
}

mcb_status mcb_resize_bilinear_s8(const mcb_resize_params *params, int32_t batches, int32_t in_h,
                                  int32_t in_w, int32_t c, const int8_t *input, int32_t out_h, int32_t out_w,
                                  int8_t *output) {
  return mcb_resize_bilinear_s8_ref(params, batches, in_h, in_w, c, input, out_h, out_w, output);
}
