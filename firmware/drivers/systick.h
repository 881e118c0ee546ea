/* SysTick at 1 kHz from the processor clock: millisecond time everywhere and the cycle count on QEMU. */
#ifndef MCB_SYSTICK_H
#define MCB_SYSTICK_H

#include <stdint.h>

void mcb_systick_init(uint32_t cpu_hz);
uint32_t mcb_systick_millis(void);
/* Processor cycles: ms ticks * reload + elapsed part of the current tick (needs interrupts enabled). */
uint32_t mcb_systick_cycles(void);
void mcb_systick_handler(void);

#endif
