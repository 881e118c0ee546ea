/*
 * Checks the C link endpoint (firmware/core/protocol.c, link.c) against the shared vectors in
 * tests/fixtures/protocol/vectors.json. The jest test tests/firmware/protocol-c.test.ts flattens the JSON into
 * the line format below, builds this file with -fsanitize=address,undefined and runs it:
 *   crc <hex|-> <crc32 hex>
 *   encode <type> <seq> <payload hex|-> <frame hex>
 *   stream <hex|-> <frame count>, followed by that many "frame <type> <seq> <payload hex|->" lines
 *   board <fw> <board id> <clock> <hash hex> <arena> <schedule> <split> <patches> <time unit> <rx buf>
 *         <reset cause> <input cap> <output cap> <max baud>
 *   reset <hex>            (expected RESET notice from mcb_link_init)
 *   send <hex> / expect <hex> ... / endstep
 *   runs <n> / dups <n>
 *   fuzz <seed> <count>   (random requests into a fresh link with the board line's buffers)
 * Prints one line per failure and exits 1 if any check failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_inference.h"
#include "link.h"
#include "protocol.h"

static int failures;
static int checks;

#define CHECK(cond, ...)                                                                   \
    do {                                                                                   \
        checks++;                                                                          \
        if (!(cond)) {                                                                     \
            failures++;                                                                    \
            printf("FAIL line %d: ", line_no);                                             \
            printf(__VA_ARGS__);                                                           \
            printf("\n");                                                                  \
        }                                                                                  \
    } while (0)

static int line_no;

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
    size_t n = 0;
    if (strcmp(s, "-") == 0) return 0;
    while (s[0] && s[1] && n < cap) {
        unsigned v;
        if (sscanf(s, "%2x", &v) != 1) break;
        out[n++] = (uint8_t)v;
        s += 2;
    }
    return n;
}

/* ---- fake inference, the rule documented in vectors.json "fakeRun" ---- */
static int fake_run(void *ctx, const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, size_t *out_len,
                    mcb_link_stats *st)
{
    (void)ctx;
    return mcb_test_fake_inference(in, in_len, out, out_cap, out_len, st);
}

static uint8_t captured[8192];
static size_t captured_len;

static int capture_write(void *ctx, const uint8_t *buf, size_t len)
{
    (void)ctx;
    if (captured_len + len > sizeof captured) return -1;
    memcpy(captured + captured_len, buf, len);
    captured_len += len;
    return 0;
}

/* The test UART (vectors.json "baud"): makes every rate from 1200 to max_baud, switches at once. */
static unsigned long max_baud;
static uint32_t test_baud = 115200;
static long test_set_baud(void *ctx, uint32_t baud, int check_only)
{
    long previous = (long)test_baud;
    (void)ctx;
    if (baud < 1200u || baud > max_baud) return 0;
    if (!check_only) test_baud = baud;
    return previous;
}

static int no_read(void *ctx, uint8_t *buf, size_t max, uint32_t timeout_ms)
{
    (void)ctx; (void)buf; (void)max; (void)timeout_ms;
    return -1;
}

/* ---- state shared across lines ---- */
static char line[65536];
static uint8_t bytes_a[16384], bytes_b[16384];
static mcb_frame_decoder decoder;
static mcb_link link_whole, link_bytewise;
static mcb_link_board_info info;
static char fw_name[64], board_name[64];
static uint8_t input_whole[1024], output_whole[1024], input_bytewise[1024], output_bytewise[1024];
static uint8_t expect_buf[8192];
static size_t expect_len;
static uint8_t got_whole[8192];
static size_t got_whole_len;

/* Decodes a stream fed in pieces of `piece` bytes; stores up to 8 frames (type, seq, payload copy). */
typedef struct { uint8_t type; uint16_t seq; uint16_t len; uint8_t payload[MCB_PROTO_MAX_PAYLOAD]; } frame_copy;
static frame_copy decoded[8];

static int decode_stream(const uint8_t *data, size_t n, size_t piece)
{
    size_t pos = 0;
    int count = 0;
    mcb_frame_decoder_init(&decoder);
    for (;;) {
        size_t end = pos + piece < n ? pos + piece : n;
        int got = 1;
        while (got) {
            mcb_frame f;
            pos += mcb_frame_decoder_push(&decoder, data + pos, end - pos, &f, &got);
            if (got && count < 8) {
                decoded[count].type = f.type;
                decoded[count].seq = f.seq;
                decoded[count].len = f.len;
                memcpy(decoded[count].payload, f.payload, f.len);
                count++;
            }
        }
        if (pos >= n) return count;
    }
}

static void start_links(size_t input_cap, size_t output_cap)
{
    mcb_link_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.io.read = no_read;
    cfg.io.write = capture_write;
    cfg.io.set_baud = test_set_baud;
    cfg.info = &info;
    cfg.run = fake_run;
    cfg.input_cap = input_cap;
    cfg.output_cap = output_cap;
    cfg.input = input_whole;
    cfg.output = output_whole;
    captured_len = 0;
    mcb_link_init(&link_whole, &cfg);
    memcpy(got_whole, captured, captured_len);
    got_whole_len = captured_len;
    cfg.input = input_bytewise;
    cfg.output = output_bytewise;
    captured_len = 0;
    mcb_link_init(&link_bytewise, &cfg);
}


/* ---- fuzz: random valid-CRC requests with biased hostile fields, and raw noise, into a fresh link ---- */
static uint32_t rng_state;
static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

static uint32_t pick_u32(const mcb_link *l)
{
    switch (rng() % 6) {
    case 0: return 0;
    case 1: return l->input_received;
    case 2: return l->input_total;
    case 3: return 0xFFFFFFFFu - (rng() % 16);
    case 4: return rng() % 128;
    default: return rng();
    }
}

static void fuzz(unsigned long seed, unsigned long count, size_t input_cap, size_t output_cap)
{
    static const uint8_t types[] = {1, 2, 3, 4, 5, 6, 7, 8, 0x42, 0x83};
    static uint8_t frame_buf[MCB_FRAME_MAX], payload[MCB_PROTO_MAX_PAYLOAD];
    mcb_frame_decoder answers;
    unsigned long i;
    uint32_t answered = 0;
    rng_state = (uint32_t)seed | 1u;
    start_links(input_cap, output_cap);
    mcb_frame_decoder_init(&answers);
    for (i = 0; i < count; i++) {
        const mcb_link *l = &link_whole;
        uint8_t type = types[rng() % sizeof types];
        size_t len = 0, n, k, pos;
        captured_len = 0;
        if (rng() % 8 == 0) { /* noise, sometimes starting with a sync pair */
            n = rng() % 64;
            for (k = 0; k < n; k++) frame_buf[k] = (uint8_t)rng();
            if (n > 2 && rng() % 2) { frame_buf[0] = MCB_PROTO_SYNC0; frame_buf[1] = MCB_PROTO_SYNC1; }
        } else {
            if (type == MCB_FRAME_HELLO) {
                mcb_wr16(payload, (uint16_t)(rng() % 4 ? MCB_PROTO_PROTOCOL_VERSION : rng()));
                mcb_wr32(payload + 2, rng());
                len = 6;
            } else {
                mcb_wr32(payload, rng() % 2 ? l->sample : rng() % 3);
                mcb_wr32(payload + 4, pick_u32(l));
                len = 8;
                if (type == MCB_FRAME_INPUT_BEGIN) mcb_wr32(payload + 4, rng() % (uint32_t)(input_cap / 4 + 8));
                if (type == MCB_FRAME_INPUT_CHUNK) len += rng() % 40;
                if (type == MCB_FRAME_OUTPUT_READ) { mcb_wr16(payload + 8, (uint16_t)rng()); len = 10; }
                if (type == MCB_FRAME_RUN) len = 4;
                if (type == MCB_FRAME_INPUT_END && rng() % 2) mcb_wr32(payload + 4, mcb_crc32(0, input_whole, l->input_total));
            }
            if (rng() % 10 == 0) len = rng() % 48; /* wrong length for the type */
            for (k = 10; k < len; k++) payload[k] = (uint8_t)rng();
            n = mcb_frame_encode(frame_buf, sizeof frame_buf, type, (uint16_t)(rng() % 8), payload, len);
        }
        mcb_link_feed(&link_whole, frame_buf, n);
        CHECK(l->input_received <= l->input_total && l->input_total <= input_cap,
              "fuzz step %lu: input %lu/%lu bytes, capacity %zu", i, (unsigned long)l->input_received,
              (unsigned long)l->input_total, input_cap);
        CHECK(!l->has_output || l->output_len <= output_cap, "fuzz step %lu: output length %lu", i, (unsigned long)l->output_len);
        /* Everything the board said must decode as whole frames. */
        pos = 0;
        for (;;) {
            mcb_frame f;
            int got = 0;
            pos += mcb_frame_decoder_push(&answers, captured + pos, captured_len - pos, &f, &got);
            if (!got) break;
            answered++;
            CHECK(f.type >= 0x81 && f.type <= 0x87, "fuzz step %lu: board sent type 0x%02x", i, f.type);
        }
        CHECK(answers.dropped == 0 && answers.fill == 0, "fuzz step %lu: board sent a partial or damaged frame", i);
    }
    CHECK(answered >= link_whole.requests, "fuzz: %lu answers for %lu requests", (unsigned long)answered,
          (unsigned long)link_whole.requests);
    CHECK(link_whole.runs > 0 && link_whole.requests > count / 2, "fuzz reached only %lu runs, %lu requests",
          (unsigned long)link_whole.runs, (unsigned long)link_whole.requests);
}

/* SET_BAUD's probation: an unconfirmed switch reverts after MCB_PROTO_BAUD_PROBATION_MS of silence; a valid frame
 * at the new rate confirms it. */
static void send_request(mcb_link *l, uint8_t type, uint16_t seq, const uint8_t *payload, size_t len)
{
    uint8_t frame[64];
    size_t n = mcb_frame_encode(frame, sizeof frame, type, seq, payload, len);
    mcb_link_feed(l, frame, n);
}

static void check_baud_probation(void)
{
    static mcb_link l;
    mcb_link_config cfg;
    uint8_t hello[6], baud[4], nonce[4] = {1, 2, 3, 4};
    memset(&cfg, 0, sizeof cfg);
    cfg.io.read = no_read;
    cfg.io.write = capture_write;
    cfg.io.set_baud = test_set_baud;
    cfg.info = &info;
    cfg.run = fake_run;
    cfg.input = input_whole;
    cfg.input_cap = sizeof input_whole;
    cfg.output = output_whole;
    cfg.output_cap = sizeof output_whole;
    test_baud = 115200;
    captured_len = 0;
    mcb_link_init(&l, &cfg);
    mcb_wr16(hello, MCB_PROTO_PROTOCOL_VERSION);
    mcb_wr32(hello + 2, 1);
    send_request(&l, MCB_FRAME_HELLO, 1, hello, sizeof hello);
    mcb_wr32(baud, 921600);
    send_request(&l, MCB_FRAME_SET_BAUD, 2, baud, sizeof baud);
    CHECK(test_baud == 921600 && l.baud_probation_ms == MCB_PROTO_BAUD_PROBATION_MS, "SET_BAUD did not switch (now %lu)", (unsigned long)test_baud);
    CHECK(mcb_link_idle(&l, MCB_PROTO_BAUD_PROBATION_MS - 1) == 0 && test_baud == 921600, "reverted before the probation ended");
    CHECK(mcb_link_idle(&l, 1) == 0 && test_baud == 115200 && l.baud_reverts == 1, "silent switch not reverted (now %lu)", (unsigned long)test_baud);
    send_request(&l, MCB_FRAME_SET_BAUD, 3, baud, sizeof baud);
    send_request(&l, MCB_FRAME_PING, 4, nonce, sizeof nonce);
    CHECK(mcb_link_idle(&l, 10 * MCB_PROTO_BAUD_PROBATION_MS) == 0 && test_baud == 921600 && l.baud_reverts == 1,
          "a switch confirmed by a valid frame was reverted (now %lu)", (unsigned long)test_baud);
}

int main(int argc, char **argv)
{
    FILE *in = argc > 1 ? fopen(argv[1], "r") : NULL;
    size_t input_cap = 0, output_cap = 0;
    if (in == NULL) {
        fprintf(stderr, "usage: protocol_test <flattened vectors file>\n");
        return 2;
    }
    while (fgets(line, sizeof line, in)) {
        char kind[16], a[32768], b[32768], c[16384];
        unsigned long u1 = 0, u2 = 0;
        line_no++;
        if (sscanf(line, "%15s", kind) != 1) continue;
        if (strcmp(kind, "probation") == 0) {
            check_baud_probation();
            continue;
        }
        if (strcmp(kind, "crc") == 0 && sscanf(line, "crc %32767s %lx", a, &u1) == 2) {
            size_t n = unhex(a, bytes_a, sizeof bytes_a);
            uint32_t whole = mcb_crc32(0, bytes_a, n);
            uint32_t split = mcb_crc32(mcb_crc32(0, bytes_a, n / 3), bytes_a + n / 3, n - n / 3);
            CHECK(whole == u1, "crc32 = %08lx, expected %08lx", (unsigned long)whole, u1);
            CHECK(split == u1, "chained crc32 = %08lx, expected %08lx", (unsigned long)split, u1);
        } else if (strcmp(kind, "encode") == 0 && sscanf(line, "encode %lu %lu %32767s %32767s", &u1, &u2, a, b) == 4) {
            size_t plen = unhex(a, bytes_a, sizeof bytes_a);
            size_t flen = unhex(b, bytes_b, sizeof bytes_b);
            static uint8_t out[MCB_FRAME_MAX];
            size_t n = mcb_frame_encode(out, sizeof out, (uint8_t)u1, (uint16_t)u2, bytes_a, plen);
            CHECK(n == flen && memcmp(out, bytes_b, n) == 0, "encoding of type %lu seq %lu differs", u1, u2);
            CHECK(mcb_frame_encode(out, flen - 1, (uint8_t)u1, (uint16_t)u2, bytes_a, plen) == 0,
                  "encode must refuse a buffer one byte short");
        } else if (strcmp(kind, "stream") == 0 && sscanf(line, "stream %32767s %lu", a, &u1) == 2) {
            size_t n = unhex(a, bytes_a, sizeof bytes_a), pieces[] = {1, 7, 64, 100000}, p, k;
            frame_copy expected[8];
            for (k = 0; k < u1 && k < 8; k++) {
                unsigned long t, s;
                if (!fgets(line, sizeof line, in) || sscanf(line, "frame %lu %lu %16383s", &t, &s, c) != 3) {
                    CHECK(0, "malformed frame line");
                    break;
                }
                line_no++;
                expected[k].type = (uint8_t)t;
                expected[k].seq = (uint16_t)s;
                expected[k].len = (uint16_t)unhex(c, expected[k].payload, sizeof expected[k].payload);
            }
            for (p = 0; p < sizeof pieces / sizeof pieces[0]; p++) {
                int count = decode_stream(bytes_a, n, pieces[p]);
                CHECK((unsigned long)count == u1, "stream fed in %zu-byte pieces gave %d frames, expected %lu", pieces[p], count, u1);
                for (k = 0; k < u1 && (int)k < count; k++)
                    CHECK(decoded[k].type == expected[k].type && decoded[k].seq == expected[k].seq &&
                              decoded[k].len == expected[k].len &&
                              memcmp(decoded[k].payload, expected[k].payload, decoded[k].len) == 0,
                          "frame %zu of the stream differs (pieces of %zu)", k, pieces[p]);
            }
        } else if (strcmp(kind, "board") == 0) {
            unsigned long clock, arena, sched, split, patches, tu, rxb, cause;
            char hash[64];
            if (sscanf(line, "board %63s %63s %lu %63s %lu %lu %lu %lu %lu %lu %lu %zu %zu %lu", fw_name, board_name, &clock, hash,
                       &arena, &sched, &split, &patches, &tu, &rxb, &cause, &input_cap, &output_cap, &max_baud) != 14) {
                CHECK(0, "malformed board line");
                continue;
            }
            info.firmware_version = fw_name;
            info.board_id = board_name;
            info.core_clock_hz = (uint32_t)clock;
            unhex(hash, info.model_hash, sizeof info.model_hash);
            info.arena_size = (uint32_t)arena;
            info.schedule = (uint8_t)sched;
            info.split = (uint16_t)split;
            info.patches = (uint16_t)patches;
            info.time_unit = (uint8_t)tu;
            info.rx_buffer_size = (uint16_t)rxb;
            info.reset_cause = (uint32_t)cause;
            if (input_cap > sizeof input_whole || output_cap > sizeof output_whole) {
                CHECK(0, "board buffers larger than the test's");
                continue;
            }
        } else if (strcmp(kind, "reset") == 0 && sscanf(line, "reset %32767s", a) == 1) {
            size_t n = unhex(a, bytes_a, sizeof bytes_a);
            start_links(input_cap, output_cap);
            CHECK(got_whole_len == n && memcmp(got_whole, bytes_a, n) == 0, "RESET notice differs");
            CHECK(captured_len == n && memcmp(captured, bytes_a, n) == 0, "RESET notice differs (second link)");
        } else if (strcmp(kind, "send") == 0 && sscanf(line, "send %32767s", a) == 1) {
            size_t n = unhex(a, bytes_a, sizeof bytes_a), i;
            expect_len = 0;
            captured_len = 0;
            CHECK(mcb_link_feed(&link_whole, bytes_a, n) == 0, "feed failed");
            got_whole_len = captured_len;
            memcpy(got_whole, captured, captured_len);
            captured_len = 0;
            for (i = 0; i < n; i++) mcb_link_feed(&link_bytewise, bytes_a + i, 1);
        } else if (strcmp(kind, "expect") == 0 && sscanf(line, "expect %32767s", a) == 1) {
            expect_len += unhex(a, expect_buf + expect_len, sizeof expect_buf - expect_len);
        } else if (strcmp(kind, "endstep") == 0) {
            CHECK(got_whole_len == expect_len && memcmp(got_whole, expect_buf, expect_len) == 0,
                  "answer differs (%zu bytes, expected %zu)", got_whole_len, expect_len);
            CHECK(captured_len == expect_len && memcmp(captured, expect_buf, expect_len) == 0,
                  "answer differs when fed byte by byte (%zu bytes, expected %zu)", captured_len, expect_len);
        } else if (strcmp(kind, "fuzz") == 0 && sscanf(line, "fuzz %lu %lu", &u1, &u2) == 2) {
            fuzz(u1, u2, input_cap, output_cap);
        } else if (strcmp(kind, "runs") == 0 && sscanf(line, "runs %lu", &u1) == 1) {
            CHECK(link_whole.runs == u1 && link_bytewise.runs == u1, "runs %lu/%lu, expected %lu",
                  (unsigned long)link_whole.runs, (unsigned long)link_bytewise.runs, u1);
        } else if (strcmp(kind, "dups") == 0 && sscanf(line, "dups %lu", &u1) == 1) {
            CHECK(link_whole.duplicates == u1, "duplicates %lu, expected %lu", (unsigned long)link_whole.duplicates, u1);
        } else {
            CHECK(0, "unrecognised line: %.40s", line);
        }
    }
    fclose(in);
    printf("%d checks, %d failures\n", checks, failures);
    return failures ? 1 : 0;
}
