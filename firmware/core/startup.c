/* Reset and vector table: FPU on, stack and arena painted, .data copied, .bss zeroed, port up, then main(). */
#include <stdint.h>
#include <string.h>

#include "cortex_m.h"
#include "mcb_board.h"
#include "memory.h"
#include "port.h"
#include "systick.h"
#include "uart.h"

int main(void);
void mcb_reset_handler(void);
void mcb_startup(void);

extern uint8_t __mcb_stack_top[];
extern uint8_t __mcb_data_start[], __mcb_data_end[], __mcb_bss_start[], __mcb_bss_end[];
extern const uint8_t __mcb_data_load[];

/* Any fault or unexpected interrupt ends in a lockup: a board halts where a debugger can look, and QEMU exits
 * with status 134 ("Lockup: can't escalate") so the harness sees it instead of a silent hang. */
static void mcb_fault_handler(void) {
    for (;;) {
        __asm volatile("udf #0");
    }
}

typedef union {
    void (*handler)(void);
    void *initial_sp;
} mcb_vector;

#define MCB_VECTOR_COUNT (16 + MCB_IRQ_COUNT)

/* GNU range designators fill every slot before the specific ones override them. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
__attribute__((section(".isr_vector"), used)) const mcb_vector mcb_vectors[MCB_VECTOR_COUNT] = {
    [0] = {.initial_sp = __mcb_stack_top},
    [1] = {.handler = mcb_reset_handler},
    [2 ... MCB_VECTOR_COUNT - 1] = {.handler = mcb_fault_handler},
    [7 ... 10] = {.handler = 0},
    [13] = {.handler = 0},
    [15] = {.handler = mcb_systick_handler},
    [16 + MCB_UART_IRQ] = {.handler = mcb_uart_irq_handler},
};
#pragma GCC diagnostic pop

/* Naked so nothing touches an FP register before CPACR grants access (-mfloat-abi=hard code may). */
__attribute__((naked, noreturn)) void mcb_reset_handler(void) {
    __asm volatile(
#if defined(__ARM_FP)
        "ldr r0, =0xE000ED88\n" /* CPACR: CP10 and CP11 full access */
        "ldr r1, [r0]\n"
        "orr r1, r1, #(0xF << 20)\n"
        "str r1, [r0]\n"
        "dsb\n"
        "isb\n"
#endif
        "b mcb_startup\n");
}

__attribute__((noreturn)) void mcb_startup(void) {
    mcb_memory_paint();
    memcpy(__mcb_data_start, __mcb_data_load, (size_t)(__mcb_data_end - __mcb_data_start));
    memset(__mcb_bss_start, 0, (size_t)(__mcb_bss_end - __mcb_bss_start));
    MCB_SCB_VTOR = (uint32_t)(uintptr_t)mcb_vectors;
    mcb_dsb();
    mcb_isb();
    mcb_port_init();
    (void)main();
    for (;;) {
        mcb_wfi();
    }
}
