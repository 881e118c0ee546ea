/* Test app: executes an undefined instruction. UsageFault is disabled at reset, so it escalates to HardFault,
 * whose handler faults again: the core locks up and QEMU exits (status 134), which the harness must report. */
#include "port.h"

int main(void) {
    mcb_port_write("about to fault\r\n", 16u);
    __asm volatile("udf #1");
    return 0;
}
