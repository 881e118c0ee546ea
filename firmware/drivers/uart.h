/* Console UART driver interface: one implementation per peripheral family (uart_cmsdk.c, usart_stm32.c),
 * chosen by the board's uart.driver. TX is polled; RX is interrupt-driven into core/rx_ring. */
#ifndef MCB_UART_H
#define MCB_UART_H

#include <stddef.h>
#include <stdint.h>

/* Baud rate from MCB_UART_CLOCK_HZ / MCB_UART_BAUD, RX interrupt on. Pins and bus clock are the board's job. */
void mcb_uart_init(void);
void mcb_uart_write(const uint8_t *data, size_t len);
/* Moves any byte waiting in the peripheral into the receive ring (safe to call with interrupts masked).
 * The read path calls it too, so a lost interrupt costs latency, never a byte. */
void mcb_uart_poll_rx(void);
/* Vector-table entry for MCB_UART_IRQ. */
void mcb_uart_irq_handler(void);

#endif
