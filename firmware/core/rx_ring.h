/* Single-producer (UART interrupt) / single-consumer (main loop) byte ring for received bytes. */
#ifndef MCB_RX_RING_H
#define MCB_RX_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MCB_RX_RING_SIZE 1024u /* power of two */

bool mcb_rx_ring_full(void);
/* Returns false (byte not stored) when full; the driver then leaves the byte in the peripheral. */
bool mcb_rx_ring_push(uint8_t byte);
/* Returns the byte, or -1 when empty. */
int mcb_rx_ring_pop(void);
size_t mcb_rx_ring_count(void);

#endif
