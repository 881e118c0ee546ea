/* What every operator adapter (ops_*.c) shares: its view of one op of a loaded model, the checks that make
 * kernel calls safe, and the table entry op_table.c dispatches through. */
#ifndef MCB_OP_INTERNAL_H
#define MCB_OP_INTERNAL_H

#include "mcb/kernels.h"
#include "runtime_internal.h"

typedef struct mcb_op_ctx {
  const mcb_model *m;
  const mcb_img_op *op;
  uint32_t index;
  const int32_t *p;   /* parameter block as int32 words */
  uint32_t np;        /* words in it */
} mcb_op_ctx;

/* One patch step turned into kernel views: in[j] is operand j's tile, out the output tile or full tensor. */
typedef struct mcb_step_views {
  mcb_view_s8 in[MCB_IMAGE_MAX_STEP_INPUTS];
  mcb_view_s8 out;
  mcb_region region;
} mcb_step_views;

typedef struct mcb_op_def {
  uint16_t code;
  /* Load time: parameter block size and operand shapes/dtypes consistent, so eval cannot go out of bounds. */
  mcb_status (*check)(const mcb_op_ctx *c, mcb_diag *diag);
  /* Whole tensors in the arena. */
  mcb_status (*eval)(const mcb_op_ctx *c, const mcb_arena *arena, mcb_diag *diag);
  /* One patch step on windowed views; NULL if the op cannot run inside a patch stage. */
  mcb_status (*eval_window)(const mcb_op_ctx *c, const mcb_arena *arena, mcb_step_views *v, mcb_diag *diag);
} mcb_op_def;

const mcb_op_def *mcb_op_find(uint32_t code);
void mcb_op_context(const mcb_model *m, uint32_t index, mcb_op_ctx *c);

/* Operand j (inputs first) as a tensor descriptor; NULL for an omitted optional input. */
const mcb_img_tensor *mcb_operand(const mcb_op_ctx *c, uint32_t j);
/* Bytes of operand j in the arena or the constants; NULL when it has neither (e.g. a patch tile). */
uint8_t *mcb_operand_data(const mcb_op_ctx *c, const mcb_arena *arena, uint32_t j);
/* The error for an operand whose bytes are not where a whole-tensor op needs them. */
mcb_status mcb_missing_operand(const mcb_op_ctx *c, mcb_diag *diag);
/* Total elements of a validated tensor. */
uint32_t mcb_elements(const mcb_img_tensor *t);
mcb_shape mcb_shape_of(const mcb_img_tensor *t);
/* View of a whole rank-4, batch-1 NHWC tensor. */
mcb_view_s8 mcb_full_view(const mcb_img_tensor *t, uint8_t *data);
int mcb_is_nhwc1(const mcb_img_tensor *t, uint32_t dtype);

mcb_status mcb_bad_params(const mcb_op_ctx *c, mcb_diag *diag);

/* RESIZE_NEAREST_NEIGHBOR and RESIZE_BILINEAR share operands, checks and kernel signature (ops_layout.c). */
typedef mcb_status (*mcb_resize_kernel)(const mcb_resize_params *params, int32_t batches, int32_t in_h, int32_t in_w,
                                        int32_t c, const int8_t *input, int32_t out_h, int32_t out_w, int8_t *output);
mcb_status mcb_resize_check(const mcb_op_ctx *c, mcb_diag *diag);
mcb_status mcb_resize_run(const mcb_op_ctx *c, const mcb_arena *arena, mcb_diag *diag, mcb_resize_kernel kernel);
mcb_status mcb_kernel_status(const mcb_op_ctx *c, mcb_status st, mcb_diag *diag);

/* One definition per op (ops_*.c); op_table.c lists the ones a build includes. */
extern const mcb_op_def mcb_op_conv_2d;
extern const mcb_op_def mcb_op_depthwise_conv_2d;
extern const mcb_op_def mcb_op_fully_connected;
extern const mcb_op_def mcb_op_average_pool_2d;
extern const mcb_op_def mcb_op_max_pool_2d;
extern const mcb_op_def mcb_op_add;
extern const mcb_op_def mcb_op_mul;
extern const mcb_op_def mcb_op_softmax;
extern const mcb_op_def mcb_op_mean;
extern const mcb_op_def mcb_op_quantize;
extern const mcb_op_def mcb_op_dequantize;
extern const mcb_op_def mcb_op_leaky_relu;
extern const mcb_op_def mcb_op_reshape;
extern const mcb_op_def mcb_op_concatenation;
extern const mcb_op_def mcb_op_pad;
extern const mcb_op_def mcb_op_transpose;
extern const mcb_op_def mcb_op_resize_nearest_neighbor;
extern const mcb_op_def mcb_op_shape;
extern const mcb_op_def mcb_op_strided_slice;
extern const mcb_op_def mcb_op_pack;
extern const mcb_op_def mcb_op_tile;
extern const mcb_op_def mcb_op_resize_bilinear;

#endif
