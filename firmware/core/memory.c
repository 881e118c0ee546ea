#include "memory.h"

#include "mcb_board.h"
#include "watermark.h"

/* Linker-script symbols: only their addresses mean something. */
extern uint8_t __mcb_stack_bottom[], __mcb_stack_top[];
extern uint8_t __mcb_data_start[], __mcb_data_end[], __mcb_bss_start[], __mcb_bss_end[];
extern const uint8_t __mcb_flash_end[];
extern const uint8_t mcb_model_image_start[], mcb_model_image_end[];

#if MCB_ARENA_SIZE % 16u != 0u || MCB_ARENA_SIZE == 0u
#error "MCB_ARENA_SIZE must be a non-zero multiple of 16"
#endif
static uint8_t arena[MCB_ARENA_SIZE] __attribute__((section(".arena"), aligned(16)));

uint8_t *mcb_arena(void) { return arena; }
size_t mcb_arena_size(void) { return sizeof arena; }

const uint8_t *mcb_model_image(void) { return mcb_model_image_start; }
size_t mcb_model_image_size(void) { return (size_t)(mcb_model_image_end - mcb_model_image_start); }

void mcb_memory_paint(void) {
    uint8_t *sp;
    __asm volatile("mov %0, sp" : "=r"(sp));
    /* Everything below the live stack pointer is free; leave a small gap for this function's own calls. */
    uint8_t *limit = (uint8_t *)((uintptr_t)(sp - 64) & ~(uintptr_t)3u);
    if (limit > __mcb_stack_bottom) {
        mcb_watermark_paint(__mcb_stack_bottom, (size_t)(limit - __mcb_stack_bottom));
    }
    mcb_watermark_paint(arena, sizeof arena);
}

void mcb_memory_stats_get(mcb_memory_stats *stats) {
    size_t stack_size = (size_t)(__mcb_stack_top - __mcb_stack_bottom);
    stats->flash_used = (uint32_t)((uintptr_t)__mcb_flash_end - MCB_FLASH_ORIGIN);
    stats->static_ram = (uint32_t)((__mcb_data_end - __mcb_data_start) + (__mcb_bss_end - __mcb_bss_start));
    stats->stack_size = (uint32_t)stack_size;
    stats->stack_used = (uint32_t)mcb_watermark_used_from_top(__mcb_stack_bottom, stack_size);
    stats->arena_size = (uint32_t)sizeof arena;
    stats->arena_used = (uint32_t)mcb_watermark_used_from_bottom(arena, sizeof arena);
    stats->model_size = (uint32_t)mcb_model_image_size();
}
