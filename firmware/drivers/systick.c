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
    uint32_t ms;
    uint32_t down;
    /* Re-read if a tick landed between the two reads, so ms and the counter belong together. */
    do {
        ms = millis;
        down = MCB_SYST_CVR;
    } while (ms != millis);
    return ms * cycles_per_tick + (cycles_per_tick - 1u - down);
}

void mcb_systick_handler(void) { millis = millis + 1u; }
