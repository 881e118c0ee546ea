/* Cortex-M4/M7 system registers used by the firmware (ARMv7-M Architecture Reference Manual, B3). */
#ifndef MCB_CORTEX_M_H
#define MCB_CORTEX_M_H

#include <stdint.h>

#define MCB_REG32(addr) (*(volatile uint32_t *)(uintptr_t)(addr))

#define MCB_SCB_VTOR MCB_REG32(0xE000ED08u)
#define MCB_SCB_CCR MCB_REG32(0xE000ED14u)
#define MCB_SCB_CCSIDR MCB_REG32(0xE000ED80u)
#define MCB_SCB_CSSELR MCB_REG32(0xE000ED84u)
#define MCB_SCB_CPACR MCB_REG32(0xE000ED88u)
#define MCB_SCB_ICSR MCB_REG32(0xE000ED04u)
#define MCB_SCB_ICSR_PENDSTSET (1u << 26)
#define MCB_SCB_DEMCR MCB_REG32(0xE000EDFCu)
#define MCB_SCB_ICIALLU MCB_REG32(0xE000EF50u)
#define MCB_SCB_DCISW MCB_REG32(0xE000EF60u)

#define MCB_SYST_CSR MCB_REG32(0xE000E010u)
#define MCB_SYST_RVR MCB_REG32(0xE000E014u)
#define MCB_SYST_CVR MCB_REG32(0xE000E018u)

#define MCB_NVIC_ISER(n) MCB_REG32(0xE000E100u + 4u * (n))

#define MCB_DWT_CTRL MCB_REG32(0xE0001000u)
#define MCB_DWT_CYCCNT MCB_REG32(0xE0001004u)
#define MCB_DWT_LAR MCB_REG32(0xE0001FB0u)

static inline void mcb_dsb(void) { __asm volatile("dsb 0xF" ::: "memory"); }
static inline void mcb_isb(void) { __asm volatile("isb 0xF" ::: "memory"); }
static inline void mcb_irq_disable(void) { __asm volatile("cpsid i" ::: "memory"); }
static inline void mcb_irq_enable(void) { __asm volatile("cpsie i" ::: "memory"); }
/* PRIMASK before masking, so a caller that already runs masked stays masked. */
static inline uint32_t mcb_irq_save(void) {
    uint32_t primask;
    __asm volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask) :: "memory");
    return primask;
}
static inline void mcb_irq_restore(uint32_t primask) { __asm volatile("msr primask, %0" :: "r"(primask) : "memory"); }
static inline void mcb_wfi(void) { __asm volatile("wfi" ::: "memory"); }

static inline void mcb_nvic_enable(unsigned irq) { MCB_NVIC_ISER(irq / 32u) = 1u << (irq % 32u); }

#endif
