/*
 * Which kernels run: the public mcb_<op>_<dtype> entry points of the ops with twins (dispatch.c) call the
 * active instruction set's twin when it has one and takes the call, else the portable reference
 * `mcb_<op>_<dtype>_ref` (kernels_ref.h). Both give identical bytes and statuses.
 *
 * x86: chosen at run time (cpuid + xgetbv), once, when the library loads; the environment variable
 * MCB_FORCE_REF=1 pins the references (e.g. for benchmarks that compare both paths).
 * Cortex-M: chosen at compile time: the DSP twins when the compiler targets the DSP extension
 * (__ARM_FEATURE_DSP: Cortex-M4, M7, M33), unless the build defines MCB_FORCE_REF.
 */
#ifndef MCB_KERNELS_DISPATCH_H
#define MCB_KERNELS_DISPATCH_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mcb_kernel_isa {
  MCB_KERNEL_ISA_REF = 0,    /* portable C99 reference kernels only */
  MCB_KERNEL_ISA_AVX2 = 1,   /* x86 AVX2 twins where available */
  MCB_KERNEL_ISA_ARM_DSP = 2 /* Cortex-M DSP-extension twins where available */
} mcb_kernel_isa;

/* The instruction set the dispatching entry points use now. */
mcb_kernel_isa mcb_kernel_isa_active(void);

/* The best instruction set this CPU (and OS) support, ignoring MCB_FORCE_REF on x86. */
mcb_kernel_isa mcb_kernel_isa_supported(void);

/* x86: pins dispatch to `isa` (clamped to what the CPU supports); for tests and benchmarks. Not
 * thread-safe against kernels running at the same time: set it before starting work. Elsewhere a no-op. */
void mcb_kernel_isa_select(mcb_kernel_isa isa);

#ifdef __cplusplus
}
#endif

#endif /* MCB_KERNELS_DISPATCH_H */
