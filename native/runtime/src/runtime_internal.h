/* Declarations shared by the runtime's source files; not part of the public API. */
#ifndef MCB_RUNTIME_INTERNAL_H
#define MCB_RUNTIME_INTERNAL_H

#include "base.h"
#include "mcb/runtime.h"

/* Per-operator timing (interpreter.c): the counter reading to start from (0 when the caller does not time ops),
 * and adding the cycles since `start` to operator op's entry of config->op_cycles. */
uint32_t mcb_op_clock(const mcb_run_config *config);
void mcb_op_clocked(const mcb_run_config *config, uint32_t op, uint32_t start);

/* Per-op checks and dispatch (op_table.c). */
mcb_status mcb_op_check(const mcb_model *m, uint32_t op_index, mcb_diag *diag);
int mcb_op_supported(uint32_t code);

/* Bounds-checked carving of the caller's arena (arena.c). */
typedef struct mcb_arena {
  uint8_t *base;
  uint32_t size;
  uint8_t *scratch;
  uint32_t scratch_size;
} mcb_arena;
mcb_status mcb_arena_init(mcb_arena *arena, const mcb_model *m, const mcb_run_config *config, mcb_diag *diag);
/* Pointer to [offset, offset+size) of the plan's arena, NULL when outside it. */
uint8_t *mcb_arena_at(const mcb_arena *arena, uint32_t offset, uint32_t size);
/* Data of a tensor: the arena or the image's constants; NULL for other storage. */
uint8_t *mcb_tensor_data(const mcb_model *m, const mcb_arena *arena, uint32_t tensor);

/* Runs one op on whole tensors (op_table.c). */
mcb_status mcb_op_eval(const mcb_model *m, const mcb_arena *arena, uint32_t op_index, mcb_diag *diag);

/* The network input of one run (input_source.c): the caller's whole buffer or its reader. wait_cycles: time spent
 * in the reader, which per-op timings leave out. */
typedef struct mcb_input_source {
  const mcb_model *model;
  const uint8_t *whole;
  mcb_input_reader read;
  void *user;
  uint32_t wait_cycles;
} mcb_input_source;
void mcb_input_source_init(mcb_input_source *src, const mcb_model *m, const mcb_run_config *config, const uint8_t *whole);
/* Fills dst with window w of input tensor `tensor`, converted to the tensor's dtype, row-major (h * w * c). */
mcb_status mcb_input_read(mcb_input_source *src, uint32_t tensor, const mcb_img_window *w, uint8_t *dst, mcb_diag *diag);

/* Boundary conversion (io_boundary.c). */
mcb_status mcb_io_copy_in(const mcb_model *m, const mcb_arena *arena, mcb_input_source *input, mcb_diag *diag);
mcb_status mcb_io_copy_out(const mcb_model *m, const mcb_arena *arena, uint8_t *output, mcb_diag *diag);
/* Converts `count` external elements starting at element `first` of input record io into int8/dtype bytes. */
void mcb_io_convert_in(const mcb_img_io *io, const mcb_img_tensor *t, const uint8_t *src, uint8_t *dst,
                       uint32_t count);

/* Patch-based stage (patch_executor.c). */
mcb_status mcb_patch_run(const mcb_model *m, const mcb_arena *arena, mcb_input_source *input,
                         const mcb_run_config *config, mcb_diag *diag);
mcb_status mcb_patch_check(const mcb_model *m, mcb_diag *diag);

/* Row-band streaming (stream_executor.c): the section's checks, the segment starting at an op, running it. */
/* 64: the shared models' stream plans use at most 55; each ring's state lives on the executor's stack. */
#define MCB_STREAM_MAX_RINGS 64u
/* Tallest and widest ringed tensor (rows, columns): the executor keeps a ring's rows and window in 8 bits. */
#define MCB_STREAM_MAX_RING_SIDE 255
mcb_status mcb_stream_load(mcb_model *m, const uint8_t *data, uint32_t size, mcb_diag *diag);
const mcb_img_stream_segment *mcb_stream_segment_at(const mcb_model *m, uint32_t op);
mcb_status mcb_stream_run(const mcb_model *m, const mcb_arena *arena, const mcb_img_stream_segment *seg,
                          mcb_input_source *input, const mcb_run_config *config, mcb_diag *diag);

/* Every op once, producers first, no two live tensors (or patch tiles) sharing bytes (schedule_check.c). */
mcb_status mcb_schedule_check(const mcb_model *m, mcb_diag *diag);

#endif
