/* The firmware's port: the only functions the protocol endpoint and the C runtime need from the board.
 * Same interface on real and emulated boards; implemented in core/port.c over the drivers. */
#ifndef MCB_FIRMWARE_PORT_H
#define MCB_FIRMWARE_PORT_H

#include <stddef.h>
#include <stdint.h>

#define MCB_PORT_NO_BYTE (-1)
#define MCB_PORT_WAIT_FOREVER UINT32_MAX

/* Clocks, caches, pins, the 1 kHz tick, the cycle counter and the console UART. Called once by startup. */
void mcb_port_init(void);

/* Blocking write to the console UART. */
void mcb_port_write(const void *data, size_t len);
void mcb_port_putc(uint8_t byte);

/* Returns the console UART's current rate, or 0 when its clock cannot make baud within the receiver's tolerance (see
 * mcb_uart_set_baud); unless check_only, first switches to baud once everything written has left the wire. */
long mcb_port_set_baud(uint32_t baud, int check_only);

/* Next received byte (0..255), or MCB_PORT_NO_BYTE after timeout_ms. Sleeps (WFI) while waiting.
 * timeout 0 polls; MCB_PORT_WAIT_FOREVER never times out. */
int mcb_port_getc(uint32_t timeout_ms);

/* Received bytes waiting to be read (the receive ring; never blocks). */
size_t mcb_port_rx_ready(void);

/* Milliseconds since mcb_port_init (SysTick, wraps after 49 days).
 * Under QEMU -icount this is virtual time: deterministic while computing, not wall time while idle. */
uint32_t mcb_port_millis(void);

/* CPU cycle counter: DWT CYCCNT on real boards, SysTick-derived on QEMU (which lacks DWT).
 * 32 bits: take differences (wraps after 2^32 cycles, ~19.9 s at 216 MHz). */
uint32_t mcb_port_cycles(void);

/* Frequency mcb_port_cycles counts at. */
uint32_t mcb_port_cycles_hz(void);

#endif
