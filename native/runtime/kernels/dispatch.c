/*
 * The public entry points of the ops with twins: one table of twins per instruction set (twins.h), the
 * active one chosen as dispatch.h describes, and the reference for every call the twin declines.
 */
#include "dispatch.h"

#include <stddef.h>

#include "kernels_ref.h"
#include "twins.h"

#if defined(__x86_64__) || defined(__i386__)

#include <cpuid.h>
#include <stdlib.h>
#include <string.h>

/* Weak: test programs that link only the portable kernels leave them NULL and get the reference. */
#pragma weak mcb_conv_2d_s8_avx2
#pragma weak mcb_depthwise_conv_2d_s8_avx2
#pragma weak mcb_fully_connected_s8_avx2
#pragma weak mcb_add_s8_avx2
#pragma weak mcb_mul_s8_avx2
#pragma weak mcb_leaky_relu_s8_avx2

static const mcb_twin_table avx2_twins = {
    mcb_conv_2d_s8_avx2, mcb_depthwise_conv_2d_s8_avx2, mcb_fully_connected_s8_avx2,
    mcb_add_s8_avx2,     mcb_mul_s8_avx2,               mcb_leaky_relu_s8_avx2,
    NULL /* avg_pool_2d_s8 */, NULL /* mean_s8 */, NULL /* pad_s8 */,
};

static mcb_kernel_isa g_supported = MCB_KERNEL_ISA_REF;
static mcb_kernel_isa g_active = MCB_KERNEL_ISA_REF;

/* AVX2 needs the CPU flag (CPUID.7.0:EBX bit 5) and the OS saving YMM state (OSXSAVE, XCR0 bits 1-2). */
static int cpu_has_avx2(void) {
  unsigned int eax, ebx, ecx, edx, xcr0_lo, xcr0_hi;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !(ecx & (1u << 27)) || !(ecx & (1u << 28))) {
    return 0; /* no OSXSAVE or no AVX */
  }
  __asm__ volatile("xgetbv" : "=a"(xcr0_lo), "=d"(xcr0_hi) : "c"(0));
  (void)xcr0_hi;
  if ((xcr0_lo & 0x6u) != 0x6u) {
    return 0;
  }
  if (__get_cpuid_max(0, NULL) < 7) {
    return 0;
  }
  __cpuid_count(7, 0, eax, ebx, ecx, edx);
  return (ebx & (1u << 5)) != 0;
}

__attribute__((constructor)) static void detect_isa(void) {
  const char *force = getenv("MCB_FORCE_REF");
  g_supported = cpu_has_avx2() ? MCB_KERNEL_ISA_AVX2 : MCB_KERNEL_ISA_REF;
  g_active = (force != NULL && force[0] != '\0' && strcmp(force, "0") != 0) ? MCB_KERNEL_ISA_REF : g_supported;
}

mcb_kernel_isa mcb_kernel_isa_supported(void) { return g_supported; }
mcb_kernel_isa mcb_kernel_isa_active(void) { return g_active; }

void mcb_kernel_isa_select(mcb_kernel_isa isa) {
  g_active = isa == MCB_KERNEL_ISA_AVX2 ? g_supported : MCB_KERNEL_ISA_REF;
}

static const mcb_twin_table *active_twins(void) {
  return g_active == MCB_KERNEL_ISA_AVX2 ? &avx2_twins : NULL;
}

#elif defined(__ARM_FEATURE_DSP) && !defined(MCB_FORCE_REF)

/* Compile-time choice: the compiler folds each `twins->op` into a direct call (or drops it when NULL), so
 * a firmware links only the twins of the ops it uses. */
static const mcb_twin_table dsp_twins = {
    mcb_conv_2d_s8_dsp,        mcb_depthwise_conv_2d_s8_dsp,    mcb_fully_connected_s8_dsp,
    mcb_add_s8_dsp,            mcb_mul_s8_dsp,                  mcb_leaky_relu_s8_dsp,
    mcb_avg_pool_2d_s8_dsp,    mcb_mean_s8_dsp,                 mcb_pad_s8_dsp,
};

mcb_kernel_isa mcb_kernel_isa_supported(void) { return MCB_KERNEL_ISA_ARM_DSP; }
mcb_kernel_isa mcb_kernel_isa_active(void) { return MCB_KERNEL_ISA_ARM_DSP; }
void mcb_kernel_isa_select(mcb_kernel_isa isa) { (void)isa; }

static const mcb_twin_table *active_twins(void) { return &dsp_twins; }

#else /* no twins for this target, or MCB_FORCE_REF: the references only */

mcb_kernel_isa mcb_kernel_isa_supported(void) { return MCB_KERNEL_ISA_REF; }
mcb_kernel_isa mcb_kernel_isa_active(void) { return MCB_KERNEL_ISA_REF; }
void mcb_kernel_isa_select(mcb_kernel_isa isa) { (void)isa; }

static const mcb_twin_table *active_twins(void) { return NULL; }

#endif

/* Runs the active twin of `op` when there is one and it takes the call (statement form, returns). */
#define MCB_TRY_TWIN(op, args)                                        \
  do {                                                                \
    const mcb_twin_table *twins_ = active_twins();                    \
    if (twins_ != NULL && twins_->op != NULL) {                       \
      const mcb_status st_ = twins_->op args;                         \
      if (st_ != MCB_ERR_UNSUPPORTED) {                               \
        return st_;                                                   \
      }                                                               \
    }                                                                 \
  } while (0)

mcb_status mcb_conv_2d_s8(const mcb_conv_params *params, const mcb_channel_quant *quant,
                          const mcb_view_s8 *input, const mcb_filter_s8 *filter,
                          const int32_t *bias, mcb_view_s8 *output, const mcb_region *region,
                          const mcb_context *ctx) {
  MCB_TRY_TWIN(conv_2d_s8, (params, quant, input, filter, bias, output, region, ctx));
  return mcb_conv_2d_s8_ref(params, quant, input, filter, bias, output, region, ctx);
}

mcb_status mcb_depthwise_conv_2d_s8(const mcb_depthwise_conv_params *params,
                                    const mcb_channel_quant *quant, const mcb_view_s8 *input,
                                    const mcb_depthwise_filter_s8 *filter, const int32_t *bias,
                                    mcb_view_s8 *output, const mcb_region *region,
                                    const mcb_context *ctx) {
  MCB_TRY_TWIN(depthwise_conv_2d_s8, (params, quant, input, filter, bias, output, region, ctx));
  return mcb_depthwise_conv_2d_s8_ref(params, quant, input, filter, bias, output, region, ctx);
}

mcb_status mcb_fully_connected_s8(const mcb_fully_connected_params *params,
                                  const mcb_channel_quant *quant, const int8_t *input,
                                  int32_t batches, int32_t accum_depth, const int8_t *filter,
                                  int32_t out_depth, const int32_t *bias, int8_t *output) {
  MCB_TRY_TWIN(fully_connected_s8,
               (params, quant, input, batches, accum_depth, filter, out_depth, bias, output));
  return mcb_fully_connected_s8_ref(params, quant, input, batches, accum_depth, filter, out_depth,
                                    bias, output);
}

mcb_status mcb_add_s8(const mcb_add_params *params, const mcb_shape *shape1, const int8_t *input1,
                      const mcb_shape *shape2, const int8_t *input2,
                      const mcb_shape *out_shape, int8_t *output) {
  MCB_TRY_TWIN(add_s8, (params, shape1, input1, shape2, input2, out_shape, output));
  return mcb_add_s8_ref(params, shape1, input1, shape2, input2, out_shape, output);
}

mcb_status mcb_mul_s8(const mcb_mul_params *params, const mcb_shape *shape1, const int8_t *input1,
                      const mcb_shape *shape2, const int8_t *input2,
                      const mcb_shape *out_shape, int8_t *output) {
  MCB_TRY_TWIN(mul_s8, (params, shape1, input1, shape2, input2, out_shape, output));
  return mcb_mul_s8_ref(params, shape1, input1, shape2, input2, out_shape, output);
}

mcb_status mcb_leaky_relu_s8(const mcb_leaky_relu_params *params, const int8_t *input,
                             int8_t *output, int32_t count) {
  MCB_TRY_TWIN(leaky_relu_s8, (params, input, output, count));
  return mcb_leaky_relu_s8_ref(params, input, output, count);
}

mcb_status mcb_avg_pool_2d_s8(const mcb_pool_params *params, const mcb_view_s8 *input,
                              mcb_view_s8 *output, const mcb_region *region) {
  MCB_TRY_TWIN(avg_pool_2d_s8, (params, input, output, region));
  return mcb_avg_pool_2d_s8_ref(params, input, output, region);
}

mcb_status mcb_mean_s8(const mcb_mean_params *params, const mcb_shape *in_shape,
                       const int8_t *input, int8_t *output) {
  MCB_TRY_TWIN(mean_s8, (params, in_shape, input, output));
  return mcb_mean_s8_ref(params, in_shape, input, output);
}

mcb_status mcb_pad_s8(const mcb_pad_params *params, const mcb_shape *in_shape, const int8_t *input,
                      int8_t *output) {
  MCB_TRY_TWIN(pad_s8, (params, in_shape, input, output));
  return mcb_pad_s8_ref(params, in_shape, input, output);
}
