#include "systick.h"

#include "cortex_m.h"

#define CSR_ENABLE (1u << 0)
#define CSR_TICKINT (1u << 1)
#define CSR_CLKSOURCE_CPU (1u << 2)

static volatile uint32_t millis;
static uint32_t cycles_per_tick;

void mcb_systick_init(uint32_t cpu_hz) {
    cycles_per_tick = cpu_hz / 1000u; /* <= 2^24 for any clock up to 16.7 GHz */
    MCB_SYST_RVR = cycles_per_tick - 1u;
    MCB_SYST_CVR = 0u;
    MCB_SYST_CSR = CSR_ENABLE | CSR_TICKINT | CSR_CLKSOURCE_CPU;
}

uint32_t mcb_systick_millis(void) { return millis; }

uint32_t mcb_systick_cycles(void) {
    uint32_t ms, down, primask = mcb_irq_save();
    /* Masked, the tick handler cannot run between the two reads; a wrap it has not yet counted shows as a pending
     * SysTick, and then the counter is read again, after the wrap. Without this a read landing between a wrap and
     * its handler came out one millisecond early, and an interval measured across it one millisecond off. */
    ms = millis;
    down = MCB_SYST_CVR;
    if (MCB_SCB_ICSR & MCB_SCB_ICSR_PENDSTSET) {
        down = MCB_SYST_CVR;
        ms += 1u;
    }
    mcb_irq_restore(primask);
    return ms * cycles_per_tick + (cycles_per_tick - 1u - down);
}

void mcb_systick_handler(void) { millis = millis + 1u; }
