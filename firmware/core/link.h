/*
 * Board side of the host<->board link (docs/protocol.md): answers HELLO/PING, receives one input into a
 * caller-provided buffer, runs the caller's inference callback, and serves STATS and output chunks.
 * The board answers every request in arrival order (plus one RESET notice at boot); input chunks may be pipelined
 * and are stored by offset, so a resent chunk is never stored twice. A retransmitted request (same seq and CRC)
 * gets the cached answer again without being processed twice.
 *
 * Portable C99, no allocation, board-independent: the UART is reached only through mcb_link_io.
 * Typical main loop:
 *     static mcb_link link;
 *     mcb_link_init(&link, &config);          // sends RESET
 *     for (;;) mcb_link_poll(&link, 100);    // or call mcb_link_feed() with bytes from an RX ring buffer
 */
#ifndef MCB_LINK_H
#define MCB_LINK_H

#include <stddef.h>
#include <stdint.h>

#include "protocol.h"

/* Most per-op latencies one STATS frame carries (the rest are counted in op_count but not reported). */
#ifndef MCB_LINK_MAX_OPS
#define MCB_LINK_MAX_OPS 128
#endif
#define MCB_STATS_FIXED_SIZE 33u
#if MCB_STATS_FIXED_SIZE + 4 * MCB_LINK_MAX_OPS > MCB_LINK_MAX_PAYLOAD
#error "MCB_LINK_MAX_OPS per-op latencies do not fit one STATS payload"
#endif

typedef struct mcb_link_io {
    void *ctx;
    /* Reads up to max bytes, waiting at most timeout_ms for the first one. Returns the count (0 on timeout),
     * or a negative value when the link is gone. */
    int (*read)(void *ctx, uint8_t *buf, size_t max, uint32_t timeout_ms);
    /* Writes all len bytes (may block until sent). Returns 0, or a negative value on failure. */
    int (*write)(void *ctx, const uint8_t *buf, size_t len);
    /* Optional (NULL: SET_BAUD is refused). Returns the current rate, or 0 when the UART cannot make baud; with
     * check_only 0 it first waits until everything written has left the wire and switches to baud. */
    long (*set_baud)(void *ctx, uint32_t baud, int check_only);
    /* Optional: a millisecond clock, for the waits of mcb_link_read_region (NULL: only silent reads count). */
    uint32_t (*millis)(void *ctx);
} mcb_link_io;

/* Facts reported in HELLO_ACK. Strings longer than MCB_PROTO_MAX_NAME_LEN are truncated. */
typedef struct mcb_link_board_info {
    const char *firmware_version;
    const char *board_id;
    uint32_t core_clock_hz;
    uint8_t model_hash[MCB_PROTO_MODEL_HASH_SIZE]; /* first bytes of SHA-256 of the model image */
    uint32_t arena_size;
    uint8_t schedule;        /* mcb_schedule */
    uint16_t split;          /* patch-stage split point (0 for layer schedules) */
    uint16_t patches;        /* patch count of the patch stage (0 for layer schedules) */
    uint8_t time_unit;       /* mcb_time_unit of every latency in STATS */
    uint16_t rx_buffer_size; /* bytes the UART receive path can hold; 0 means "a whole frame" (MCB_FRAME_MAX) */
    uint32_t reset_cause;    /* board-specific reset reason sent in the RESET notice (e.g. RCC_CSR) */
} mcb_link_board_info;

/* Filled by the inference callback; latencies in board_info.time_unit. */
typedef struct mcb_link_stats {
    uint64_t latency_total;
    uint32_t stack_high_water; /* bytes */
    uint32_t arena_high_water; /* bytes */
    uint16_t op_count;         /* ops executed; only the first MCB_LINK_MAX_OPS latencies are reported */
    uint32_t op_latency[MCB_LINK_MAX_OPS];
} mcb_link_stats;

/* Runs one inference. Writes at most output_cap bytes and sets *output_len. Returns 0, or a nonzero status that
 * the host sees as ERROR RUN_FAILED with that status as detail. stats arrives zeroed. */
typedef int (*mcb_link_run_fn)(void *ctx, const uint8_t *input, size_t input_len, uint8_t *output,
                               size_t output_cap, size_t *output_len, mcb_link_stats *stats);

typedef struct mcb_link_config {
    mcb_link_io io;
    const mcb_link_board_info *info;
    uint8_t *input;       /* receives INPUT_CHUNK bytes; never written past input_cap */
    size_t input_cap;
    uint8_t *output;      /* filled by run, read back by OUTPUT_READ */
    size_t output_cap;
    mcb_link_run_fn run;
    void *run_ctx;
    /* 1: the board holds no input buffer (input may be NULL, input_cap 0). RUN needs no upload; the run callback
     * gets no input (NULL, 0) and reads the regions it needs with mcb_link_read_region (docs/protocol.md §5.9). */
    int input_streamed;
} mcb_link_config;

/* A region of the sample being run: rows [y0, y0 + rows) and columns [x0, x0 + cols) of a height x width image of
 * pixel_bytes per pixel (all channels). */
typedef struct mcb_link_region {
    uint32_t height, width, pixel_bytes;
    uint32_t y0, x0, rows, cols;
} mcb_link_region;

/* Why mcb_link_read_region failed. */
#define MCB_LINK_REGION_E_ARG (-1)       /* not inside a streamed RUN, or a region/size that does not add up */
#define MCB_LINK_REGION_E_NO_ANSWER (-2) /* no valid INPUT_REGION after MCB_PROTO_REGION_RETRIES resends */
#define MCB_LINK_REGION_E_REFUSED (-3)   /* the host answered with a nonzero status (region_status) */
#define MCB_LINK_REGION_E_IO (-4)        /* io.read or io.write failed */
#define MCB_LINK_REGION_E_ABORTED (-5)   /* a HELLO arrived: the host started a new session */

typedef enum mcb_link_input_state {
    MCB_INPUT_NONE = 0, /* no input since HELLO or since the last RUN */
    MCB_INPUT_RECEIVING,
    MCB_INPUT_COMPLETE  /* INPUT_END verified, RUN may proceed */
} mcb_link_input_state;

/* All state lives here; declare it static. Fields are read-only for callers (counters are handy in tests). */
typedef struct mcb_link {
    mcb_link_config cfg;
    mcb_frame_decoder rx;
    mcb_link_stats stats;
    uint8_t tx[MCB_FRAME_MAX]; /* the last answer, kept for retransmission */
    size_t tx_len;
    int has_session;
    int has_last;
    uint16_t last_seq;
    uint32_t last_crc;
    uint32_t run_id;
    mcb_link_input_state input_state;
    uint32_t sample;
    uint32_t input_total;
    uint32_t input_received;
    int has_output;
    uint32_t output_sample;
    uint32_t output_len;
    uint32_t runs;       /* inference callbacks made since init */
    uint32_t requests;   /* requests processed (duplicates excluded) */
    uint32_t duplicates; /* retransmitted requests answered from the cache */
    uint32_t baud_previous;     /* the rate before the last SET_BAUD */
    uint32_t baud_probation_ms; /* > 0: a switched rate not yet confirmed by a valid frame */
    uint32_t baud_reverts;      /* switches undone because nothing arrived at the new rate */
    /* Streamed input (mcb_link_read_region) during one RUN. */
    int running;                /* inside the run callback */
    uint32_t run_sample;
    uint16_t region_seq;        /* the board's own sequence numbers for INPUT_REQUEST */
    uint8_t region_tx[MCB_FRAME_OVERHEAD + 24u]; /* the outstanding INPUT_REQUEST, resent as is */
    int region_error;           /* the last MCB_LINK_REGION_E_* of this run, 0 if none */
    uint32_t region_status;     /* the host's refusal status (with E_REFUSED) */
    uint32_t region_requests;   /* INPUT_REQUEST frames sent, resends included */
    uint32_t region_resends;
    uint32_t region_bytes;      /* input bytes received in INPUT_REGIONs */
    uint32_t region_rejected;   /* INPUT_REGION answers with the right seq but a wrong sample, offset or length */
    uint32_t region_ignored;    /* other frames that arrived while waiting for an INPUT_REGION */
} mcb_link;

/* Stores cfg (copied; buffers and info must outlive the link) and sends the RESET notice.
 * Returns 0, or the negative io.write result. */
int mcb_link_init(mcb_link *link, const mcb_link_config *cfg);

/* Processes bytes already received (e.g. drained from an RX ring buffer). Returns 0, or a negative io.write
 * result. */
int mcb_link_feed(mcb_link *link, const uint8_t *data, size_t n);

/* One io.read with the given timeout, then mcb_link_feed (or mcb_link_idle on a timeout). Returns bytes read (0 on
 * timeout) or a negative io result. */
int mcb_link_poll(mcb_link *link, uint32_t timeout_ms);

/* Inside the run callback of a streamed-input link: asks the host for `region` of the sample being run and stores
 * its rows * cols * pixel_bytes bytes (== size) in dst, in INPUT_REQUEST / INPUT_REGION exchanges of at most one
 * frame each. Lost or damaged answers are asked again (same seq) after MCB_PROTO_REGION_TIMEOUT_MS, doubled per
 * resend; an answer with a wrong sample, offset or length is dropped like a damaged one. Frames other than the
 * answer are dropped, except a HELLO, which aborts. Returns 0 or an MCB_LINK_REGION_E_* code (also kept in
 * region_error, so on_run answers the RUN with ERROR INPUT_UNAVAILABLE). */
int mcb_link_read_region(mcb_link *link, const mcb_link_region *region, uint8_t *dst, size_t size);

/* Tells the link that elapsed_ms passed with nothing received (callers of mcb_link_feed call it from their own idle
 * path); reverts an unconfirmed baud switch after MCB_PROTO_BAUD_PROBATION_MS. Returns 0 or a negative io result. */
int mcb_link_idle(mcb_link *link, uint32_t elapsed_ms);

#endif /* MCB_LINK_H */
