/* Minimal text formatting for status lines, so the firmware needs no printf. */
#ifndef MCB_FMT_H
#define MCB_FMT_H

#include <stddef.h>
#include <stdint.h>

/* Writes the decimal digits of value to out (at least 10 bytes), no terminator; returns the digit count. */
size_t mcb_fmt_u32(char *out, uint32_t value);

#endif
