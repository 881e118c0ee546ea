#include "watermark.h"

void mcb_watermark_paint(void *start, size_t len) {
    volatile uint32_t *word = (volatile uint32_t *)start;
    for (size_t i = 0; i < len / 4u; i++) {
        word[i] = MCB_WATERMARK_PATTERN;
    }
}

size_t mcb_watermark_used_from_top(const void *start, size_t len) {
    const volatile uint32_t *word = (const volatile uint32_t *)start;
    size_t words = len / 4u;
    size_t untouched = 0;
    while (untouched < words && word[untouched] == MCB_WATERMARK_PATTERN) {
        untouched++;
    }
    return (words - untouched) * 4u;
}

size_t mcb_watermark_used_from_bottom(const void *start, size_t len) {
    const volatile uint32_t *word = (const volatile uint32_t *)start;
    size_t words = len / 4u;
    while (words > 0u && word[words - 1u] == MCB_WATERMARK_PATTERN) {
        words--;
    }
    return words * 4u;
}
