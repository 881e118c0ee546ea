/* STM32 USART, both register layouts (RM0090 for F4 "v1": SR/DR/BRR/CR1; RM0385 for F7 "v2": CR1/BRR/ISR/ICR/RDR/TDR).
 * The chip's usartLayout selects MCB_USART_LAYOUT_V2. QEMU's netduinoplus2 models the v1 layout. */
#include "uart.h"

#include "cortex_m.h"
#include "mcb_board.h"
#include "rx_ring.h"

#if MCB_USART_LAYOUT_V2
#define USART_CR1 MCB_REG32(MCB_UART_BASE + 0x00u)
#define USART_BRR MCB_REG32(MCB_UART_BASE + 0x0Cu)
#define USART_STATUS MCB_REG32(MCB_UART_BASE + 0x1Cu) /* ISR */
#define USART_ICR MCB_REG32(MCB_UART_BASE + 0x20u)
#define USART_RX_DATA MCB_REG32(MCB_UART_BASE + 0x24u) /* RDR */
#define USART_TX_DATA MCB_REG32(MCB_UART_BASE + 0x28u) /* TDR */
#define CR1_UE (1u << 0)
#else
#define USART_STATUS MCB_REG32(MCB_UART_BASE + 0x00u) /* SR */
#define USART_RX_DATA MCB_REG32(MCB_UART_BASE + 0x04u) /* DR */
#define USART_TX_DATA MCB_REG32(MCB_UART_BASE + 0x04u) /* DR */
#define USART_BRR MCB_REG32(MCB_UART_BASE + 0x08u)
#define USART_CR1 MCB_REG32(MCB_UART_BASE + 0x0Cu)
#define CR1_UE (1u << 13)
#endif

/* Same bit positions in both layouts. */
#define CR1_RE (1u << 2)
#define CR1_TE (1u << 3)
#define CR1_RXNEIE (1u << 5)
#define STATUS_ORE (1u << 3)
#define STATUS_RXNE (1u << 5)
#define STATUS_TC (1u << 6)
#define STATUS_TXE (1u << 7)

static uint32_t current_baud = MCB_UART_BAUD;

/* Oversampling by 16: BRR = f_ck / baud in both layouts (mantissa/fraction packing is the same number). */
static uint32_t divisor_for(uint32_t baud) { return (MCB_UART_CLOCK_HZ + baud / 2u) / baud; }

void mcb_uart_init(void) {
    USART_CR1 = 0u;
    USART_BRR = divisor_for(MCB_UART_BAUD);
    USART_CR1 = CR1_UE | CR1_TE | CR1_RE | CR1_RXNEIE;
    mcb_nvic_enable(MCB_UART_IRQ);
}

long mcb_uart_set_baud(uint32_t baud, int check_only) {
    uint32_t divisor = divisor_for(baud);
    long previous = (long)current_baud;
    if (divisor < 16u || mcb_uart_error_permille(MCB_UART_CLOCK_HZ, divisor, baud) > MCB_UART_MAX_ERROR_PERMILLE) {
        return 0;
    }
    if (check_only) {
        return previous;
    }
    while (!(USART_STATUS & STATUS_TC)) { /* the ACK's last bit leaves at the old rate */
    }
    USART_CR1 &= ~CR1_UE; /* BRR may only change while the USART is disabled */
    USART_BRR = divisor;
    USART_CR1 |= CR1_UE;
    current_baud = baud;
    return previous;
}

void mcb_uart_write(const uint8_t *data, size_t len) {
    for (size_t i = 0; i < len; i++) {
        while (!(USART_STATUS & STATUS_TXE)) {
        }
        USART_TX_DATA = data[i];
    }
}

void mcb_uart_poll_rx(void) {
    for (;;) {
        uint32_t status = USART_STATUS;
#if MCB_USART_LAYOUT_V2
        if (status & STATUS_ORE) {
            USART_ICR = STATUS_ORE; /* v2 stops flagging RXNE until overrun is cleared */
        }
#endif
        if (!(status & STATUS_RXNE) || mcb_rx_ring_full()) {
            break;
        }
        /* Reading the data register clears RXNE (and, on v1, ORE after the status read above). */
        (void)mcb_rx_ring_push((uint8_t)USART_RX_DATA);
    }
    /* RXNE is a level interrupt: with the ring full, mask it until the reader makes room. */
    if (mcb_rx_ring_full()) {
        USART_CR1 &= ~CR1_RXNEIE;
    } else {
        USART_CR1 |= CR1_RXNEIE;
    }
}

void mcb_uart_irq_handler(void) { mcb_uart_poll_rx(); }
