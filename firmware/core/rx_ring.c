#include "rx_ring.h"

/* Indices run freely and wrap modulo 2^32; head - tail is the fill level. Only the ISR writes head,
 * only the main loop writes tail, so no lock is needed on a single core. */
static uint8_t ring[MCB_RX_RING_SIZE];
static volatile uint32_t head;
static volatile uint32_t tail;

bool mcb_rx_ring_full(void) { return head - tail >= MCB_RX_RING_SIZE; }

bool mcb_rx_ring_push(uint8_t byte) {
    if (mcb_rx_ring_full()) {
        return false;
    }
    ring[head % MCB_RX_RING_SIZE] = byte;
    __asm volatile("" ::: "memory"); /* the byte lands before the index that publishes it */
    head = head + 1u;
    return true;
}

int mcb_rx_ring_pop(void) {
    if (head == tail) {
        return -1;
    }
    uint8_t byte = ring[tail % MCB_RX_RING_SIZE];
    __asm volatile("" ::: "memory");
    tail = tail + 1u;
    return byte;
}

size_t mcb_rx_ring_count(void) { return (size_t)(head - tail); }
