/* Board side of the host<->board link; see link.h and docs/protocol.md. */
#include "link.h"

#include <string.h>

/* Payload offset inside tx: answers are built in place, then framed. */
#define TXP(link) ((link)->tx + MCB_PROTO_HEADER_SIZE)
#define CHUNK_HEADER 8u /* sample + offset in INPUT_CHUNK / OUTPUT_CHUNK */

static size_t put_name(uint8_t *p, const char *s)
{
    size_t n = 0;
    if (s != NULL)
        while (n < MCB_PROTO_MAX_NAME_LEN && s[n] != '\0') n++;
    p[0] = (uint8_t)n;
    if (n > 0) memcpy(p + 1, s, n);
    return 1 + n;
}

static int send_answer(mcb_link *link, uint8_t type, uint16_t seq, size_t len)
{
    link->tx_len = mcb_frame_encode(link->tx, sizeof link->tx, type, seq, TXP(link), len);
    return link->cfg.io.write(link->cfg.io.ctx, link->tx, link->tx_len);
}

static int send_ack(mcb_link *link, const mcb_frame *req)
{
    TXP(link)[0] = req->type;
    return send_answer(link, MCB_FRAME_ACK, req->seq, 1);
}

static int send_nack(mcb_link *link, const mcb_frame *req, mcb_link_error code, uint32_t detail)
{
    uint8_t *p = TXP(link);
    p[0] = req->type;
    mcb_wr16(p + 1, (uint16_t)code);
    mcb_wr32(p + 3, detail);
    return send_answer(link, MCB_FRAME_NACK, req->seq, 7);
}

static int send_error(mcb_link *link, const mcb_frame *req, mcb_link_error code, uint32_t detail, const char *msg)
{
    uint8_t *p = TXP(link);
    size_t n = strlen(msg);
    if (n > MCB_PROTO_MAX_MESSAGE_LEN) n = MCB_PROTO_MAX_MESSAGE_LEN;
    if (n > MCB_LINK_MAX_PAYLOAD - 7) n = MCB_LINK_MAX_PAYLOAD - 7;
    mcb_wr16(p, (uint16_t)code);
    mcb_wr32(p + 2, detail);
    p[6] = (uint8_t)n;
    memcpy(p + 7, msg, n);
    return send_answer(link, MCB_FRAME_ERROR, req->seq, 7 + n);
}

static int on_hello(mcb_link *link, const mcb_frame *req)
{
    const mcb_link_board_info *info = link->cfg.info;
    uint8_t *p = TXP(link);
    size_t n = 0;
    uint16_t version = mcb_rd16(req->payload);
    uint16_t rx_buffer = info->rx_buffer_size ? info->rx_buffer_size : (uint16_t)MCB_FRAME_MAX;
    if (version != MCB_PROTO_PROTOCOL_VERSION)
        return send_nack(link, req, MCB_LINK_E_VERSION_MISMATCH, MCB_PROTO_PROTOCOL_VERSION);
    link->has_session = 1;
    link->run_id = mcb_rd32(req->payload + 2);
    link->input_state = MCB_INPUT_NONE;
    link->has_output = 0;
    mcb_wr16(p + n, MCB_PROTO_PROTOCOL_VERSION); n += 2;
    mcb_wr32(p + n, link->run_id); n += 4;
    mcb_wr32(p + n, info->core_clock_hz); n += 4;
    memcpy(p + n, info->model_hash, MCB_PROTO_MODEL_HASH_SIZE); n += MCB_PROTO_MODEL_HASH_SIZE;
    mcb_wr32(p + n, info->arena_size); n += 4;
    p[n++] = info->schedule;
    mcb_wr16(p + n, info->split); n += 2;
    mcb_wr16(p + n, info->patches); n += 2;
    mcb_wr16(p + n, rx_buffer); n += 2;
    mcb_wr16(p + n, (uint16_t)MCB_LINK_MAX_PAYLOAD); n += 2;
    p[n++] = info->time_unit;
    mcb_wr32(p + n, (uint32_t)link->cfg.input_cap); n += 4;
    mcb_wr32(p + n, (uint32_t)link->cfg.output_cap); n += 4;
    mcb_wr16(p + n, (uint16_t)MCB_LINK_MAX_OPS); n += 2;
    p[n++] = link->cfg.input_streamed ? MCB_INPUT_MODE_STREAMED : MCB_INPUT_MODE_UPLOADED;
    n += put_name(p + n, info->firmware_version);
    n += put_name(p + n, info->board_id);
    return send_answer(link, MCB_FRAME_HELLO_ACK, req->seq, n);
}

/* Common check of the sample index of an input-phase request. Returns 1 when the request may proceed. */
static int input_sample_ok(mcb_link *link, const mcb_frame *req, uint32_t sample, int *rc)
{
    if (link->input_state == MCB_INPUT_NONE) {
        *rc = send_nack(link, req, MCB_LINK_E_NOT_READY, 0);
        return 0;
    }
    if (sample != link->sample) {
        *rc = send_nack(link, req, MCB_LINK_E_BAD_SAMPLE, link->sample);
        return 0;
    }
    return 1;
}

static int on_input_begin(mcb_link *link, const mcb_frame *req)
{
    uint32_t total = mcb_rd32(req->payload + 4);
    if (total > link->cfg.input_cap) return send_nack(link, req, MCB_LINK_E_TOO_LARGE, (uint32_t)link->cfg.input_cap);
    link->sample = mcb_rd32(req->payload);
    link->input_total = total;
    link->input_received = 0;
    link->input_state = MCB_INPUT_RECEIVING;
    link->has_output = 0;
    return send_ack(link, req);
}

/* ACK of INPUT_CHUNK: the request type and the bytes received so far, so a pipelining host knows what to resend. */
static int send_chunk_ack(mcb_link *link, const mcb_frame *req)
{
    TXP(link)[0] = req->type;
    mcb_wr32(TXP(link) + 1, link->input_received);
    return send_answer(link, MCB_FRAME_ACK, req->seq, 5);
}

static int on_input_chunk(mcb_link *link, const mcb_frame *req)
{
    int rc = 0;
    uint32_t offset = mcb_rd32(req->payload + 4);
    uint32_t n = (uint32_t)req->len - CHUNK_HEADER;
    uint32_t skip;
    if (!input_sample_ok(link, req, mcb_rd32(req->payload), &rc)) return rc;
    if (link->input_state != MCB_INPUT_RECEIVING) return send_nack(link, req, MCB_LINK_E_NOT_READY, 0);
    /* Chunks may be pipelined: one that starts after the bytes received leaves a gap (an earlier chunk was lost),
     * one that ends inside them is a resend. Bounds first, without overflow: offset <= received <= total. */
    if (offset > link->input_received || n > link->input_total - offset)
        return send_nack(link, req, MCB_LINK_E_BAD_OFFSET, link->input_received);
    skip = link->input_received - offset; /* bytes of this chunk already stored */
    if (n > skip) {
        memcpy(link->cfg.input + link->input_received, req->payload + CHUNK_HEADER + skip, n - skip);
        link->input_received += n - skip;
    }
    return send_chunk_ack(link, req);
}

/* SET_BAUD: ACK at the old rate, then switch. The switch stays on probation until a valid frame arrives at the new
 * rate; mcb_link_poll reverts it after MCB_PROTO_BAUD_PROBATION_MS of silence (the host could not follow). */
static int on_set_baud(mcb_link *link, const mcb_frame *req)
{
    uint32_t baud = mcb_rd32(req->payload);
    long previous;
    int rc;
    if (link->cfg.io.set_baud == NULL || link->cfg.io.set_baud(link->cfg.io.ctx, baud, 1) <= 0)
        return send_nack(link, req, MCB_LINK_E_BAD_ARGUMENT, baud); /* no driver support, or the divisor is too far off */
    rc = send_ack(link, req);
    if (rc < 0) return rc;
    previous = link->cfg.io.set_baud(link->cfg.io.ctx, baud, 0);
    if (previous <= 0) return 0;
    link->baud_previous = (uint32_t)previous;
    link->baud_probation_ms = MCB_PROTO_BAUD_PROBATION_MS;
    return 0;
}

static int on_input_end(mcb_link *link, const mcb_frame *req)
{
    int rc = 0;
    uint32_t crc;
    if (!input_sample_ok(link, req, mcb_rd32(req->payload), &rc)) return rc;
    if (link->input_received != link->input_total)
        return send_nack(link, req, MCB_LINK_E_INCOMPLETE, link->input_received);
    crc = mcb_crc32(0, link->cfg.input, link->input_total);
    if (crc != mcb_rd32(req->payload + 4)) return send_nack(link, req, MCB_LINK_E_INPUT_CRC, crc);
    link->input_state = MCB_INPUT_COMPLETE;
    return send_ack(link, req);
}

static int on_run(mcb_link *link, const mcb_frame *req)
{
    int rc = 0, status;
    size_t out_len = 0;
    uint16_t reported, i;
    uint8_t *p = TXP(link);
    mcb_link_stats *st = &link->stats;
    uint32_t sample = mcb_rd32(req->payload);
    int streamed = link->cfg.input_streamed;
    if (streamed) {
        /* The input arrives during the run (INPUT_REQUEST), so any RUN may start; each one asks for it anew. */
        link->has_output = 0;
    } else {
        if (!input_sample_ok(link, req, sample, &rc)) return rc;
        if (link->input_state != MCB_INPUT_COMPLETE) return send_nack(link, req, MCB_LINK_E_NOT_READY, 0);
    }
    /* ACK first: the host then knows the RUN arrived and waits for the inference instead of retransmitting.
     * The final answer (STATS or ERROR) replaces the ACK in tx, so a retransmitted RUN gets the result. */
    rc = send_ack(link, req);
    if (rc < 0) return rc;
    memset(st, 0, sizeof *st);
    link->input_state = MCB_INPUT_NONE; /* an input is consumed by exactly one run */
    link->runs++;
    link->running = 1;
    link->run_sample = sample;
    link->region_error = 0;
    status = link->cfg.run(link->cfg.run_ctx, streamed ? NULL : link->cfg.input, streamed ? 0 : link->input_total,
                           link->cfg.output, link->cfg.output_cap, &out_len, st);
    link->running = 0;
    if (status != 0 && link->region_error == MCB_LINK_REGION_E_REFUSED)
        return send_error(link, req, MCB_LINK_E_INPUT_UNAVAILABLE, link->region_status, "the host refused an input region");
    if (status != 0 && link->region_error != 0)
        return send_error(link, req, MCB_LINK_E_INPUT_UNAVAILABLE, 0xFFFFFFFFu,
                          link->region_error == MCB_LINK_REGION_E_NO_ANSWER ? "no answer to an input region request"
                          : link->region_error == MCB_LINK_REGION_E_ABORTED ? "a new session began during the run"
                          : "an input region could not be requested");
    if (status != 0) return send_error(link, req, MCB_LINK_E_RUN_FAILED, (uint32_t)status, "inference callback failed");
    if (out_len > link->cfg.output_cap)
        return send_error(link, req, MCB_LINK_E_OUTPUT_OVERFLOW, (uint32_t)out_len, "inference output exceeds the output buffer");
    link->has_output = 1;
    link->output_sample = sample;
    link->output_len = (uint32_t)out_len;
    reported = st->op_count < MCB_LINK_MAX_OPS ? st->op_count : (uint16_t)MCB_LINK_MAX_OPS;
    mcb_wr32(p + 0, sample);
    mcb_wr32(p + 4, (uint32_t)out_len);
    mcb_wr32(p + 8, mcb_crc32(0, link->cfg.output, out_len));
    mcb_wr32(p + 12, (uint32_t)st->latency_total);
    mcb_wr32(p + 16, (uint32_t)(st->latency_total >> 32));
    p[20] = link->cfg.info->time_unit;
    mcb_wr32(p + 21, st->stack_high_water);
    mcb_wr32(p + 25, st->arena_high_water);
    mcb_wr16(p + 29, st->op_count);
    mcb_wr16(p + 31, reported);
    for (i = 0; i < reported; i++) mcb_wr32(p + MCB_STATS_FIXED_SIZE + 4u * i, st->op_latency[i]);
    return send_answer(link, MCB_FRAME_STATS, req->seq, MCB_STATS_FIXED_SIZE + 4u * reported);
}

static int on_output_read(mcb_link *link, const mcb_frame *req)
{
    uint32_t sample = mcb_rd32(req->payload);
    uint32_t offset = mcb_rd32(req->payload + 4);
    uint32_t n = mcb_rd16(req->payload + 8);
    uint8_t *p = TXP(link);
    if (!link->has_output) return send_nack(link, req, MCB_LINK_E_NOT_READY, 0);
    if (sample != link->output_sample) return send_nack(link, req, MCB_LINK_E_BAD_SAMPLE, link->output_sample);
    if (offset > link->output_len || n == 0) return send_nack(link, req, MCB_LINK_E_BAD_ARGUMENT, link->output_len);
    if (n > link->output_len - offset) n = link->output_len - offset;
    if (n > MCB_LINK_MAX_PAYLOAD - CHUNK_HEADER) n = MCB_LINK_MAX_PAYLOAD - CHUNK_HEADER;
    mcb_wr32(p, sample);
    mcb_wr32(p + 4, offset);
    memcpy(p + CHUNK_HEADER, link->cfg.output + offset, n);
    return send_answer(link, MCB_FRAME_OUTPUT_CHUNK, req->seq, CHUNK_HEADER + n);
}

/* Payload size each request must have (INPUT_CHUNK: at least, with one data byte). */
static int length_ok(const mcb_frame *req)
{
    switch (req->type) {
    case MCB_FRAME_HELLO: return req->len == 6;
    case MCB_FRAME_PING: return req->len == 4;
    case MCB_FRAME_INPUT_BEGIN: return req->len == 8;
    case MCB_FRAME_INPUT_CHUNK: return req->len > CHUNK_HEADER;
    case MCB_FRAME_INPUT_END: return req->len == 8;
    case MCB_FRAME_RUN: return req->len == 4;
    case MCB_FRAME_OUTPUT_READ: return req->len == 10;
    case MCB_FRAME_SET_BAUD: return req->len == 4;
    default: return 1;
    }
}

static int dispatch(mcb_link *link, const mcb_frame *req)
{
    if (!length_ok(req)) return send_nack(link, req, MCB_LINK_E_BAD_LENGTH, req->len);
    switch (req->type) {
    case MCB_FRAME_HELLO: return on_hello(link, req);
    case MCB_FRAME_PING:
        memcpy(TXP(link), req->payload, 4);
        return send_answer(link, MCB_FRAME_PONG, req->seq, 4);
    case MCB_FRAME_SET_BAUD:
        if (!link->has_session) return send_nack(link, req, MCB_LINK_E_NO_SESSION, 0);
        return on_set_baud(link, req);
    case MCB_FRAME_INPUT_BEGIN:
    case MCB_FRAME_INPUT_CHUNK:
    case MCB_FRAME_INPUT_END:
    case MCB_FRAME_RUN:
    case MCB_FRAME_OUTPUT_READ:
        if (!link->has_session) return send_nack(link, req, MCB_LINK_E_NO_SESSION, 0);
        if (req->type == MCB_FRAME_INPUT_BEGIN) return on_input_begin(link, req);
        if (req->type == MCB_FRAME_INPUT_CHUNK) return on_input_chunk(link, req);
        if (req->type == MCB_FRAME_INPUT_END) return on_input_end(link, req);
        if (req->type == MCB_FRAME_RUN) return on_run(link, req);
        return on_output_read(link, req);
    default: return send_nack(link, req, MCB_LINK_E_UNKNOWN_TYPE, req->type);
    }
}

static int handle(mcb_link *link, const mcb_frame *req)
{
    link->baud_probation_ms = 0; /* a valid frame: the current rate works */
    if (req->type == MCB_FRAME_INPUT_REGION) {
        /* A late or duplicated answer to a region request of a finished run: not a request, never answered (an
         * answer would also replace the cached STATS a retransmitted RUN must get). */
        link->region_ignored++;
        return 0;
    }
    if (link->has_last && req->seq == link->last_seq && req->crc == link->last_crc) {
        /* Retransmission: our answer was lost or late. Re-send it; never process the request twice. */
        link->duplicates++;
        return link->cfg.io.write(link->cfg.io.ctx, link->tx, link->tx_len);
    }
    link->has_last = 1;
    link->last_seq = req->seq;
    link->last_crc = req->crc;
    link->requests++;
    return dispatch(link, req);
}

int mcb_link_init(mcb_link *link, const mcb_link_config *cfg)
{
    memset(link, 0, sizeof *link);
    link->cfg = *cfg;
    mcb_frame_decoder_init(&link->rx);
    mcb_wr16(TXP(link), MCB_PROTO_PROTOCOL_VERSION);
    mcb_wr32(TXP(link) + 2, cfg->info->reset_cause);
    return send_answer(link, MCB_FRAME_RESET, 0, 6);
}

int mcb_link_feed(mcb_link *link, const uint8_t *data, size_t n)
{
    size_t used = 0;
    for (;;) {
        mcb_frame frame;
        int got = 0, rc;
        used += mcb_frame_decoder_push(&link->rx, n > used ? data + used : NULL, n - used, &frame, &got);
        if (!got) return 0;
        rc = handle(link, &frame);
        if (rc < 0) return rc;
    }
}

/* ---- streamed input: the board asks, the host answers (docs/protocol.md §5.9) ---- */

#define REGION_REQUEST_SIZE 24u
#define REGION_WAITING 1

/* Takes one frame that arrived while waiting for the answer to request `seq`: 1 when it is that answer (stored),
 * 0 when it is dropped, or an MCB_LINK_REGION_E_* code. */
static int take_region(mcb_link *link, const mcb_frame *f, uint16_t seq, uint32_t offset, uint8_t *dst, uint32_t want)
{
    uint32_t n;
    if (f->type == MCB_FRAME_HELLO) return MCB_LINK_REGION_E_ABORTED; /* the host retransmits it; answered after the run */
    if (f->type != MCB_FRAME_INPUT_REGION || f->seq != seq) {
        link->region_ignored++;
        return 0;
    }
    if (f->len < MCB_PROTO_REGION_HEADER_SIZE || mcb_rd32(f->payload) != link->run_sample || mcb_rd32(f->payload + 4) != offset) {
        link->region_rejected++;
        return 0;
    }
    if (mcb_rd16(f->payload + 8) != 0) {
        link->region_status = mcb_rd16(f->payload + 8);
        return MCB_LINK_REGION_E_REFUSED;
    }
    n = (uint32_t)f->len - MCB_PROTO_REGION_HEADER_SIZE;
    if (n != want) { /* exactly what was asked: no more (it would not fit dst), no less */
        link->region_rejected++;
        return 0;
    }
    memcpy(dst, f->payload + MCB_PROTO_REGION_HEADER_SIZE, n);
    link->region_bytes += n;
    return 1;
}

/* Reads until the answer arrives, something aborts, or wait_ms pass (REGION_WAITING). */
static int await_region(mcb_link *link, uint16_t seq, uint32_t offset, uint8_t *dst, uint32_t want, uint32_t wait_ms)
{
    uint8_t buf[64];
    uint32_t waited = 0, start = link->cfg.io.millis ? link->cfg.io.millis(link->cfg.io.ctx) : 0;
    while (waited < wait_ms) {
        int n = link->cfg.io.read(link->cfg.io.ctx, buf, sizeof buf, wait_ms - waited), outcome = 0;
        size_t used = 0;
        if (n < 0) return MCB_LINK_REGION_E_IO;
        /* Every frame in these bytes is looked at, so bytes after the answer stay in the decoder. */
        for (;;) {
            mcb_frame frame;
            int got = 0, rc;
            used += mcb_frame_decoder_push(&link->rx, (size_t)n > used ? buf + used : NULL, (size_t)n - used, &frame, &got);
            if (!got) break;
            if (outcome != 0) { /* decided already: the rest is only drained */
                link->region_ignored++;
                continue;
            }
            rc = take_region(link, &frame, seq, offset, dst, want);
            if (rc != 0) outcome = rc;
        }
        if (outcome != 0) return outcome > 0 ? 0 : outcome;
        if (link->cfg.io.millis) waited = link->cfg.io.millis(link->cfg.io.ctx) - start;
        else if (n == 0) waited = wait_ms;
    }
    return REGION_WAITING;
}

/* One INPUT_REQUEST for [offset, offset + want) of the region, resent until answered. */
static int fetch_region_part(mcb_link *link, const mcb_link_region *r, uint32_t offset, uint8_t *dst, uint32_t want)
{
    uint8_t *p = link->region_tx + MCB_PROTO_HEADER_SIZE;
    uint16_t seq = link->region_seq++;
    uint32_t attempt, wait = MCB_PROTO_REGION_TIMEOUT_MS;
    size_t len;
    mcb_wr32(p, link->run_sample);
    mcb_wr16(p + 4, (uint16_t)r->height);
    mcb_wr16(p + 6, (uint16_t)r->width);
    mcb_wr16(p + 8, (uint16_t)r->pixel_bytes);
    mcb_wr16(p + 10, (uint16_t)r->y0);
    mcb_wr16(p + 12, (uint16_t)r->x0);
    mcb_wr16(p + 14, (uint16_t)r->rows);
    mcb_wr16(p + 16, (uint16_t)r->cols);
    mcb_wr32(p + 18, offset);
    mcb_wr16(p + 22, (uint16_t)want);
    len = mcb_frame_encode(link->region_tx, sizeof link->region_tx, MCB_FRAME_INPUT_REQUEST, seq, p, REGION_REQUEST_SIZE);
    for (attempt = 0; attempt <= MCB_PROTO_REGION_RETRIES; ++attempt, wait *= 2u) {
        int rc;
        if (attempt > 0) link->region_resends++;
        link->region_requests++;
        if (link->cfg.io.write(link->cfg.io.ctx, link->region_tx, len) < 0) return MCB_LINK_REGION_E_IO;
        rc = await_region(link, seq, offset, dst, want, wait);
        if (rc != REGION_WAITING) return rc;
    }
    return MCB_LINK_REGION_E_NO_ANSWER;
}

int mcb_link_read_region(mcb_link *link, const mcb_link_region *r, uint8_t *dst, size_t size)
{
    uint64_t total;
    uint32_t offset = 0, part = MCB_LINK_MAX_PAYLOAD - MCB_PROTO_REGION_HEADER_SIZE;
    uint16_t rx = link->cfg.info->rx_buffer_size;
    int rc = MCB_LINK_REGION_E_ARG;
    if (!link->running || !link->cfg.input_streamed || r == NULL || dst == NULL) goto done;
    /* Every field travels as a u16; the region must lie inside the image and add up to size. */
    if (r->height > 0xFFFFu || r->width > 0xFFFFu || r->pixel_bytes > 0xFFFFu || r->rows == 0 || r->cols == 0 ||
        r->pixel_bytes == 0 || r->y0 > r->height || r->rows > r->height - r->y0 || r->x0 > r->width || r->cols > r->width - r->x0)
        goto done;
    total = (uint64_t)r->rows * r->cols * r->pixel_bytes;
    if (total != (uint64_t)size || total > 0xFFFFFFFFu) goto done;
    /* One answer frame must fit the receive ring too (a UART without flow control drops what does not). */
    if (rx != 0 && rx < MCB_FRAME_OVERHEAD + MCB_PROTO_REGION_HEADER_SIZE + 1u) goto done;
    if (rx != 0 && rx - MCB_FRAME_OVERHEAD - MCB_PROTO_REGION_HEADER_SIZE < part) part = rx - MCB_FRAME_OVERHEAD - MCB_PROTO_REGION_HEADER_SIZE;
    rc = 0;
    while (offset < (uint32_t)total && rc == 0) {
        uint32_t want = (uint32_t)total - offset < part ? (uint32_t)total - offset : part;
        rc = fetch_region_part(link, r, offset, dst + offset, want);
        offset += want;
    }
done:
    if (rc != 0) link->region_error = rc;
    return rc;
}

int mcb_link_idle(mcb_link *link, uint32_t elapsed_ms)
{
    if (link->baud_probation_ms == 0) return 0;
    if (elapsed_ms < link->baud_probation_ms) {
        link->baud_probation_ms -= elapsed_ms;
        return 0;
    }
    /* Nothing intelligible at the new rate: go back to the rate the host last reached us at. */
    link->baud_probation_ms = 0;
    link->baud_reverts++;
    return link->cfg.io.set_baud(link->cfg.io.ctx, link->baud_previous, 0) > 0 ? 0 : -1;
}

int mcb_link_poll(mcb_link *link, uint32_t timeout_ms)
{
    uint8_t buf[64];
    int n = link->cfg.io.read(link->cfg.io.ctx, buf, sizeof buf, timeout_ms);
    int rc;
    if (n == 0) return mcb_link_idle(link, timeout_ms);
    if (n < 0) return n;
    rc = mcb_link_feed(link, buf, (size_t)n);
    return rc < 0 ? rc : n;
}
