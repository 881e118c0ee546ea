/*
 * mcb/image.h — the on-disk records of a model image (docs/model-image.md is the specification).
 *
 * The image is read in place (it lives in flash on the board), so every record below is a plain struct of
 * naturally aligned little-endian fields whose size is a multiple of 4; the packer
 * (harness/pack/image-layout.ts) writes exactly these layouts and the static asserts pin them down.
 * Nothing here is trusted before mcb_image_load() (runtime.h) has validated it.
 */
#ifndef MCB_IMAGE_H
#define MCB_IMAGE_H

#include <stdint.h>
#include "mcb/image_ids.h"

#ifdef __cplusplus
extern "C" {
#endif

/* File header at offset 0, followed immediately by section_count mcb_img_section entries. */
typedef struct mcb_img_header {
  uint32_t magic;          /* MCB_IMAGE_MAGIC */
  uint16_t version;        /* MCB_IMAGE_VERSION */
  uint16_t header_size;    /* sizeof(mcb_img_header) */
  uint32_t total_size;     /* bytes of the whole image */
  uint32_t crc32;          /* CRC-32 (IEEE 802.3) of bytes [16, total_size) */
  uint32_t flags;          /* reserved, 0 */
  uint32_t arena_size;     /* bytes of the one arena the schedule uses */
  uint32_t scratch_size;   /* bytes of kernel scratch (placed by the caller after the arena) */
  uint32_t section_count;  /* <= MCB_IMAGE_MAX_SECTIONS */
  uint8_t model_hash[32];  /* SHA-256 of bytes [header_size + section table, total_size) */
} mcb_img_header;

typedef struct mcb_img_section {
  uint32_t id;      /* mcb_section_id; each id at most once */
  uint32_t offset;  /* from the image start, multiple of MCB_IMAGE_SECTION_ALIGN */
  uint32_t size;    /* bytes */
  uint32_t count;   /* records (fixed-size sections) or 0 */
} mcb_img_section;

typedef struct mcb_img_tensor {
  uint8_t dtype;        /* mcb_dtype */
  uint8_t rank;         /* 0..MCB_IMAGE_MAX_RANK */
  uint8_t storage;      /* mcb_storage */
  uint8_t reserved;
  int32_t shape[MCB_IMAGE_MAX_RANK]; /* unused dims are 1 */
  uint32_t offset;      /* arena offset (ARENA) or CONSTANTS-section offset (CONSTANT) */
  uint32_t size;        /* bytes = product(shape) * dtype size */
  float scale;          /* per-tensor scale (first one if per-channel), 0 if not quantized */
  int32_t zero_point;
  uint32_t graph_index; /* index of this tensor in the source graph (for per-layer comparisons) */
} mcb_img_tensor;

typedef struct mcb_img_op {
  uint16_t code;           /* mcb_op_code */
  uint8_t n_inputs;
  uint8_t n_outputs;
  uint32_t io_index;       /* first of n_inputs + n_outputs int32 entries in INDICES (inputs first) */
  uint32_t params_offset;  /* in PARAMS, multiple of 4 */
  uint32_t params_size;
  uint32_t scratch_size;   /* bytes this op needs from the shared scratch */
  uint32_t graph_index;    /* operator index in the source graph */
} mcb_img_op;

typedef struct mcb_img_io {
  uint32_t tensor;         /* image tensor index */
  uint8_t direction;       /* mcb_io_direction */
  uint8_t external_dtype;  /* mcb_dtype the caller exchanges */
  uint8_t convert;         /* mcb_io_convert */
  uint8_t reserved;
  uint32_t external_size;  /* bytes the caller exchanges */
  float scale;             /* external <-> tensor conversion (QUANTIZE_FLOAT / DEQUANTIZE_FLOAT) */
  int32_t zero_point;
} mcb_img_io;

/* LAYER_SCHEDULE: count uint32 op indices, run in order (in patch mode: the ops after the patch stage). */

/* PATCH_SCHEDULE: this header, then stage_op_count uint32 op indices, then patch_count * stage_op_count
 * mcb_img_patch_step records (patch-major). */
typedef struct mcb_img_patch_header {
  uint32_t stage_op_count;
  uint32_t patch_count;
  uint32_t input_tensor;   /* network input: lives outside the arena, read tile by tile */
  uint32_t output_tensor;  /* full-size stage output in the arena, written tile by tile by the last stage op */
  uint32_t reserved[4];
} mcb_img_patch_header;

/* Half-open window [y0, y0+h) x [x0, x0+w) of an NHWC tensor, in full-tensor coordinates. */
typedef struct mcb_img_window {
  int32_t y0, x0, h, w;
} mcb_img_window;

typedef struct mcb_img_step_input {
  mcb_img_window window;  /* the part of the op's input tensor this step reads */
  uint32_t offset;        /* arena offset of the tile buffer holding exactly this window, row-major (h*w*c) */
  uint32_t slot;          /* which operand of the op (position among its inputs) */
} mcb_img_step_input;

typedef struct mcb_img_patch_step {
  mcb_img_window out;     /* the part of the op's output tensor this step produces */
  uint32_t out_offset;    /* arena offset of the output tile; the last stage op writes into the full output */
  uint32_t n_inputs;      /* activation inputs described below (<= MCB_IMAGE_MAX_STEP_INPUTS) */
  mcb_img_step_input in[MCB_IMAGE_MAX_STEP_INPUTS];
} mcb_img_patch_step;

/* STREAM_SCHEDULE: header, segments, rings, steps (docs/model-image.md "Stream schedule"). */
typedef struct mcb_img_stream_header {
  uint32_t segment_count;
  uint32_t ring_count;
  uint32_t step_count;
  uint32_t reserved;
} mcb_img_stream_header;

/* Ops [first_op, end_op) run row by row: steps [first_step, first_step + step_count). */
typedef struct mcb_img_stream_segment {
  uint32_t first_op, end_op, first_step, step_count;
} mcb_img_stream_segment;

/* A RING tensor: `rows` rows of at most row_bytes (its widest strip window) at arena `offset`, holding rows
 * [lo, hi) of the current window in order from the start. */
typedef struct mcb_img_stream_ring {
  uint32_t tensor, rows, offset, row_bytes;
} mcb_img_stream_ring;

/* Compute columns [x0, x1) of output row `row` of op `op` (-1: copy them from the network input into its ring),
 * first dropping the output ring's rows below keep_from. A segment run in strips repeats its rows per strip. */
typedef struct mcb_img_stream_step {
  int32_t op, row, keep_from, x0, x1;
} mcb_img_stream_step;

#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define MCB_IMG_ASSERT_SIZE(t, n) _Static_assert(sizeof(t) == (n), #t " layout changed: update image-layout.ts")
#else
#define MCB_IMG_ASSERT_SIZE(t, n) typedef char mcb_img_assert_##t[(sizeof(t) == (n)) ? 1 : -1]
#endif
MCB_IMG_ASSERT_SIZE(mcb_img_header, 64);
MCB_IMG_ASSERT_SIZE(mcb_img_section, 16);
MCB_IMG_ASSERT_SIZE(mcb_img_tensor, 48);
MCB_IMG_ASSERT_SIZE(mcb_img_op, 24);
MCB_IMG_ASSERT_SIZE(mcb_img_io, 20);
MCB_IMG_ASSERT_SIZE(mcb_img_patch_header, 32);
MCB_IMG_ASSERT_SIZE(mcb_img_window, 16);
MCB_IMG_ASSERT_SIZE(mcb_img_step_input, 24);
MCB_IMG_ASSERT_SIZE(mcb_img_patch_step, 72);
MCB_IMG_ASSERT_SIZE(mcb_img_stream_header, 16);
MCB_IMG_ASSERT_SIZE(mcb_img_stream_segment, 16);
MCB_IMG_ASSERT_SIZE(mcb_img_stream_ring, 16);
MCB_IMG_ASSERT_SIZE(mcb_img_stream_step, 20);

#ifdef __cplusplus
}
#endif

#endif /* MCB_IMAGE_H */
