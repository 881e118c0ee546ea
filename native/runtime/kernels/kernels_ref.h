/*
 * The portable reference kernels (kernels/<op>_<dtype>_ref.c and the mixed-type quantize_ref.c,
 * dequantize_ref.c, shape/strided_slice/pack/tile_ref.c): one `mcb_<op>_<dtype>_ref` per public entry
 * point of mcb/kernels.h and mcb/kernels_layout.h, same contract. dispatch.c defines the public names:
 * a twin where one applies, else the reference. Twins and tests call the references directly.
 */
#ifndef MCB_KERNELS_REF_H
#define MCB_KERNELS_REF_H

#include "mcb/kernels.h"
#include "mcb/kernels_layout.h"

#ifdef __cplusplus
extern "C" {
#endif

mcb_status mcb_conv_2d_s8_ref(const mcb_conv_params *params, const mcb_channel_quant *quant,
                              const mcb_view_s8 *input, const mcb_filter_s8 *filter, const int32_t *bias,
                              mcb_view_s8 *output, const mcb_region *region, const mcb_context *ctx);
mcb_status mcb_depthwise_conv_2d_s8_ref(const mcb_depthwise_conv_params *params,
                                        const mcb_channel_quant *quant, const mcb_view_s8 *input,
                                        const mcb_depthwise_filter_s8 *filter, const int32_t *bias,
                                        mcb_view_s8 *output, const mcb_region *region,
                                        const mcb_context *ctx);
mcb_status mcb_fully_connected_s8_ref(const mcb_fully_connected_params *params,
                                      const mcb_channel_quant *quant, const int8_t *input, int32_t batches,
                                      int32_t accum_depth, const int8_t *filter, int32_t out_depth,
                                      const int32_t *bias, int8_t *output);
mcb_status mcb_add_s8_ref(const mcb_add_params *params, const mcb_shape *shape1, const int8_t *input1,
                          const mcb_shape *shape2, const int8_t *input2, const mcb_shape *out_shape,
                          int8_t *output);
mcb_status mcb_mul_s8_ref(const mcb_mul_params *params, const mcb_shape *shape1, const int8_t *input1,
                          const mcb_shape *shape2, const int8_t *input2, const mcb_shape *out_shape,
                          int8_t *output);
mcb_status mcb_avg_pool_2d_s8_ref(const mcb_pool_params *params, const mcb_view_s8 *input,
                                  mcb_view_s8 *output, const mcb_region *region);
mcb_status mcb_max_pool_2d_s8_ref(const mcb_pool_params *params, const mcb_view_s8 *input,
                                  mcb_view_s8 *output, const mcb_region *region);
mcb_status mcb_mean_s8_ref(const mcb_mean_params *params, const mcb_shape *in_shape, const int8_t *input,
                           int8_t *output);
mcb_status mcb_softmax_s8_ref(const mcb_softmax_params *params, int32_t outer, int32_t depth,
                              const int8_t *input, int8_t *output);
mcb_status mcb_quantize_f32_s8_ref(const mcb_affine_quant *q, const float *input, int8_t *output,
                                   int32_t count);
mcb_status mcb_quantize_s8_s8_ref(const mcb_requantize_params *params, const int8_t *input, int8_t *output,
                                  int32_t count);
mcb_status mcb_quantize_s8_u8_ref(const mcb_requantize_params *params, const int8_t *input, uint8_t *output,
                                  int32_t count);
mcb_status mcb_quantize_u8_s8_ref(const mcb_requantize_params *params, const uint8_t *input, int8_t *output,
                                  int32_t count);
mcb_status mcb_dequantize_s8_f32_ref(const mcb_affine_quant *q, const int8_t *input, float *output,
                                     int32_t count);
mcb_status mcb_dequantize_u8_f32_ref(const mcb_affine_quant *q, const uint8_t *input, float *output,
                                     int32_t count);
mcb_status mcb_leaky_relu_s8_ref(const mcb_leaky_relu_params *params, const int8_t *input, int8_t *output,
                                 int32_t count);
mcb_status mcb_concatenation_s8_ref(int32_t axis, int32_t num_inputs, const mcb_shape *const *shapes,
                                    const int8_t *const *inputs, const mcb_shape *out_shape, int8_t *output);
mcb_status mcb_pad_s8_ref(const mcb_pad_params *params, const mcb_shape *in_shape, const int8_t *input,
                          int8_t *output);
mcb_status mcb_transpose_s8_ref(const int32_t *perm, const mcb_shape *in_shape, const int8_t *input,
                                int8_t *output);
mcb_status mcb_resize_nearest_neighbor_s8_ref(const mcb_resize_params *params, int32_t batches, int32_t in_h,
                                              int32_t in_w, int32_t c, const int8_t *input, int32_t out_h,
                                              int32_t out_w, int8_t *output);
mcb_status mcb_conv_2d_u8_ref(const mcb_conv_u8_params *params, const mcb_view_u8 *input,
                              const mcb_filter_u8 *filter, const int32_t *bias, mcb_view_u8 *output,
                              const mcb_region *region);
mcb_status mcb_depthwise_conv_2d_u8_ref(const mcb_conv_u8_params *params, const mcb_view_u8 *input,
                                        const mcb_depthwise_filter_u8 *filter, const int32_t *bias,
                                        mcb_view_u8 *output, const mcb_region *region);
mcb_status mcb_avg_pool_2d_u8_ref(const mcb_pool_params *params, const mcb_view_u8 *input,
                                  mcb_view_u8 *output, const mcb_region *region);
mcb_status mcb_softmax_u8_ref(const mcb_softmax_params *params, int32_t outer, int32_t depth,
                              const uint8_t *input, uint8_t *output);

/* Layout ops (mcb/kernels_layout.h). */
mcb_status mcb_shape_s32_ref(const mcb_shape *in_shape, int32_t *output, int32_t out_count);
mcb_status mcb_strided_slice_s8_ref(const mcb_strided_slice_params *params, const mcb_shape *in_shape,
                                    const int8_t *input, int8_t *output, int32_t out_count);
mcb_status mcb_strided_slice_s32_ref(const mcb_strided_slice_params *params, const mcb_shape *in_shape,
                                     const int32_t *input, int32_t *output, int32_t out_count);
mcb_status mcb_pack_s8_ref(int32_t axis, int32_t values_count, const mcb_shape *in_shape,
                           const int8_t *const *inputs, int8_t *output);
mcb_status mcb_pack_s32_ref(int32_t axis, int32_t values_count, const mcb_shape *in_shape,
                            const int32_t *const *inputs, int32_t *output);
mcb_status mcb_tile_s8_ref(const int32_t *multiples, const mcb_shape *in_shape, const int8_t *input,
                           int8_t *output);
mcb_status mcb_tile_s32_ref(const int32_t *multiples, const mcb_shape *in_shape, const int32_t *input,
                            int32_t *output);
mcb_status mcb_resize_bilinear_s8_ref(const mcb_resize_params *params, int32_t batches, int32_t in_h,
                                      int32_t in_w, int32_t c, const int8_t *input, int32_t out_h,
                                      int32_t out_w, int8_t *output);

#ifdef __cplusplus
}
#endif

#endif /* MCB_KERNELS_REF_H */
