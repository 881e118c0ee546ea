/*
 * The optimized twins: one function type per op that has (or may get) a twin, the same signature as the
 * public entry point, and the twins of each instruction set. A twin returns MCB_ERR_UNSUPPORTED, before
 * writing anything, for every call it does not take (a shape without a fast path, and every call that
 * fails the op's shared check in op_checks.h); dispatch.c then runs the reference. Each twin is proven
 * byte-identical with its reference on its own ISA (tests/native/kernels-twins.test.ts for x86,
 * tests/firmware/kernels-dsp.test.ts in QEMU for Cortex-M).
 */
#ifndef MCB_KERNELS_TWINS_H
#define MCB_KERNELS_TWINS_H

#include "mcb/kernels.h"

typedef mcb_status mcb_conv_2d_s8_fn(const mcb_conv_params *params, const mcb_channel_quant *quant,
                                     const mcb_view_s8 *input, const mcb_filter_s8 *filter,
                                     const int32_t *bias, mcb_view_s8 *output,
                                     const mcb_region *region, const mcb_context *ctx);
typedef mcb_status mcb_depthwise_conv_2d_s8_fn(const mcb_depthwise_conv_params *params,
                                               const mcb_channel_quant *quant,
                                               const mcb_view_s8 *input,
                                               const mcb_depthwise_filter_s8 *filter,
                                               const int32_t *bias, mcb_view_s8 *output,
                                               const mcb_region *region, const mcb_context *ctx);
typedef mcb_status mcb_fully_connected_s8_fn(const mcb_fully_connected_params *params,
                                             const mcb_channel_quant *quant, const int8_t *input,
                                             int32_t batches, int32_t accum_depth,
                                             const int8_t *filter, int32_t out_depth,
                                             const int32_t *bias, int8_t *output);
typedef mcb_status mcb_add_s8_fn(const mcb_add_params *params, const mcb_shape *shape1,
                                 const int8_t *input1, const mcb_shape *shape2, const int8_t *input2,
                                 const mcb_shape *out_shape, int8_t *output);
typedef mcb_status mcb_mul_s8_fn(const mcb_mul_params *params, const mcb_shape *shape1,
                                 const int8_t *input1, const mcb_shape *shape2, const int8_t *input2,
                                 const mcb_shape *out_shape, int8_t *output);
typedef mcb_status mcb_leaky_relu_s8_fn(const mcb_leaky_relu_params *params, const int8_t *input,
                                        int8_t *output, int32_t count);
typedef mcb_status mcb_avg_pool_2d_s8_fn(const mcb_pool_params *params, const mcb_view_s8 *input,
                                         mcb_view_s8 *output, const mcb_region *region);
typedef mcb_status mcb_mean_s8_fn(const mcb_mean_params *params, const mcb_shape *in_shape,
                                  const int8_t *input, int8_t *output);
typedef mcb_status mcb_pad_s8_fn(const mcb_pad_params *params, const mcb_shape *in_shape,
                                 const int8_t *input, int8_t *output);

/* One instruction set's twins; NULL where it has none. */
typedef struct mcb_twin_table {
  mcb_conv_2d_s8_fn *conv_2d_s8;
  mcb_depthwise_conv_2d_s8_fn *depthwise_conv_2d_s8;
  mcb_fully_connected_s8_fn *fully_connected_s8;
  mcb_add_s8_fn *add_s8;
  mcb_mul_s8_fn *mul_s8;
  mcb_leaky_relu_s8_fn *leaky_relu_s8;
  mcb_avg_pool_2d_s8_fn *avg_pool_2d_s8;
  mcb_mean_s8_fn *mean_s8;
  mcb_pad_s8_fn *pad_s8;
} mcb_twin_table;

#if defined(__x86_64__) || defined(__i386__)
/* AVX2 (kernels/x86/<op>_s8_avx2.c). Call only when mcb_kernel_isa_supported() says AVX2. */
mcb_conv_2d_s8_fn mcb_conv_2d_s8_avx2;
mcb_depthwise_conv_2d_s8_fn mcb_depthwise_conv_2d_s8_avx2;
mcb_fully_connected_s8_fn mcb_fully_connected_s8_avx2;
mcb_add_s8_fn mcb_add_s8_avx2;
mcb_mul_s8_fn mcb_mul_s8_avx2;
mcb_leaky_relu_s8_fn mcb_leaky_relu_s8_avx2;
#endif

#if defined(__ARM_FEATURE_DSP)
/* Cortex-M DSP extension (kernels/arm/<op>_s8_dsp.c): SMLAD, SXTB16, packed 32-bit loads. */
mcb_conv_2d_s8_fn mcb_conv_2d_s8_dsp;
mcb_depthwise_conv_2d_s8_fn mcb_depthwise_conv_2d_s8_dsp;
mcb_fully_connected_s8_fn mcb_fully_connected_s8_dsp;
mcb_add_s8_fn mcb_add_s8_dsp;
mcb_add_s8_fn mcb_add_s8_broadcast_dsp; /* inputs of different shapes; mcb_add_s8_dsp hands them over */
mcb_mul_s8_fn mcb_mul_s8_dsp;
mcb_leaky_relu_s8_fn mcb_leaky_relu_s8_dsp;
mcb_pad_s8_fn mcb_pad_s8_dsp;
mcb_avg_pool_2d_s8_fn mcb_avg_pool_2d_s8_dsp;
mcb_mean_s8_fn mcb_mean_s8_dsp;
#endif

#endif /* MCB_KERNELS_TWINS_H */
