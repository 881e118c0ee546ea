#include "dwt.h"

#include "cortex_m.h"

#define DEMCR_TRCENA (1u << 24)
#define DWT_CTRL_CYCCNTENA (1u << 0)
#define DWT_LAR_KEY 0xC5ACCE55u

void mcb_dwt_init(void) {
    MCB_SCB_DEMCR |= DEMCR_TRCENA;
    MCB_DWT_LAR = DWT_LAR_KEY; /* Cortex-M7 ignores DWT writes until unlocked; harmless on M4 */
    MCB_DWT_CYCCNT = 0u;
    MCB_DWT_CTRL |= DWT_CTRL_CYCCNTENA;
}

uint32_t mcb_dwt_cycles(void) { return MCB_DWT_CYCCNT; }
