/* Where the linker put things (symbols from the generated mcb_board.ld) and how much of it is in use. */
#ifndef MCB_MEMORY_H
#define MCB_MEMORY_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t flash_used;   /* vector table + code + rodata + model + .data initialisers */
    uint32_t static_ram;   /* .data + .bss */
    uint32_t stack_size;
    uint32_t stack_used;   /* high-water mark since boot */
    uint32_t arena_size;
    uint32_t arena_used;   /* high-water mark since boot (the arena is painted at boot) */
    uint32_t model_size;   /* bytes of the embedded model image */
} mcb_memory_stats;

/* The tensor arena: MCB_ARENA_SIZE bytes in SRAM, 16-byte aligned, painted at boot. */
uint8_t *mcb_arena(void);
size_t mcb_arena_size(void);

/* The embedded model image (.model flash section); size 0 when the build had none. */
const uint8_t *mcb_model_image(void);
size_t mcb_model_image_size(void);

/* Paints the stack below the live frame and the whole arena. Called once by startup. */
void mcb_memory_paint(void);

void mcb_memory_stats_get(mcb_memory_stats *stats);

#endif
