/* core/port.h over the drivers the board JSON selected (see firmware/CMakeLists.txt). */
#include "port.h"

#include "board_hooks.h"
#include "cortex_m.h"
#include "mcb_board.h"
#include "rx_ring.h"
#include "systick.h"
#include "uart.h"
#if MCB_TIMER_DWT
#include "dwt.h"
#endif

__attribute__((weak)) void mcb_board_init(void) {}

void mcb_port_init(void) {
    mcb_board_init();
    mcb_systick_init(MCB_CPU_CLOCK_HZ);
#if MCB_TIMER_DWT
    mcb_dwt_init();
#endif
    mcb_uart_init();
    mcb_irq_enable();
}

void mcb_port_write(const void *data, size_t len) { mcb_uart_write((const uint8_t *)data, len); }

void mcb_port_putc(uint8_t byte) { mcb_uart_write(&byte, 1u); }

long mcb_port_set_baud(uint32_t baud, int check_only) { return mcb_uart_set_baud(baud, check_only); }

static int take_byte(void) {
    mcb_irq_disable();
    mcb_uart_poll_rx(); /* also un-stalls a peripheral that was held back by a full ring */
    int byte = mcb_rx_ring_pop();
    mcb_irq_enable();
    return byte;
}

int mcb_port_getc(uint32_t timeout_ms) {
    uint32_t start = mcb_systick_millis();
    for (;;) {
        int byte = take_byte();
        if (byte >= 0) {
            return byte;
        }
        if (timeout_ms != MCB_PORT_WAIT_FOREVER && mcb_systick_millis() - start >= timeout_ms) {
            return MCB_PORT_NO_BYTE;
        }
        /* Sleep until the UART or the 1 kHz tick interrupts; masking first closes the check-then-sleep race
         * (WFI still wakes on a pending interrupt with PRIMASK set). */
        mcb_irq_disable();
        if (mcb_rx_ring_count() == 0u) {
            mcb_wfi();
        }
        mcb_irq_enable();
    }
}

size_t mcb_port_rx_ready(void) { return mcb_rx_ring_count(); }

uint32_t mcb_port_millis(void) { return mcb_systick_millis(); }

uint32_t mcb_port_cycles(void) {
#if MCB_TIMER_DWT
    return mcb_dwt_cycles();
#else
    return mcb_systick_cycles();
#endif
}

uint32_t mcb_port_cycles_hz(void) { return MCB_CPU_CLOCK_HZ; }
