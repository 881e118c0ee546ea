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
 *   probation              (SET_BAUD's revert after silence)
 *   streamed               (streamed input: INPUT_REQUEST / INPUT_REGION against a scripted host, hostile answers)
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
    static const uint8_t types[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 0x42, 0x83};
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

/* ---- streamed input: the board's INPUT_REQUESTs against a scripted host (docs/protocol.md §5.9) ---- */

/* What the scripted host does with each INPUT_REQUEST it sees, in order; after the script: answer correctly. */
enum host_act { ANSWER, DROP, LONG, SHORT, WRONG_OFFSET, WRONG_SAMPLE, CORRUPT, REFUSE, SEND_HELLO, GARBAGE_THEN_ANSWER };
static enum host_act host_script[16];
static size_t host_script_len, host_seen;
static uint8_t host_queue[8192];
static size_t host_queue_len, host_captured_from;
static uint32_t fake_ms;
static const uint32_t IMG_H = 4, IMG_W = 5, IMG_PX = 3;
static uint8_t image[4 * 5 * 3];
static mcb_link streamed_link;

static void host_send(uint8_t type, uint16_t seq, const uint8_t *payload, size_t len)
{
    host_queue_len += mcb_frame_encode(host_queue + host_queue_len, sizeof host_queue - host_queue_len, type, seq, payload, len);
}

/* The host's answer to one request, cropped from `image` as the TS host does, bent by the script. */
static void host_answer(const mcb_frame *f)
{
    static uint8_t p[MCB_PROTO_MAX_PAYLOAD + 16];
    enum host_act act = host_seen < host_script_len ? host_script[host_seen] : ANSWER;
    uint32_t sample = mcb_rd32(f->payload), y0 = mcb_rd16(f->payload + 10), x0 = mcb_rd16(f->payload + 12);
    uint32_t cols = mcb_rd16(f->payload + 16), offset = mcb_rd32(f->payload + 18), max = mcb_rd16(f->payload + 22);
    uint32_t row_bytes = cols * IMG_PX, n = 0, k;
    uint32_t total = mcb_rd16(f->payload + 14) * row_bytes;
    host_seen++;
    CHECK(f->len == 24 && mcb_rd16(f->payload + 4) == IMG_H && mcb_rd16(f->payload + 6) == IMG_W && mcb_rd16(f->payload + 8) == IMG_PX,
          "INPUT_REQUEST payload (%u bytes) does not describe the 4x5x3 image", f->len);
    for (k = offset; k < total && n < max; k++, n++) {
        uint32_t row = k / row_bytes, within = k % row_bytes;
        p[10 + n] = image[((y0 + row) * IMG_W + x0) * IMG_PX + within];
    }
    mcb_wr32(p, act == WRONG_SAMPLE ? sample + 1 : sample);
    mcb_wr32(p + 4, act == WRONG_OFFSET ? offset + 1 : offset);
    mcb_wr16(p + 8, act == REFUSE ? MCB_LINK_E_BAD_ARGUMENT : 0);
    if (act == LONG) p[10 + n++] = 0xEE;
    if (act == SHORT && n > 0) n--;
    if (act == REFUSE) n = 0;
    if (act == DROP) return;
    if (act == SEND_HELLO) {
        uint8_t hello[6];
        mcb_wr16(hello, MCB_PROTO_PROTOCOL_VERSION);
        mcb_wr32(hello + 2, 7);
        host_send(MCB_FRAME_HELLO, 900, hello, sizeof hello);
        return;
    }
    if (act == GARBAGE_THEN_ANSWER) {
        host_queue[host_queue_len++] = MCB_PROTO_SYNC0;
        host_queue[host_queue_len++] = 0x13;
        host_send(MCB_FRAME_PONG, f->seq, p, 4); /* a valid frame that is not the answer */
    }
    host_send(MCB_FRAME_INPUT_REGION, f->seq, p, 10 + n);
    if (act == CORRUPT) host_queue[host_queue_len - 5] ^= 0x40;
}

/* io.read of the board: the host reacts to what the board wrote since the last read; silence costs the timeout. */
static int scripted_read(void *ctx, uint8_t *buf, size_t max, uint32_t timeout_ms)
{
    static mcb_frame_decoder from_board;
    size_t n;
    (void)ctx;
    if (host_captured_from == 0) mcb_frame_decoder_init(&from_board);
    while (host_captured_from < captured_len) {
        mcb_frame f;
        int got = 0;
        host_captured_from += mcb_frame_decoder_push(&from_board, captured + host_captured_from, captured_len - host_captured_from, &f, &got);
        if (got && f.type == MCB_FRAME_INPUT_REQUEST) host_answer(&f);
        while (got) {
            host_captured_from += mcb_frame_decoder_push(&from_board, NULL, 0, &f, &got);
            if (got && f.type == MCB_FRAME_INPUT_REQUEST) host_answer(&f);
        }
    }
    if (host_queue_len == 0) {
        fake_ms += timeout_ms;
        return 0;
    }
    n = host_queue_len < max ? host_queue_len : max;
    memcpy(buf, host_queue, n);
    memmove(host_queue, host_queue + n, host_queue_len - n);
    host_queue_len -= n;
    fake_ms += 1;
    return (int)n;
}

static uint32_t fake_millis(void *ctx) { (void)ctx; return fake_ms; }

/* The run callback: reads rows 1..3, columns 2..4 of the image (and a bad region when asked), guarded by a canary. */
static mcb_link_region run_region = {4, 5, 3, 1, 2, 3, 3};
static uint8_t region_buf[3 * 3 * 3 + 8];
static int region_rc;
static size_t size_delta; /* added to the region's size: a caller whose buffer does not match the region */
static int streamed_run(void *ctx, const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, size_t *out_len,
                        mcb_link_stats *st)
{
    size_t size = (size_t)run_region.rows * run_region.cols * run_region.pixel_bytes;
    (void)ctx;
    CHECK(in == NULL && in_len == 0, "a streamed run got an uploaded input");
    memset(region_buf, 0xCC, sizeof region_buf);
    if (size > sizeof region_buf - 8) size = 27; /* hostile region shapes: the size no longer adds up */
    size += size_delta;
    region_rc = mcb_link_read_region(&streamed_link, &run_region, region_buf, size);
    if (region_rc != 0) return 1;
    return mcb_test_fake_inference(region_buf, size, out, out_cap, out_len, st);
}

/* One RUN of sample 3 on a fresh streamed link whose host follows `script`; returns the board's final answer type. */
static uint8_t streamed_case(const enum host_act *script, size_t script_len, uint16_t rx_buffer, uint32_t *detail)
{
    mcb_link_config cfg;
    mcb_link_board_info board = info;
    uint8_t hello[6], run[4];
    mcb_frame_decoder answers;
    uint8_t last = 0;
    size_t pos = 0;
    memset(&cfg, 0, sizeof cfg);
    board.rx_buffer_size = rx_buffer;
    cfg.io.read = scripted_read;
    cfg.io.write = capture_write;
    cfg.io.millis = fake_millis;
    cfg.info = &board;
    cfg.run = streamed_run;
    cfg.output = output_whole;
    cfg.output_cap = sizeof output_whole;
    cfg.input_streamed = 1;
    memcpy(host_script, script, script_len * sizeof *script);
    host_script_len = script_len;
    host_seen = 0;
    host_queue_len = 0;
    host_captured_from = 0;
    captured_len = 0;
    fake_ms = 0;
    mcb_link_init(&streamed_link, &cfg);
    mcb_wr16(hello, MCB_PROTO_PROTOCOL_VERSION);
    mcb_wr32(hello + 2, 1);
    send_request(&streamed_link, MCB_FRAME_HELLO, 1, hello, sizeof hello);
    mcb_wr32(run, 3);
    send_request(&streamed_link, MCB_FRAME_RUN, 2, run, sizeof run);
    /* The board's answers to seq 2: ACK, then STATS or ERROR. */
    mcb_frame_decoder_init(&answers);
    for (;;) {
        mcb_frame f;
        int got = 0;
        pos += mcb_frame_decoder_push(&answers, captured + pos, captured_len - pos, &f, &got);
        if (!got) break;
        if (f.seq == 2 && f.type != MCB_FRAME_ACK) {
            last = f.type;
            if (f.type == MCB_FRAME_ERROR) {
                *detail = mcb_rd32(f.payload + 2);
                CHECK(mcb_rd16(f.payload) == MCB_LINK_E_INPUT_UNAVAILABLE, "streamed run failed with error %u", mcb_rd16(f.payload));
            }
        }
        if (f.type == MCB_FRAME_HELLO_ACK) {
            CHECK(f.len > 43 && f.payload[42] == MCB_INPUT_MODE_STREAMED && mcb_rd32(f.payload + 32) == 0,
                  "HELLO_ACK of a streamed board: input mode %u, input capacity %lu", f.payload[42], (unsigned long)mcb_rd32(f.payload + 32));
        }
    }
    return last;
}

static void check_streamed_input(void)
{
    static const enum host_act all_good[] = {ANSWER};
    static const enum host_act one_lost[] = {DROP};
    static const enum host_act hostile[] = {LONG, SHORT, WRONG_OFFSET, WRONG_SAMPLE, CORRUPT, GARBAGE_THEN_ANSWER};
    static const enum host_act silent[] = {DROP, DROP, DROP, DROP, DROP, DROP, DROP};
    static const enum host_act refused[] = {REFUSE};
    static const enum host_act new_session[] = {SEND_HELLO};
    uint8_t expected[27];
    uint32_t y, x, k, detail = 0, i;
    for (i = 0; i < sizeof image; i++) image[i] = (uint8_t)(i * 7 + 1);
    for (y = 0; y < 3; y++)
        for (x = 0; x < 3; x++)
            for (k = 0; k < 3; k++) expected[(y * 3 + x) * 3 + k] = image[((1 + y) * IMG_W + 2 + x) * IMG_PX + k];

    CHECK(streamed_case(all_good, 1, 0, &detail) == MCB_FRAME_STATS && region_rc == 0 && memcmp(region_buf, expected, 27) == 0 &&
              streamed_link.region_requests == 1 && streamed_link.region_bytes == 27 && region_buf[27] == 0xCC,
          "a 3x3 region in one exchange: rc %d, %lu requests", region_rc, (unsigned long)streamed_link.region_requests);
    /* A receive ring of 64 bytes holds one answer of 64 - 14 - 10 = 40 data bytes... region is 27: one part; 36 ring: 12 per part. */
    CHECK(streamed_case(all_good, 1, 36, &detail) == MCB_FRAME_STATS && memcmp(region_buf, expected, 27) == 0 &&
              streamed_link.region_requests == 3 && region_buf[27] == 0xCC,
          "a 36-byte receive ring: parts of 12 bytes, %lu requests", (unsigned long)streamed_link.region_requests);
    CHECK(streamed_case(one_lost, 1, 0, &detail) == MCB_FRAME_STATS && memcmp(region_buf, expected, 27) == 0 &&
              streamed_link.region_resends == 1 && fake_ms >= MCB_PROTO_REGION_TIMEOUT_MS,
          "a lost answer: %lu resends after %lu ms", (unsigned long)streamed_link.region_resends, (unsigned long)fake_ms);
    CHECK(streamed_case(hostile, sizeof hostile / sizeof *hostile, 0, &detail) == MCB_FRAME_STATS && memcmp(region_buf, expected, 27) == 0 &&
              region_buf[27] == 0xCC && streamed_link.region_rejected == 4 && streamed_link.region_resends == 5,
          "long, short, misplaced, foreign, damaged answers dropped: %lu rejected, %lu resends",
          (unsigned long)streamed_link.region_rejected, (unsigned long)streamed_link.region_resends);
    CHECK(streamed_case(silent, sizeof silent / sizeof *silent, 0, &detail) == MCB_FRAME_ERROR && region_rc == MCB_LINK_REGION_E_NO_ANSWER &&
              detail == 0xFFFFFFFFu && streamed_link.region_requests == 1 + MCB_PROTO_REGION_RETRIES &&
              fake_ms >= MCB_PROTO_REGION_TIMEOUT_MS * ((1u << (MCB_PROTO_REGION_RETRIES + 1)) - 1),
          "a silent host: rc %d, %lu requests over %lu ms", region_rc, (unsigned long)streamed_link.region_requests, (unsigned long)fake_ms);
    CHECK(streamed_case(refused, 1, 0, &detail) == MCB_FRAME_ERROR && region_rc == MCB_LINK_REGION_E_REFUSED &&
              detail == MCB_LINK_E_BAD_ARGUMENT && streamed_link.region_requests == 1,
          "a refusal ends the run at once: rc %d, detail %lu", region_rc, (unsigned long)detail);
    CHECK(streamed_case(new_session, 1, 0, &detail) == MCB_FRAME_ERROR && region_rc == MCB_LINK_REGION_E_ABORTED,
          "a HELLO during the run aborts it: rc %d", region_rc);

    /* Regions that do not add up are refused before anything is sent. */
    {
        static const mcb_link_region bad[] = {
            {4, 5, 3, 2, 2, 3, 3},        /* rows past the image */
            {4, 5, 3, 1, 3, 3, 3},        /* columns past the image */
            {4, 5, 3, 0xFFFFFFFFu, 0, 3, 3}, /* wrapping start */
            {4, 5, 3, 1, 2, 0, 3},        /* no rows */
            {70000, 5, 3, 1, 2, 3, 3},    /* does not travel as u16 */
            {4, 5, 3, 1, 2, 3, 3},        /* a buffer one byte larger than the region (size_delta) */
        };
        size_t b;
        for (b = 0; b < sizeof bad / sizeof *bad; b++) {
            run_region = bad[b];
            size_delta = b + 1 == sizeof bad / sizeof *bad ? 1 : 0;
            CHECK(streamed_case(all_good, 1, 0, &detail) == MCB_FRAME_ERROR && region_rc == MCB_LINK_REGION_E_ARG &&
                      streamed_link.region_requests == 0 && region_buf[0] == 0xCC,
                  "bad region %zu: rc %d, %lu requests", b, region_rc, (unsigned long)streamed_link.region_requests);
        }
        run_region = (mcb_link_region){4, 5, 3, 1, 2, 3, 3};
        size_delta = 0;
    }
    CHECK(mcb_link_read_region(&streamed_link, &run_region, region_buf, 27) == MCB_LINK_REGION_E_ARG,
          "reading a region outside a run must fail");

    /* After the run: a late INPUT_REGION is not answered and leaves the cached STATS for a retransmitted RUN. */
    {
        uint8_t run[4], late[10 + 4] = {0};
        size_t before;
        CHECK(streamed_case(all_good, 1, 0, &detail) == MCB_FRAME_STATS, "setup for the late answer");
        mcb_wr32(late, 3);
        before = captured_len;
        send_request(&streamed_link, MCB_FRAME_INPUT_REGION, 0, late, sizeof late);
        CHECK(captured_len == before, "a late INPUT_REGION was answered");
        mcb_wr32(run, 3);
        send_request(&streamed_link, MCB_FRAME_RUN, 2, run, sizeof run);
        CHECK(streamed_link.duplicates == 1 && streamed_link.runs == 1 && captured_len > before && captured[before + 6] == MCB_FRAME_STATS,
              "a retransmitted RUN after a late INPUT_REGION did not get the cached STATS");
    }
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
        if (strcmp(kind, "streamed") == 0) {
            check_streamed_input();
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
