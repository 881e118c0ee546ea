/* Test app: stops the SysTick interrupt, then echoes. With no tick to wake the WFI in mcb_port_getc, every
 * echoed byte proves the UART receive interrupt reaches the core (vector table entry + NVIC + peripheral enable). */
#include "cortex_m.h"
#include "port.h"

int main(void) {
    MCB_SYST_CSR &= ~(1u << 1); /* TICKINT off: SysTick keeps counting but no longer interrupts */
    mcb_port_write("irq-only\r\n", 10u);
    for (;;) {
        int byte = mcb_port_getc(MCB_PORT_WAIT_FOREVER);
        if (byte != MCB_PORT_NO_BYTE) {
            mcb_port_putc((uint8_t)byte);
        }
    }
}
