/* Test app: uses a known amount of stack and arena, times a fixed loop, prints the figures, then echoes.
 * MEASURE_DEPTH frames of MEASURE_FRAME bytes each must show up in the stack high-water mark. */
#include <stdint.h>
#include <string.h>

#include "fmt.h"
#include "memory.h"
#include "port.h"

#define MEASURE_DEPTH 12u
#define MEASURE_FRAME 256u
#define ARENA_TOUCHED 1000u

static void put_field(const char *key, uint32_t value) {
    char digits[10];
    mcb_port_write(" ", 1u);
    mcb_port_write(key, strlen(key));
    mcb_port_write("=", 1u);
    mcb_port_write(digits, mcb_fmt_u32(digits, value));
}

/* Each level keeps a MEASURE_FRAME-byte array live across the recursive call, so the frames really stack up. */
static uint32_t burn(uint32_t depth) {
    volatile uint8_t frame[MEASURE_FRAME];
    for (uint32_t i = 0; i < MEASURE_FRAME; i++) {
        frame[i] = (uint8_t)(i + depth);
    }
    uint32_t below = depth > 1u ? burn(depth - 1u) : 0u;
    return below + frame[depth % MEASURE_FRAME];
}

static uint32_t fixed_work(void) {
    volatile uint32_t acc = 0;
    for (uint32_t i = 0; i < 100000u; i++) {
        acc = acc * 1664525u + 1013904223u;
    }
    return acc;
}

int main(void) {
    uint32_t sink = burn(MEASURE_DEPTH);
    memset(mcb_arena(), 0x11, ARENA_TOUCHED);
    uint32_t start = mcb_port_cycles();
    sink += fixed_work();
    uint32_t cycles = mcb_port_cycles() - start;

    mcb_memory_stats stats;
    mcb_memory_stats_get(&stats);
    mcb_port_write("measure", 7u);
    put_field("depth", MEASURE_DEPTH);
    put_field("frame", MEASURE_FRAME);
    put_field("stack_used", stats.stack_used);
    put_field("stack_size", stats.stack_size);
    put_field("arena_used", stats.arena_used);
    put_field("cycles", cycles);
    put_field("sink", sink & 1u);
    mcb_port_write("\r\n", 2u);
    for (;;) {
        int byte = mcb_port_getc(MCB_PORT_WAIT_FOREVER);
        if (byte != MCB_PORT_NO_BYTE) {
            mcb_port_putc((uint8_t)byte);
        }
    }
}
