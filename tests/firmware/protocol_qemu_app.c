/*
 * Firmware application for the QEMU link test (tests/harness/link/qemu-link.test.ts): the link endpoint over the
 * real firmware port (UART driver, RX ring, SysTick), with the fake inference of tests/fixtures/protocol/vectors.json.
 * Built with -DMCB_APP_SOURCES=<this file> in place of firmware/app/main.c.
 */
#include <stddef.h>
#include <stdint.h>

#include "link.h"
#include "link_port.h"
#include "mcb_board.h"
#include "port.h"
#include "rx_ring.h"

/* Buffer sizes; the link benchmark (bench/link.ts) builds it for a whole mcunet-in3 input. */
#ifndef MCB_TEST_INPUT_CAP
#define MCB_TEST_INPUT_CAP 8192
#endif
#ifndef MCB_TEST_OUTPUT_CAP
#define MCB_TEST_OUTPUT_CAP 8192
#endif
static uint8_t input_buf[MCB_TEST_INPUT_CAP];
static uint8_t output_buf[MCB_TEST_OUTPUT_CAP];
static mcb_link link_state;

static int fake_run(void *ctx, const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, size_t *out_len,
                    mcb_link_stats *st)
{
    size_t i, n = in_len / 2 + 4;
    uint32_t start = mcb_port_cycles();
    (void)ctx;
    if (n > out_cap) return 99;
    for (i = 0; i < n; i++) out[i] = (uint8_t)(in_len ? (7u * in[i % in_len] + i) : i);
    *out_len = n;
    st->latency_total = (uint64_t)(uint32_t)(mcb_port_cycles() - start);
    st->stack_high_water = 0;
    st->arena_high_water = (uint32_t)in_len;
    st->op_count = 1;
    st->op_latency[0] = (uint32_t)st->latency_total;
    return 0;
}

int main(void)
{
    static const mcb_link_board_info info = {
        "qemu-link-test", MCB_BOARD_ID, MCB_CPU_CLOCK_HZ, {0, 0, 0, 0, 0, 0, 0, 0}, 0, MCB_SCHEDULE_LAYER, 0, 0,
        MCB_TIME_CYCLES, (uint16_t)MCB_RX_RING_SIZE, 0,
    };
    mcb_link_config cfg;
    cfg.io = mcb_link_port_io();
    cfg.info = &info;
    cfg.input = input_buf;
    cfg.input_cap = sizeof input_buf;
    cfg.output = output_buf;
    cfg.output_cap = sizeof output_buf;
    cfg.run = fake_run;
    cfg.run_ctx = NULL;
    cfg.input_streamed = 0;
    mcb_link_init(&link_state, &cfg);
    for (;;) mcb_link_poll(&link_state, 100);
}
