/* Console UART driver interface: one implementation per peripheral family (uart_cmsdk.c, usart_stm32.c),
 * chosen by the board's uart.driver. TX is polled; RX is interrupt-driven into core/rx_ring. */
#ifndef MCB_UART_H
#define MCB_UART_H

#include <stddef.h>
#include <stdint.h>

/* Baud rate from MCB_UART_CLOCK_HZ / MCB_UART_BAUD, RX interrupt on. Pins and bus clock are the board's job. */
void mcb_uart_init(void);
void mcb_uart_write(const uint8_t *data, size_t len);
/* Returns the current rate, or 0 (nothing changed) when the divisor error at MCB_UART_CLOCK_HZ would exceed
 * MCB_UART_MAX_ERROR_PERMILLE (a receiver samples mid-bit: both ends' errors together must stay well below 1/20 of
 * a bit per bit over ten bits). Unless check_only, first waits until the last written byte has left the shift
 * register and reprograms the divisor. */
long mcb_uart_set_baud(uint32_t baud, int check_only);

#define MCB_UART_MAX_ERROR_PERMILLE 20u

/* |clock / divisor - baud| / baud in thousandths, rounded up: the rate error a divisor gives. */
static inline uint32_t mcb_uart_error_permille(uint32_t clock_hz, uint32_t divisor, uint32_t baud)
{
    uint64_t made = (uint64_t)divisor * baud; /* compare clock with divisor * baud: no division error */
    uint64_t diff = made > clock_hz ? made - clock_hz : (uint64_t)clock_hz - made;
    return (uint32_t)((diff * 1000u + made - 1u) / made);
}
/* Moves any byte waiting in the peripheral into the receive ring (safe to call with interrupts masked).
 * The read path calls it too, so a lost interrupt costs latency, never a byte. */
void mcb_uart_poll_rx(void);
/* Vector-table entry for MCB_UART_IRQ. */
void mcb_uart_irq_handler(void);

#endif
