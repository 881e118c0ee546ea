/*
 * mcb/port.h — the hooks the runtime needs from its platform. Host: native/addon/port.c implements both.
 * Boards: mcb_port_cycles is firmware/core/port.c's (DWT cycles, or the SysTick-derived count on QEMU), and
 * the application defines mcb_port_log (firmware/app/bench_main.c drops the lines: the serial link carries
 * only protocol frames).
 */
#ifndef MCB_RUNTIME_PORT_H
#define MCB_RUNTIME_PORT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Writes one diagnostic line (no trailing newline needed). May be a no-op. */
void mcb_port_log(const char *message);

/* A free-running cycle (or tick) counter for per-operator timing; wraps at 2^32. */
uint32_t mcb_port_cycles(void);

#ifdef __cplusplus
}
#endif

#endif /* MCB_RUNTIME_PORT_H */
