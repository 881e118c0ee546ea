/*
 * mcb/runtime.h — load a model image and run it in one caller-provided arena.
 *
 *   mcb_model model;  mcb_diag diag;
 *   if (mcb_model_load(&model, image, image_size, &diag) != MCB_OK) ...   // validates everything, no malloc
 *   mcb_run_config cfg = { arena, arena_bytes, NULL, NULL, NULL, 0 };   // arena >= mcb_model_arena_bytes()
 *   mcb_model_run(&model, &cfg, input, input_size, output, output_size, &diag);
 *
 * The image is read in place and must stay alive and unchanged while the model is used. mcb_model holds
 * only pointers into it, so a model can be shared by threads that each pass their own arena.
 */
#ifndef MCB_RUNTIME_H
#define MCB_RUNTIME_H

#include <stddef.h>
#include <stdint.h>
#include "mcb/image.h"
#include "mcb/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where and why loading or running failed; index is the tensor, op, section or I/O record (-1 if none). */
typedef struct mcb_diag {
  mcb_image_error error;
  int32_t index;
  mcb_status kernel_status; /* the kernel's own status when error == MCB_IMAGE_ERR_KERNEL_FAILED */
} mcb_diag;

typedef struct mcb_model {
  const uint8_t *base;
  const mcb_img_header *header;
  const mcb_img_tensor *tensors;
  uint32_t n_tensors;
  const mcb_img_op *ops;
  uint32_t n_ops;
  const int32_t *indices;
  uint32_t n_indices;
  const uint8_t *params;
  uint32_t params_size;
  const uint8_t *constants;
  uint32_t constants_size;
  const mcb_img_io *io;
  uint32_t n_io;
  uint32_t n_inputs, n_outputs;          /* I/O records of each direction */
  uint32_t input_bytes, output_bytes;    /* external bytes of all inputs / outputs, concatenated */
  const uint32_t *layer_ops;
  uint32_t n_layer_ops;
  const mcb_img_patch_header *patch;     /* NULL for a purely layer-based schedule */
  const uint32_t *stage_ops;
  const mcb_img_patch_step *steps;
  const mcb_img_stream_header *stream;   /* NULL unless some ops run row by row */
  const mcb_img_stream_segment *segments;
  const mcb_img_stream_ring *rings;
  const mcb_img_stream_step *stream_steps;
} mcb_model;

/* Validates the image completely (see docs/model-image.md, "Validation") and fills *model.
 * image must be 16-byte aligned; size may exceed the image's total_size (e.g. a flash region). */
mcb_status mcb_model_load(mcb_model *model, const void *image, size_t size, mcb_diag *diag);

/* Bytes the caller's arena buffer must have: the plan's arena, then the kernel scratch (16-aligned). */
uint32_t mcb_model_arena_bytes(const mcb_model *model);
/* Offset of the scratch area inside that buffer. */
uint32_t mcb_model_scratch_offset(const mcb_model *model);

/* Called after each operator whose outputs are complete in the arena (in patch mode: the last stage op, once
 * every patch is done; in a streamed segment: its last op). cycles: mcb_port_cycles() spent in the op (for a
 * patch stage or a streamed segment: in the whole of it; op_cycles below times each op). */
typedef void (*mcb_op_callback)(void *user, const mcb_model *model, uint32_t op_index, const uint8_t *arena,
                                uint32_t cycles);

/* A rectangle of one model input (NHWC, batch 1): rows [y0, y0 + h), columns [x0, x0 + w), every channel. */
typedef struct mcb_input_region {
  uint32_t input;          /* which input, counted in I/O order among the inputs */
  int32_t height, width;   /* the whole input's rows and columns */
  uint32_t pixel_bytes;    /* external bytes per pixel: channels x external element size */
  int32_t y0, x0, h, w;    /* inside [0, height) x [0, width), h and w >= 1 */
} mcb_input_region;

/* Streamed input: writes the region's external bytes, row by row (h rows of w * pixel_bytes), to dst[0, size),
 * size == h * w * pixel_bytes. Returns 0, or a nonzero code that aborts the run with MCB_ERR_INPUT (diag->index =
 * the code). The runtime asks for each region when the schedule first needs it: a patch's input window when the
 * patch starts, an input row when a streamed segment reaches it, a whole arena input before the first operator. */
typedef int32_t (*mcb_input_reader)(void *user, const mcb_input_region *region, uint8_t *dst, uint32_t size);

typedef struct mcb_run_config {
  uint8_t *arena;          /* 16-byte aligned, arena_size >= mcb_model_arena_bytes() */
  uint32_t arena_size;
  mcb_op_callback on_op;   /* may be NULL */
  void *user;
  /* NULL: the caller passes the whole input to mcb_model_run. Otherwise the input is read region by region
   * through it (mcb_model_run's input must then be NULL and input_size 0), and the cycles on_op reports exclude
   * the time spent in it (on a board it waits for the host). */
  mcb_input_reader read_input;
  void *input_user;
  /* Per-operator time, may be NULL: op_cycles[i] receives the mcb_port_cycles() spent in operator i's kernel
   * calls, summed over every patch of a patch stage and every row of a streamed segment (so each op is timed
   * on its own, never lumped with its stage; a streamed op's time includes moving its output ring). Only ops
   * with i < op_cycles_count are timed; mcb_model_run zeroes those entries first. Copying the network input
   * in (whole, per patch tile or per streamed row) and the output out is counted in no op: the whole run
   * minus the sum of op_cycles is that copying and the executors' bookkeeping between kernel calls. */
  uint32_t *op_cycles;
  uint32_t op_cycles_count;
} mcb_run_config;

/* input: every model input in I/O order, external dtype, concatenated (model->input_bytes);
 * output: every model output likewise (model->output_bytes). */
mcb_status mcb_model_run(const mcb_model *model, const mcb_run_config *config, const void *input,
                         size_t input_size, void *output, size_t output_size, mcb_diag *diag);

/* 1 when the schedule never needs a whole input at once: every input is read in regions (a patch stage's input
 * windows or a streamed segment's rows), so a caller with a reader holds no input buffer. 0 otherwise. */
int mcb_model_input_streamed(const mcb_model *model);

/* Bytes of one element of a dtype code, 0 for an unknown code. */
uint32_t mcb_dtype_size(uint32_t dtype);

/* Name of a loader/interpreter error ("BAD_CRC"). */
const char *mcb_image_error_name(mcb_image_error error);

#ifdef __cplusplus
}
#endif

#endif /* MCB_RUNTIME_H */
