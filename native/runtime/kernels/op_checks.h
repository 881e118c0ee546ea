/*
 * The one argument check of each op that has optimized twins, shared by the reference and every twin so
 * they accept exactly the same calls. A twin that fails a check declines (MCB_ERR_UNSUPPORTED) and the
 * reference, running the same check, reports the status.
 */
#ifndef MCB_OP_CHECKS_H
#define MCB_OP_CHECKS_H

#include "mcb/kernels.h"

/* A validated windowed call: the resolved output region and whether it runs in place. An empty region
 * (nothing to compute) is valid: `empty` is then 1 and nothing else was checked. */
typedef struct mcb__window_call {
  mcb_region r;
  int empty;
  int inplace;
} mcb__window_call;

/* CONV_2D: parameters, shapes, quantization, the input taps the region needs, and aliasing (only
 * in-place case (b) of kernels.h, with filter->out_c bytes of scratch). */
mcb_status mcb__conv_2d_s8_check(const mcb_conv_params *params, const mcb_channel_quant *quant,
                                 const mcb_view_s8 *input, const mcb_filter_s8 *filter,
                                 const mcb_view_s8 *output, const mcb_region *region,
                                 const mcb_context *ctx, mcb__window_call *call);

/* DEPTHWISE_CONV_2D: as CONV_2D; in place only case (a) (same views, multiplier 1, the whole view, h*w
 * bytes of scratch). */
mcb_status mcb__depthwise_conv_2d_s8_check(const mcb_depthwise_conv_params *params,
                                           const mcb_channel_quant *quant, const mcb_view_s8 *input,
                                           const mcb_depthwise_filter_s8 *filter,
                                           const mcb_view_s8 *output, const mcb_region *region,
                                           const mcb_context *ctx, mcb__window_call *call);

/* FULLY_CONNECTED: pointers, sizes inside int32, parameters, quantization, output apart from input. */
mcb_status mcb__fully_connected_s8_check(const mcb_fully_connected_params *params,
                                         const mcb_channel_quant *quant, const int8_t *input,
                                         int32_t batches, int32_t accum_depth, const int8_t *filter,
                                         int32_t out_depth, const int8_t *output);

/* ADD and MUL parameters (shapes and aliasing: mcb__broadcast_binary_s8). */
mcb_status mcb__add_s8_check_params(const mcb_add_params *params);
mcb_status mcb__mul_s8_check_params(const mcb_mul_params *params);

/* LEAKY_RELU: pointers, count, multipliers and shifts; output equal to the input or apart from it. */
mcb_status mcb__leaky_relu_s8_check(const mcb_leaky_relu_params *params, const int8_t *input,
                                    const int8_t *output, int32_t count);

#endif /* MCB_OP_CHECKS_H */
