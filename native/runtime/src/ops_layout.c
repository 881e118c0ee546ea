/* Adapters for the data-movement ops: RESHAPE, CONCATENATION, PAD, TRANSPOSE, RESIZE_NEAREST_NEIGHBOR. */
#include <string.h>
#include "op_internal.h"

#define MAX_CONCAT_INPUTS 16u

/* ---------------------------------------------------------------- RESHAPE */

/* inputs = [data] (the importer drops the shape operand); same bytes, usually the same arena offset. */
static mcb_status reshape_check(const mcb_op_ctx *c, mcb_diag *diag) {
  const mcb_img_tensor *in = mcb_operand(c, 0), *out;
  if (c->op->n_inputs < 1 || c->op->n_outputs != 1 || c->np != 0) return mcb_bad_params(c, diag);
  out = mcb_operand(c, c->op->n_inputs);
  return in && in->size == out->size ? MCB_OK : mcb_bad_params(c, diag);
}

static mcb_status reshape_eval(const mcb_op_ctx *c, const mcb_arena *arena, mcb_diag *diag) {
  uint8_t *src = mcb_operand_data(c, arena, 0), *dst = mcb_operand_data(c, arena, c->op->n_inputs);
  if (!src || !dst) return mcb_missing_operand(c, diag);
  if (src != dst) memmove(dst, src, mcb_operand(c, 0)->size);
  return MCB_OK;
}

/* ---------------------------------------------------------- CONCATENATION */

static mcb_status concat_check(const mcb_op_ctx *c, mcb_diag *diag) {
  const mcb_img_tensor *out;
  uint32_t j;
  if (c->op->n_inputs < 1 || c->op->n_inputs > MAX_CONCAT_INPUTS || c->op->n_outputs != 1 || c->np != 1)
    return mcb_bad_params(c, diag);
  out = mcb_operand(c, c->op->n_inputs);
  if (out->dtype != MCB_DTYPE_INT8) return mcb_bad_params(c, diag);
  for (j = 0; j < c->op->n_inputs; ++j) {
    const mcb_img_tensor *in = mcb_operand(c, j);
    if (!in || in->dtype != MCB_DTYPE_INT8 || in->rank != out->rank) return mcb_bad_params(c, diag);
  }
  return MCB_OK;
}

static mcb_status concat_eval(const mcb_op_ctx *c, const mcb_arena *arena, mcb_diag *diag) {
  mcb_shape shapes[MAX_CONCAT_INPUTS], out_shape = mcb_shape_of(mcb_operand(c, c->op->n_inputs));
  const mcb_shape *shape_ptrs[MAX_CONCAT_INPUTS];
  const int8_t *inputs[MAX_CONCAT_INPUTS];
  uint8_t *out = mcb_operand_data(c, arena, c->op->n_inputs);
  uint32_t j;
  for (j = 0; j < c->op->n_inputs; ++j) {
    shapes[j] = mcb_shape_of(mcb_operand(c, j));
    shape_ptrs[j] = &shapes[j];
    inputs[j] = (const int8_t *)mcb_operand_data(c, arena, j);
    if (!inputs[j]) return mcb_missing_operand(c, diag);
  }
  if (!out) return mcb_missing_operand(c, diag);
  return mcb_kernel_status(c, mcb_concatenation_s8(c->p[0], (int32_t)c->op->n_inputs, shape_ptrs, inputs, &out_shape,
                                                   (int8_t *)out), diag);
}

/* -------------------------------------------------------------------- PAD */

/* Block: before[6], after[6], pad_value (as int32). */
static mcb_status pad_check(const mcb_op_ctx *c, mcb_diag *diag) {
  const mcb_img_tensor *in = mcb_operand(c, 0), *out;
  uint32_t d;
  if (c->op->n_inputs < 1 || c->op->n_inputs > 3 || c->op->n_outputs != 1 || c->np != 2u * MCB_MAX_DIMS + 1u)
    return mcb_bad_params(c, diag);
  out = mcb_operand(c, c->op->n_inputs);
  if (!in || in->dtype != MCB_DTYPE_INT8 || out->dtype != MCB_DTYPE_INT8 || in->rank != out->rank)
    return mcb_bad_params(c, diag);
  if (c->p[2 * MCB_MAX_DIMS] < -128 || c->p[2 * MCB_MAX_DIMS] > 127) return mcb_bad_params(c, diag);
  for (d = 0; d < in->rank; ++d) {
    int64_t want = (int64_t)c->p[d] + in->shape[d] + c->p[MCB_MAX_DIMS + d];
    if (c->p[d] < 0 || c->p[MCB_MAX_DIMS + d] < 0 || want != out->shape[d]) return mcb_bad_params(c, diag);
  }
  return MCB_OK;
}

static mcb_status pad_eval(const mcb_op_ctx *c, const mcb_arena *arena, mcb_diag *diag) {
  mcb_pad_params params;
  mcb_shape s = mcb_shape_of(mcb_operand(c, 0));
  uint8_t *src = mcb_operand_data(c, arena, 0), *dst = mcb_operand_data(c, arena, c->op->n_inputs);
  if (!src || !dst) return mcb_missing_operand(c, diag);
  memcpy(params.before, c->p, sizeof(params.before));
  memcpy(params.after, c->p + MCB_MAX_DIMS, sizeof(params.after));
  params.pad_value = (int8_t)c->p[2 * MCB_MAX_DIMS];
  return mcb_kernel_status(c, mcb_pad_s8(&params, &s, (const int8_t *)src, (int8_t *)dst), diag);
}

/* -------------------------------------------------------------- TRANSPOSE */

/* Block: perm[6] (entries past the rank unused); the perm operand may still be listed as input 1. */
static mcb_status transpose_check(const mcb_op_ctx *c, mcb_diag *diag) {
  const mcb_img_tensor *in = mcb_operand(c, 0), *out;
  uint32_t d, seen = 0;
  if (c->op->n_inputs < 1 || c->op->n_inputs > 2 || c->op->n_outputs != 1 || c->np != MCB_MAX_DIMS)
    return mcb_bad_params(c, diag);
  out = mcb_operand(c, c->op->n_inputs);
  if (!in || in->dtype != MCB_DTYPE_INT8 || out->dtype != MCB_DTYPE_INT8 || in->rank != out->rank || in->rank == 0)
    return mcb_bad_params(c, diag);
  for (d = 0; d < in->rank; ++d) {
    int32_t p = c->p[d];
    if (p < 0 || (uint32_t)p >= in->rank || (seen & (1u << p)) || out->shape[d] != in->shape[p]) return mcb_bad_params(c, diag);
    seen |= 1u << p;
  }
  return MCB_OK;
}

static mcb_status transpose_eval(const mcb_op_ctx *c, const mcb_arena *arena, mcb_diag *diag) {
  mcb_shape s = mcb_shape_of(mcb_operand(c, 0));
  uint8_t *src = mcb_operand_data(c, arena, 0), *dst = mcb_operand_data(c, arena, c->op->n_inputs);
  if (!src || !dst) return mcb_missing_operand(c, diag);
  return mcb_kernel_status(c, mcb_transpose_s8(c->p, &s, (const int8_t *)src, (int8_t *)dst), diag);
}

/* ---------------------------------------------------- RESIZE_NEAREST_NEIGHBOR */

mcb_status mcb_resize_check(const mcb_op_ctx *c, mcb_diag *diag) {
  const mcb_img_tensor *in = mcb_operand(c, 0), *out;
  if (c->op->n_inputs < 1 || c->op->n_inputs > 2 || c->op->n_outputs != 1 || c->np != 2) return mcb_bad_params(c, diag);
  out = mcb_operand(c, c->op->n_inputs);
  if (!in || in->dtype != MCB_DTYPE_INT8 || out->dtype != MCB_DTYPE_INT8 || in->rank != 4 || out->rank != 4 ||
      in->shape[0] != out->shape[0] || in->shape[3] != out->shape[3])
    return mcb_bad_params(c, diag);
  return MCB_OK;
}

mcb_status mcb_resize_run(const mcb_op_ctx *c, const mcb_arena *arena, mcb_diag *diag, mcb_resize_kernel kernel) {
  const mcb_img_tensor *in = mcb_operand(c, 0), *out = mcb_operand(c, c->op->n_inputs);
  uint8_t *src = mcb_operand_data(c, arena, 0), *dst = mcb_operand_data(c, arena, c->op->n_inputs);
  mcb_resize_params params;
  if (!src || !dst) return mcb_missing_operand(c, diag);
  memcpy(&params, c->p, sizeof(params));
  return mcb_kernel_status(c, kernel(&params, in->shape[0], in->shape[1], in->shape[2], in->shape[3], (const int8_t *)src,
                                     out->shape[1], out->shape[2], (int8_t *)dst), diag);
}

static mcb_status resize_eval(const mcb_op_ctx *c, const mcb_arena *arena, mcb_diag *diag) {
  return mcb_resize_run(c, arena, diag, mcb_resize_nearest_neighbor_s8);
}

const mcb_op_def mcb_op_reshape = {MCB_OP_RESHAPE, reshape_check, reshape_eval, NULL};
const mcb_op_def mcb_op_concatenation = {MCB_OP_CONCATENATION, concat_check, concat_eval, NULL};
const mcb_op_def mcb_op_pad = {MCB_OP_PAD, pad_check, pad_eval, NULL};
const mcb_op_def mcb_op_transpose = {MCB_OP_TRANSPOSE, transpose_check, transpose_eval, NULL};
const mcb_op_def mcb_op_resize_nearest_neighbor = {MCB_OP_RESIZE_NEAREST_NEIGHBOR, mcb_resize_check, resize_eval, NULL};
