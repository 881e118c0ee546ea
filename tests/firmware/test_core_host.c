/* Host-side tests of the board-independent firmware helpers (watermark, receive ring, number formatting).
 * Built and run by tests/firmware/core-host.test.ts with the host C compiler. Prints "ok <n>" when all pass. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fmt.h"
#include "rx_ring.h"
#include "watermark.h"

static int failures;
static int checks;

#define CHECK(cond)                                                        \
    do {                                                                   \
        checks++;                                                          \
        if (!(cond)) {                                                     \
            failures++;                                                    \
            printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);         \
        }                                                                  \
    } while (0)

static void test_watermark(void) {
    static uint32_t region[256]; /* 1024 bytes */
    mcb_watermark_paint(region, sizeof region);
    CHECK(region[0] == MCB_WATERMARK_PATTERN && region[255] == MCB_WATERMARK_PATTERN);
    CHECK(mcb_watermark_used_from_top(region, sizeof region) == 0u);
    CHECK(mcb_watermark_used_from_bottom(region, sizeof region) == 0u);

    region[200] = 0; /* a stack that reached word 200 from the top: 56 words used */
    CHECK(mcb_watermark_used_from_top(region, sizeof region) == (256u - 200u) * 4u);
    region[10] = 1; /* an arena touched up to word 10 from the bottom: 11 words used */
    CHECK(mcb_watermark_used_from_bottom(region, sizeof region) == 201u * 4u); /* word 200 counts too */
    region[200] = MCB_WATERMARK_PATTERN;
    CHECK(mcb_watermark_used_from_bottom(region, sizeof region) == 11u * 4u);
    CHECK(mcb_watermark_used_from_top(region, sizeof region) == (256u - 10u) * 4u);
}

static void test_rx_ring(void) {
    CHECK(mcb_rx_ring_pop() == -1);
    CHECK(mcb_rx_ring_count() == 0u);
    for (uint32_t i = 0; i < MCB_RX_RING_SIZE; i++) {
        CHECK(mcb_rx_ring_push((uint8_t)i));
    }
    CHECK(mcb_rx_ring_full());
    CHECK(!mcb_rx_ring_push(0xEE)); /* full: refused, nothing overwritten */
    CHECK(mcb_rx_ring_count() == MCB_RX_RING_SIZE);
    for (uint32_t i = 0; i < MCB_RX_RING_SIZE; i++) {
        CHECK(mcb_rx_ring_pop() == (int)(uint8_t)i);
    }
    CHECK(mcb_rx_ring_pop() == -1);
    /* Wrap-around: indices keep running past the buffer end. */
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 700; i++) {
            CHECK(mcb_rx_ring_push((uint8_t)(i * 7)));
        }
        for (int i = 0; i < 700; i++) {
            CHECK(mcb_rx_ring_pop() == (uint8_t)(i * 7));
        }
    }
}

static void test_fmt(void) {
    char out[10];
    CHECK(mcb_fmt_u32(out, 0u) == 1u && memcmp(out, "0", 1) == 0);
    CHECK(mcb_fmt_u32(out, 327680u) == 6u && memcmp(out, "327680", 6) == 0);
    CHECK(mcb_fmt_u32(out, 4294967295u) == 10u && memcmp(out, "4294967295", 10) == 0);
}

int main(void) {
    test_watermark();
    test_rx_ring();
    test_fmt();
    if (failures != 0) {
        printf("%d of %d checks failed\n", failures, checks);
        return 1;
    }
    printf("ok %d\n", checks);
    return 0;
}
