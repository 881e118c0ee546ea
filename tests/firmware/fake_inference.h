/* The fake inference of tests/fixtures/protocol/vectors.json ("fakeRun"), shared by the C link tests. */
#ifndef MCB_TEST_FAKE_INFERENCE_H
#define MCB_TEST_FAKE_INFERENCE_H

#include <stddef.h>
#include <stdint.h>

#include "link.h"

static int mcb_test_fake_inference(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, size_t *out_len,
                                   mcb_link_stats *st)
{
    size_t i, n = in_len / 2 + 4;
    if (n > out_cap) return 99;
    for (i = 0; i < n; i++) out[i] = (uint8_t)(in_len ? (7u * in[i % in_len] + i) : i);
    *out_len = n;
    st->latency_total = 0x100000000ull + in_len;
    st->stack_high_water = 512;
    st->arena_high_water = (uint32_t)in_len;
    st->op_count = 3;
    st->op_latency[0] = (uint32_t)in_len;
    st->op_latency[1] = (uint32_t)(2 * in_len);
    st->op_latency[2] = (uint32_t)(3 * in_len);
    return 0;
}

#endif /* MCB_TEST_FAKE_INFERENCE_H */
