/* ARM CMSDK APB UART (MPS2 boards in QEMU): DATA, STATE, CTRL, INTSTATUS/INTCLEAR, BAUDDIV.
 * Reference: ARM CoreLink SDK (DDI 0479), APB UART. */
#include "uart.h"

#include "cortex_m.h"
#include "mcb_board.h"
#include "rx_ring.h"

#define UART_DATA MCB_REG32(MCB_UART_BASE + 0x00u)
#define UART_STATE MCB_REG32(MCB_UART_BASE + 0x04u)
#define UART_CTRL MCB_REG32(MCB_UART_BASE + 0x08u)
#define UART_INTSTATUS MCB_REG32(MCB_UART_BASE + 0x0Cu)
#define UART_BAUDDIV MCB_REG32(MCB_UART_BASE + 0x10u)

#define STATE_TX_FULL (1u << 0)
#define STATE_RX_FULL (1u << 1)
#define CTRL_TX_EN (1u << 0)
#define CTRL_RX_EN (1u << 1)
#define CTRL_RX_INT_EN (1u << 3)
#define INT_RX (1u << 1)

static uint32_t current_baud = MCB_UART_BAUD;

void mcb_uart_init(void) {
    /* BAUDDIV must be >= 16 or the UART stays idle (QEMU checks it too). */
    uint32_t div = (MCB_UART_CLOCK_HZ + MCB_UART_BAUD / 2u) / MCB_UART_BAUD;
    UART_BAUDDIV = div < 16u ? 16u : div;
    UART_CTRL = CTRL_TX_EN | CTRL_RX_EN | CTRL_RX_INT_EN;
    mcb_nvic_enable(MCB_UART_IRQ);
}

void mcb_uart_write(const uint8_t *data, size_t len) {
    for (size_t i = 0; i < len; i++) {
        while (UART_STATE & STATE_TX_FULL) {
        }
        UART_DATA = data[i];
    }
}

long mcb_uart_set_baud(uint32_t baud, int check_only) {
    /* QEMU's pty backend ignores BAUDDIV (bytes move as fast as the emulator runs); the divisor is still checked and
     * set so the driver behaves as on the CMSDK hardware it models. */
    uint32_t div = (MCB_UART_CLOCK_HZ + baud / 2u) / baud;
    long previous = (long)current_baud;
    if (div < 16u || mcb_uart_error_permille(MCB_UART_CLOCK_HZ, div, baud) > MCB_UART_MAX_ERROR_PERMILLE) {
        return 0;
    }
    if (check_only) {
        return previous;
    }
    while (UART_STATE & STATE_TX_FULL) {
    }
    UART_BAUDDIV = div;
    current_baud = baud;
    return previous;
}

void mcb_uart_poll_rx(void) {
    /* A full ring leaves the byte in DATA: the peripheral then back-pressures the sender. */
    while ((UART_STATE & STATE_RX_FULL) && !mcb_rx_ring_full()) {
        (void)mcb_rx_ring_push((uint8_t)UART_DATA);
    }
}

void mcb_uart_irq_handler(void) {
    /* Clear first, then drain: a byte arriving in between re-raises the interrupt instead of being missed. */
    UART_INTSTATUS = INT_RX;
    mcb_uart_poll_rx();
}
