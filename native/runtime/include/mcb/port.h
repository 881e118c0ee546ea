/*
 * mcb/port.h — the few hooks the runtime needs from its platform. native/addon/port.c implements them for
 * the host addon, firmware/core/port.c for the boards; the runtime never calls the C library for these.
 */
#ifndef MCB_PORT_H
#define MCB_PORT_H

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

#endif /* MCB_PORT_H */
