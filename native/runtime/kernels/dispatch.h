/*
 * Run-time kernel selection for the host: the public mcb_<op>_<dtype> entry points of the ops that
 * have optimized twins call the twin when the CPU supports it (cpuid + xgetbv) and the twin takes
 * the call, else the portable reference `mcb_<op>_<dtype>_ref`. Both produce identical bytes and
 * statuses (tests/native/kernels-twins.test.ts). Firmware (non-x86) builds always use the reference.
 *
 * A twin returns MCB_ERR_UNSUPPORTED, before writing anything, for every call it does not take: a
 * shape it has no fast path for, and every invalid call (the reference then reports the real error).
 *
 * Environment: MCB_FORCE_REF=1 (read once, when the library loads) pins every op to the reference,
 * e.g. for benchmarks that compare both paths.
 */
#ifndef MCB_KERNELS_DISPATCH_H
#define MCB_KERNELS_DISPATCH_H

#include "mcb/kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mcb_kernel_isa {
  MCB_KERNEL_ISA_REF = 0, /* portable C99 reference kernels only */
  MCB_KERNEL_ISA_AVX2 = 1 /* x86 AVX2 twins where available */
} mcb_kernel_isa;

/* The instruction set the dispatching entry points use now. */
mcb_kernel_isa mcb_kernel_isa_active(void);

/* The best instruction set this CPU and OS support (ignores MCB_FORCE_REF). */
mcb_kernel_isa mcb_kernel_isa_supported(void);

/* Pins dispatch to `isa` (clamped to what the CPU supports); for tests and benchmarks. Not
 * thread-safe against kernels running at the same time: set it before starting work. */
void mcb_kernel_isa_select(mcb_kernel_isa isa);

/* The portable references (kernels/<op>_s8_ref.c), same contract as the public entry points. */
mcb_status mcb_conv_2d_s8_ref(const mcb_conv_params *params, const mcb_channel_quant *quant,
                              const mcb_view_s8 *input, const mcb_filter_s8 *filter,
                              const int32_t *bias, mcb_view_s8 *output, const mcb_region *region,
                              const mcb_context *ctx);
mcb_status mcb_depthwise_conv_2d_s8_ref(const mcb_depthwise_conv_params *params,
                                        const mcb_channel_quant *quant, const mcb_view_s8 *input,
                                        const mcb_depthwise_filter_s8 *filter, const int32_t *bias,
                                        mcb_view_s8 *output, const mcb_region *region,
                                        const mcb_context *ctx);
mcb_status mcb_fully_connected_s8_ref(const mcb_fully_connected_params *params,
                                      const mcb_channel_quant *quant, const int8_t *input,
                                      int32_t batches, int32_t accum_depth, const int8_t *filter,
                                      int32_t out_depth, const int32_t *bias, int8_t *output);
mcb_status mcb_mul_s8_ref(const mcb_mul_params *params, const mcb_shape *shape1, const int8_t *input1,
                          const mcb_shape *shape2, const int8_t *input2,
                          const mcb_shape *out_shape, int8_t *output);
mcb_status mcb_leaky_relu_s8_ref(const mcb_leaky_relu_params *params, const int8_t *input,
                                 int8_t *output, int32_t count);
mcb_status mcb_add_s8_ref(const mcb_add_params *params, const mcb_shape *shape1, const int8_t *input1,
                          const mcb_shape *shape2, const int8_t *input2,
                          const mcb_shape *out_shape, int8_t *output);

#if defined(__x86_64__) || defined(__i386__)
/* AVX2 twins (kernels/x86/<op>_s8_avx2.c). Call only when mcb_kernel_isa_supported() says AVX2. */
mcb_status mcb_conv_2d_s8_avx2(const mcb_conv_params *params, const mcb_channel_quant *quant,
                               const mcb_view_s8 *input, const mcb_filter_s8 *filter,
                               const int32_t *bias, mcb_view_s8 *output, const mcb_region *region,
                               const mcb_context *ctx);
mcb_status mcb_depthwise_conv_2d_s8_avx2(const mcb_depthwise_conv_params *params,
                                         const mcb_channel_quant *quant, const mcb_view_s8 *input,
                                         const mcb_depthwise_filter_s8 *filter, const int32_t *bias,
                                         mcb_view_s8 *output, const mcb_region *region,
                                         const mcb_context *ctx);
mcb_status mcb_fully_connected_s8_avx2(const mcb_fully_connected_params *params,
                                       const mcb_channel_quant *quant, const int8_t *input,
                                       int32_t batches, int32_t accum_depth, const int8_t *filter,
                                       int32_t out_depth, const int32_t *bias, int8_t *output);
mcb_status mcb_mul_s8_avx2(const mcb_mul_params *params, const mcb_shape *shape1, const int8_t *input1,
                           const mcb_shape *shape2, const int8_t *input2,
                           const mcb_shape *out_shape, int8_t *output);
mcb_status mcb_leaky_relu_s8_avx2(const mcb_leaky_relu_params *params, const int8_t *input,
                                  int8_t *output, int32_t count);
mcb_status mcb_add_s8_avx2(const mcb_add_params *params, const mcb_shape *shape1, const int8_t *input1,
                           const mcb_shape *shape2, const int8_t *input2,
                           const mcb_shape *out_shape, int8_t *output);
#endif

#ifdef __cplusplus
}
#endif

#endif /* MCB_KERNELS_DISPATCH_H */
