/* Adapters for the shape and layout ops of detection heads (mcb/kernels_layout.h): SHAPE, STRIDED_SLICE,
 * PACK, TILE, RESIZE_BILINEAR. Blocks as harness/pack/layout-params.ts writes them. */
#include <string.h>
#include "mcb/kernels_layout.h"
#include "op_internal.h"

#define SLICE_WORDS 20u                               /* mcb_strided_slice_params */
#define SLICE_BLOCK (SLICE_WORDS + MCB_STRIDED_SLICE_MAX_DIMS) /* + effective input dims */
#define MAX_PACK_INPUTS 16u

static int int8_or_int32(const mcb_img_tensor *t) {
  return t && (t->dtype == MCB_DTYPE_INT8 || t->dtype == MCB_DTYPE_INT32);
}

/* ------------------------------------------------------------------- SHAPE */

static mcb_status shape_check(const mcb_op_ctx *c, mcb_diag *diag) {
  const mcb_img_tensor *in = mcb_operand(c, 0), *out;
  if (c->op->n_inputs != 1 || c->op->n_outputs != 1 || c->np != 0 || !in) return mcb_bad_params(c, diag);
  out = mcb_operand(c, 1);
  return out->dtype == MCB_DTYPE_INT32 && mcb_elements(out) == in->rank ? MCB_OK : mcb_bad_params(c, diag);
}

static mcb_status shape_eval(const mcb_op_ctx *c, const mcb_arena *arena, mcb_diag *diag) {
  mcb_shape s = mcb_shape_of(mcb_operand(c, 0));
  uint8_t *out = mcb_operand_data(c, arena, 1);
  if (!out) return mcb_missing_operand(c, diag);
  return mcb_kernel_status(c, mcb_shape_s32(&s, (int32_t *)out, (int32_t)mcb_elements(mcb_operand(c, 1))), diag);
}

/* ----------------------------------------------------------- STRIDED_SLICE */

/* The effective input shape (new axes inserted) stored after the kernel params. */
static mcb_shape slice_shape(const mcb_op_ctx *c) {
  mcb_shape s;
  int32_t d;
  memset(&s, 0, sizeof(s));
  s.rank = c->p[0];
  for (d = 0; d < MCB_MAX_DIMS; ++d) s.dims[d] = d < MCB_STRIDED_SLICE_MAX_DIMS && d < s.rank ? c->p[SLICE_WORDS + d] : 1;
  return s;
}

static mcb_status slice_check(const mcb_op_ctx *c, mcb_diag *diag) {
  const mcb_img_tensor *in = mcb_operand(c, 0), *out;
  mcb_shape s;
  uint32_t bytes;
  /* begin/end/strides operands may still be listed; the block holds their resolved values. */
  if (c->op->n_inputs < 1 || c->op->n_inputs > 4 || c->op->n_outputs != 1 || c->np != SLICE_BLOCK) return mcb_bad_params(c, diag);
  out = mcb_operand(c, c->op->n_inputs);
  if (!int8_or_int32(in) || out->dtype != in->dtype) return mcb_bad_params(c, diag);
  if (c->p[0] < 1 || c->p[0] > MCB_STRIDED_SLICE_MAX_DIMS) return mcb_bad_params(c, diag);
  s = slice_shape(c);
  /* The effective shape only inserts 1s: it must describe exactly the input's elements. */
  if (!mcb_checked_bytes(s.dims, (uint32_t)s.rank, 1, &bytes) || bytes != mcb_elements(in)) return mcb_bad_params(c, diag);
  return MCB_OK;
}

static mcb_status slice_eval(const mcb_op_ctx *c, const mcb_arena *arena, mcb_diag *diag) {
  mcb_strided_slice_params params;
  mcb_shape s = slice_shape(c);
  const mcb_img_tensor *out_t = mcb_operand(c, c->op->n_inputs);
  uint8_t *in = mcb_operand_data(c, arena, 0), *out = mcb_operand_data(c, arena, c->op->n_inputs);
  int32_t n = (int32_t)mcb_elements(out_t);
  mcb_status st;
  if (!in || !out) return mcb_missing_operand(c, diag);
  memcpy(&params, c->p, sizeof(params));
  if (out_t->dtype == MCB_DTYPE_INT32) st = mcb_strided_slice_s32(&params, &s, (const int32_t *)in, (int32_t *)out, n);
  else st = mcb_strided_slice_s8(&params, &s, (const int8_t *)in, (int8_t *)out, n);
  return mcb_kernel_status(c, st, diag);
}

/* -------------------------------------------------------------------- PACK */

static mcb_status pack_check(const mcb_op_ctx *c, mcb_diag *diag) {
  const mcb_img_tensor *first = mcb_operand(c, 0), *out;
  uint32_t j, d;
  if (c->op->n_inputs < 1 || c->op->n_inputs > MAX_PACK_INPUTS || c->op->n_outputs != 1 || c->np != 2) return mcb_bad_params(c, diag);
  out = mcb_operand(c, c->op->n_inputs);
  if (!int8_or_int32(first) || out->dtype != first->dtype || first->rank >= MCB_MAX_DIMS) return mcb_bad_params(c, diag);
  if (c->p[1] != (int32_t)c->op->n_inputs || c->p[0] < 0 || c->p[0] > (int32_t)first->rank) return mcb_bad_params(c, diag);
  for (j = 1; j < c->op->n_inputs; ++j) {
    const mcb_img_tensor *t = mcb_operand(c, j);
    if (!t || t->dtype != first->dtype || t->rank != first->rank) return mcb_bad_params(c, diag);
    for (d = 0; d < t->rank; ++d)
      if (t->shape[d] != first->shape[d]) return mcb_bad_params(c, diag);
  }
  return (uint64_t)mcb_elements(first) * c->op->n_inputs == mcb_elements(out) ? MCB_OK : mcb_bad_params(c, diag);
}

static mcb_status pack_eval(const mcb_op_ctx *c, const mcb_arena *arena, mcb_diag *diag) {
  const mcb_img_tensor *first = mcb_operand(c, 0);
  const void *inputs[MAX_PACK_INPUTS];
  uint8_t *out = mcb_operand_data(c, arena, c->op->n_inputs);
  mcb_shape s = mcb_shape_of(first);
  uint32_t j;
  s.rank = first->rank; /* scalars (rank 0) are allowed here */
  for (j = 0; j < c->op->n_inputs; ++j)
    if (!(inputs[j] = mcb_operand_data(c, arena, j))) return mcb_missing_operand(c, diag);
  if (!out) return mcb_missing_operand(c, diag);
  if (first->dtype == MCB_DTYPE_INT32)
    return mcb_kernel_status(c, mcb_pack_s32(c->p[0], c->p[1], &s, (const int32_t *const *)inputs, (int32_t *)out), diag);
  return mcb_kernel_status(c, mcb_pack_s8(c->p[0], c->p[1], &s, (const int8_t *const *)inputs, (int8_t *)out), diag);
}

/* -------------------------------------------------------------------- TILE */

static mcb_status tile_check(const mcb_op_ctx *c, mcb_diag *diag) {
  const mcb_img_tensor *in = mcb_operand(c, 0), *mult = mcb_operand(c, 1), *out;
  uint32_t d;
  if (c->op->n_inputs != 2 || c->op->n_outputs != 1 || c->np != 0) return mcb_bad_params(c, diag);
  out = mcb_operand(c, 2);
  if (!int8_or_int32(in) || out->dtype != in->dtype || in->rank == 0 || out->rank != in->rank) return mcb_bad_params(c, diag);
  for (d = 0; d < in->rank; ++d)
    if (in->shape[d] < 1) return mcb_bad_params(c, diag);
  return mult && mult->dtype == MCB_DTYPE_INT32 && mcb_elements(mult) == in->rank ? MCB_OK : mcb_bad_params(c, diag);
}

/* multiples may be computed at run time (SSD: by PACK), so the output size is re-checked on every call. */
static mcb_status tile_eval(const mcb_op_ctx *c, const mcb_arena *arena, mcb_diag *diag) {
  const mcb_img_tensor *in_t = mcb_operand(c, 0), *out_t = mcb_operand(c, 2);
  const int32_t *mult = (const int32_t *)mcb_operand_data(c, arena, 1);
  uint8_t *in = mcb_operand_data(c, arena, 0), *out = mcb_operand_data(c, arena, 2);
  mcb_shape s = mcb_shape_of(in_t);
  uint64_t n = 1;
  uint32_t d;
  if (!in || !out || !mult) return mcb_missing_operand(c, diag);
  for (d = 0; d < in_t->rank; ++d) {
    if (mult[d] < 1 || mult[d] != out_t->shape[d] / in_t->shape[d]) return mcb_kernel_status(c, MCB_ERR_SHAPE, diag);
    n *= (uint64_t)in_t->shape[d] * (uint64_t)mult[d];
    if (n > mcb_elements(out_t)) return mcb_kernel_status(c, MCB_ERR_SHAPE, diag);
  }
  if (n != mcb_elements(out_t)) return mcb_kernel_status(c, MCB_ERR_SHAPE, diag);
  if (in_t->dtype == MCB_DTYPE_INT32)
    return mcb_kernel_status(c, mcb_tile_s32(mult, &s, (const int32_t *)in, (int32_t *)out), diag);
  return mcb_kernel_status(c, mcb_tile_s8(mult, &s, (const int8_t *)in, (int8_t *)out), diag);
}

/* --------------------------------------------------------- RESIZE_BILINEAR */

static mcb_status bilinear_eval(const mcb_op_ctx *c, const mcb_arena *arena, mcb_diag *diag) {
  return mcb_resize_run(c, arena, diag, mcb_resize_bilinear_s8);
}

const mcb_op_def mcb_op_shape = {MCB_OP_SHAPE, shape_check, shape_eval, NULL};
const mcb_op_def mcb_op_strided_slice = {MCB_OP_STRIDED_SLICE, slice_check, slice_eval, NULL};
const mcb_op_def mcb_op_pack = {MCB_OP_PACK, pack_check, pack_eval, NULL};
const mcb_op_def mcb_op_tile = {MCB_OP_TILE, tile_check, tile_eval, NULL};
const mcb_op_def mcb_op_resize_bilinear = {MCB_OP_RESIZE_BILINEAR, mcb_resize_check, bilinear_eval, NULL};
