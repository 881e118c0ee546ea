/* Frame codec of the host<->board link; see protocol.h and docs/protocol.md. */
#include "protocol.h"

#include <string.h>

uint16_t mcb_rd16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }

uint32_t mcb_rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

void mcb_wr16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

void mcb_wr32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

size_t mcb_frame_encode(uint8_t *out, size_t cap, uint8_t type, uint16_t seq, const uint8_t *payload, size_t len)
{
    size_t total = MCB_FRAME_OVERHEAD + len;
    uint32_t crc;
    if (len > MCB_LINK_MAX_PAYLOAD || total > cap || (len > 0 && payload == NULL)) return 0;
    /* memmove: the caller may have built the payload in place at out + HEADER_SIZE. */
    if (len > 0) memmove(out + MCB_PROTO_HEADER_SIZE, payload, len);
    out[0] = MCB_PROTO_SYNC0;
    out[1] = MCB_PROTO_SYNC1;
    mcb_wr16(out + 2, (uint16_t)len);
    mcb_wr16(out + 4, (uint16_t)(len ^ 0xFFFFu));
    out[6] = type;
    out[7] = 0; /* flags: reserved */
    mcb_wr16(out + 8, seq);
    crc = mcb_crc32(0, out + 2, MCB_PROTO_HEADER_SIZE - 2 + len);
    mcb_wr32(out + MCB_PROTO_HEADER_SIZE + len, crc);
    return total;
}

void mcb_frame_decoder_init(mcb_frame_decoder *d)
{
    d->fill = 0;
    d->frame_len = 0;
    d->dropped = 0;
    d->crc_errors = 0;
}

static void drop_front(mcb_frame_decoder *d, size_t k)
{
    if (k > d->fill) k = d->fill;
    memmove(d->buf, d->buf + k, d->fill - k);
    d->fill -= k;
}

/* Returns 1 with *frame set when buf starts with a valid frame; discards bytes that cannot start one. */
static int try_parse(mcb_frame_decoder *d, mcb_frame *frame)
{
    for (;;) {
        size_t i = 0, len, total;
        uint32_t crc;
        /* Skip to the next possible sync pair (a lone SYNC0 at the very end may still become one). */
        while (i < d->fill && !(d->buf[i] == MCB_PROTO_SYNC0 && (i + 1 == d->fill || d->buf[i + 1] == MCB_PROTO_SYNC1))) i++;
        d->dropped += (uint32_t)i;
        drop_front(d, i);
        if (d->fill < MCB_PROTO_HEADER_SIZE) return 0;
        len = mcb_rd16(d->buf + 2);
        if ((len ^ mcb_rd16(d->buf + 4)) != 0xFFFFu || len > MCB_LINK_MAX_PAYLOAD) {
            d->dropped++; /* not a header: resume the hunt one byte later */
            drop_front(d, 1);
            continue;
        }
        total = MCB_FRAME_OVERHEAD + len;
        if (d->fill < total) return 0;
        crc = mcb_crc32(0, d->buf + 2, MCB_PROTO_HEADER_SIZE - 2 + len);
        if (crc != mcb_rd32(d->buf + MCB_PROTO_HEADER_SIZE + len)) {
            /* Damaged frame, or a sync pattern inside garbage: a real frame may start inside these bytes. */
            d->crc_errors++;
            d->dropped++;
            drop_front(d, 1);
            continue;
        }
        frame->type = d->buf[6];
        frame->seq = mcb_rd16(d->buf + 8);
        frame->len = (uint16_t)len;
        frame->crc = crc;
        frame->payload = d->buf + MCB_PROTO_HEADER_SIZE;
        d->frame_len = total;
        return 1;
    }
}

size_t mcb_frame_decoder_push(mcb_frame_decoder *d, const uint8_t *data, size_t n, mcb_frame *frame, int *got)
{
    size_t used = 0;
    if (d->frame_len > 0) {
        drop_front(d, d->frame_len);
        d->frame_len = 0;
    }
    for (;;) {
        size_t room, k;
        if (try_parse(d, frame)) {
            *got = 1;
            return used;
        }
        if (used == n) break;
        /* try_parse leaves at most one incomplete candidate (< MCB_FRAME_MAX bytes), so there is always room. */
        room = sizeof d->buf - d->fill;
        k = n - used < room ? n - used : room;
        memcpy(d->buf + d->fill, data + used, k);
        d->fill += k;
        used += k;
    }
    *got = 0;
    return used;
}
