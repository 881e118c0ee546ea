/*
 * Frame codec of the host<->board link (docs/protocol.md): CRC-32, frame encoder and a streaming,
 * resynchronising decoder. Portable C99, no allocation: the decoder owns one static-sized buffer.
 */
#ifndef MCB_PROTOCOL_H
#define MCB_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#include "mcb/crc32.h"
#include "protocol_ids.h"

/* Largest payload this build sends or accepts; a board may lower it to save RAM (reported in HELLO_ACK). */
#ifndef MCB_LINK_MAX_PAYLOAD
#define MCB_LINK_MAX_PAYLOAD MCB_PROTO_MAX_PAYLOAD
#endif
/* 128 at least: a HELLO_ACK with two 32-character names is 108 bytes. */
#if MCB_LINK_MAX_PAYLOAD > MCB_PROTO_MAX_PAYLOAD || MCB_LINK_MAX_PAYLOAD < 128
#error "MCB_LINK_MAX_PAYLOAD must be between 128 and MCB_PROTO_MAX_PAYLOAD"
#endif

#define MCB_FRAME_OVERHEAD (MCB_PROTO_HEADER_SIZE + MCB_PROTO_CRC_SIZE)
#define MCB_FRAME_MAX (MCB_FRAME_OVERHEAD + MCB_LINK_MAX_PAYLOAD)

/* Frames and whole inputs/outputs carry the runtime's CRC-32 (zlib's crc32): mcb_crc32 of mcb/crc32.h. */

/* Little-endian field access used by both the codec and the payload code. */
uint16_t mcb_rd16(const uint8_t *p);
uint32_t mcb_rd32(const uint8_t *p);
void mcb_wr16(uint8_t *p, uint16_t v);
void mcb_wr32(uint8_t *p, uint32_t v);

/* A decoded frame; payload points into the decoder's buffer and stays valid until the next push. */
typedef struct mcb_frame {
    uint8_t type;
    uint16_t seq;
    uint16_t len;
    uint32_t crc; /* the frame's CRC trailer: with seq it identifies a retransmission */
    const uint8_t *payload;
} mcb_frame;

/*
 * Writes one frame into out[0..cap). Returns the frame size, or 0 when len exceeds MCB_LINK_MAX_PAYLOAD or the
 * frame does not fit cap. payload may alias out + MCB_PROTO_HEADER_SIZE (payload built in place).
 */
size_t mcb_frame_encode(uint8_t *out, size_t cap, uint8_t type, uint16_t seq, const uint8_t *payload, size_t len);

typedef struct mcb_frame_decoder {
    uint8_t buf[MCB_FRAME_MAX];
    size_t fill;          /* bytes held in buf */
    size_t frame_len;     /* size of the frame handed out by the last push, removed on the next one */
    uint32_t dropped;     /* bytes discarded while hunting for a frame (garbage, damaged frames) */
    uint32_t crc_errors;  /* candidate frames whose CRC did not match */
} mcb_frame_decoder;

void mcb_frame_decoder_init(mcb_frame_decoder *d);

/*
 * Feeds bytes; stops at the first complete, CRC-valid frame. Returns how many of the n bytes were consumed and
 * sets *got to 1 (frame filled in) or 0 (all bytes consumed, need more). Call again with the rest of the bytes
 * (possibly n = 0) until *got is 0: buffered bytes may hold more frames.
 */
size_t mcb_frame_decoder_push(mcb_frame_decoder *d, const uint8_t *data, size_t n, mcb_frame *frame, int *got);

#endif /* MCB_PROTOCOL_H */
