/* Host implementation of the runtime's port hooks (mcb/port.h) for the Node addon and host test tools. */
/* clock_gettime under -std=c99. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <time.h>
#include "mcb/port.h"

void mcb_port_log(const char *message) { fprintf(stderr, "mcb: %s\n", message); }

/* Nanoseconds from the monotonic clock, truncated to 32 bits: per-op differences stay right for < 4 s. */
uint32_t mcb_port_cycles(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint32_t)((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
}
