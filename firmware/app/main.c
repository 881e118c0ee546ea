/* Placeholder application: one hello line with the board and memory figures, then an echo loop.
 * The serial protocol endpoint replaces the loop; everything board-specific stays behind core/port.h. */
#include <stddef.h>
#include <string.h>

#include "fmt.h"
#include "mcb_board.h"
#include "memory.h"
#include "port.h"

static void put_text(const char *text) { mcb_port_write(text, strlen(text)); }

static void put_field(const char *key, uint32_t value) {
    char digits[10];
    put_text(" ");
    put_text(key);
    put_text("=");
    mcb_port_write(digits, mcb_fmt_u32(digits, value));
}

int main(void) {
    mcb_memory_stats stats;
    mcb_memory_stats_get(&stats);
    put_text("mcubench hello board=" MCB_BOARD_ID " chip=" MCB_CHIP_ID);
    put_field("clock_hz", MCB_CPU_CLOCK_HZ);
    put_field("flash_used", stats.flash_used);
    put_field("static_ram", stats.static_ram);
    put_field("stack_size", stats.stack_size);
    put_field("stack_used", stats.stack_used);
    put_field("arena_size", stats.arena_size);
    put_field("arena_used", stats.arena_used);
    put_field("model_size", stats.model_size);
    put_text("\r\n");
    for (;;) {
        int byte = mcb_port_getc(MCB_PORT_WAIT_FOREVER);
        if (byte != MCB_PORT_NO_BYTE) {
            mcb_port_putc((uint8_t)byte);
        }
    }
}
