/* DWT cycle counter (real boards only: QEMU 7.2 reads it as 0). */
#ifndef MCB_DWT_H
#define MCB_DWT_H

#include <stdint.h>

void mcb_dwt_init(void);
uint32_t mcb_dwt_cycles(void);

#endif
