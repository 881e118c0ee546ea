/* Maps op codes to their adapters (TFLM's op resolver idea). Built with MCB_OPS_ONLY_USED, the table holds
 * only the ops whose MCB_USE_OP_<NAME> is defined too: the firmware build defines them from the model image
 * (harness/build/ops-used.ts), so the linker (--gc-sections) drops every adapter and kernel the model does not
 * use, and an image with another op fails to load with MCB_IMAGE_ERR_UNSUPPORTED_OP. */
#include <stddef.h>
#include <string.h>
#include "op_internal.h"

static const mcb_op_def *const ops[] = {
#if !defined(MCB_OPS_ONLY_USED) || defined(MCB_USE_OP_CONV_2D)
    &mcb_op_conv_2d,
#endif
#if !defined(MCB_OPS_ONLY_USED) || defined(MCB_USE_OP_DEPTHWISE_CONV_2D)
    &mcb_op_depthwise_conv_2d,
#endif
#if !defined(MCB_OPS_ONLY_USED) || defined(MCB_USE_OP_FULLY_CONNECTED)
    &mcb_op_fully_connected,
#endif
#if !defined(MCB_OPS_ONLY_USED) || defined(MCB_USE_OP_AVERAGE_POOL_2D)
    &mcb_op_average_pool_2d,
#endif
#if !defined(MCB_OPS_ONLY_USED) || defined(MCB_USE_OP_MAX_POOL_2D)
    &mcb_op_max_pool_2d,
#endif
#if !defined(MCB_OPS_ONLY_USED) || defined(MCB_USE_OP_ADD)
    &mcb_op_add,
#endif
#if !defined(MCB_OPS_ONLY_USED) || defined(MCB_USE_OP_MUL)
    &mcb_op_mul,
#endif
#if !defined(MCB_OPS_ONLY_USED) || defined(MCB_USE_OP_SOFTMAX)
    &mcb_op_softmax,
#endif
#if !defined(MCB_OPS_ONLY_USED) || defined(MCB_USE_OP_MEAN)
    &mcb_op_mean,
#endif
#if !defined(MCB_OPS_ONLY_USED) || defined(MCB_USE_OP_QUANTIZE)
    &mcb_op_quantize,
#endif
#if !defined(MCB_OPS_ONLY_USED) || defined(MCB_USE_OP_DEQUANTIZE)
    &mcb_op_dequantize,
#endif
#if !defined(MCB_OPS_ONLY_USED) || defined(MCB_USE_OP_LEAKY_RELU)
    &mcb_op_leaky_relu,
#endif
#if !defined(MCB_OPS_ONLY_USED) || defined(MCB_USE_OP_RESHAPE)
    &mcb_op_reshape,
#endif
#if !defined(MCB_OPS_ONLY_USED) || defined(MCB_USE_OP_CONCATENATION)
    &mcb_op_concatenation,
#endif
#if !defined(MCB_OPS_ONLY_USED) || defined(MCB_USE_OP_PAD)
    &mcb_op_pad,
#endif
#if !defined(MCB_OPS_ONLY_USED) || defined(MCB_USE_OP_TRANSPOSE)
    &mcb_op_transpose,
#endif
#if !defined(MCB_OPS_ONLY_USED) || defined(MCB_USE_OP_RESIZE_NEAREST_NEIGHBOR)
    &mcb_op_resize_nearest_neighbor,
#endif
#if !defined(MCB_OPS_ONLY_USED) || defined(MCB_USE_OP_SHAPE)
    &mcb_op_shape,
#endif
#if !defined(MCB_OPS_ONLY_USED) || defined(MCB_USE_OP_STRIDED_SLICE)
    &mcb_op_strided_slice,
#endif
#if !defined(MCB_OPS_ONLY_USED) || defined(MCB_USE_OP_PACK)
    &mcb_op_pack,
#endif
#if !defined(MCB_OPS_ONLY_USED) || defined(MCB_USE_OP_TILE)
    &mcb_op_tile,
#endif
#if !defined(MCB_OPS_ONLY_USED) || defined(MCB_USE_OP_RESIZE_BILINEAR)
    &mcb_op_resize_bilinear,
#endif
    NULL, /* keeps the array non-empty whatever the selection */
};

const mcb_op_def *mcb_op_find(uint32_t code) {
  uint32_t i;
  for (i = 0; ops[i] != NULL; ++i)
    if (ops[i]->code == code) return ops[i];
  return NULL;
}

int mcb_op_supported(uint32_t code) { return mcb_op_find(code) != NULL; }

void mcb_op_context(const mcb_model *m, uint32_t index, mcb_op_ctx *c) {
  c->m = m;
  c->op = &m->ops[index];
  c->index = index;
  /* params_offset is a validated multiple of 4 inside PARAMS, which starts 16-aligned. */
  c->p = c->op->params_size ? (const int32_t *)(m->params + c->op->params_offset) : NULL;
  c->np = c->op->params_size / 4u;
}

const mcb_img_tensor *mcb_operand(const mcb_op_ctx *c, uint32_t j) {
  int32_t t;
  if (j >= (uint32_t)c->op->n_inputs + c->op->n_outputs) return NULL;
  t = mcb_op_tensor(c->m, c->op, j);
  return t < 0 ? NULL : &c->m->tensors[t];
}

uint8_t *mcb_operand_data(const mcb_op_ctx *c, const mcb_arena *arena, uint32_t j) {
  return mcb_tensor_data(c->m, arena, (uint32_t)mcb_op_tensor(c->m, c->op, j));
}

mcb_status mcb_missing_operand(const mcb_op_ctx *c, mcb_diag *diag) {
  return mcb_fail(diag, MCB_ERR_FORMAT, MCB_IMAGE_ERR_BAD_OP, (int32_t)c->index);
}

uint32_t mcb_elements(const mcb_img_tensor *t) { return t->size / mcb_dtype_size(t->dtype); }

mcb_shape mcb_shape_of(const mcb_img_tensor *t) {
  mcb_shape s;
  uint32_t d;
  memset(&s, 0, sizeof(s));
  s.rank = t->rank ? t->rank : 1;
  for (d = 0; d < MCB_MAX_DIMS; ++d) s.dims[d] = d < t->rank ? t->shape[d] : 1;
  return s;
}

int mcb_is_nhwc1(const mcb_img_tensor *t, uint32_t dtype) {
  return t && t->dtype == dtype && t->rank == 4 && t->shape[0] == 1 && t->shape[1] > 0 && t->shape[2] > 0 &&
         t->shape[3] > 0;
}

mcb_view_s8 mcb_full_view(const mcb_img_tensor *t, uint8_t *data) {
  mcb_view_s8 v;
  v.data = (int8_t *)data;
  v.y0 = 0;
  v.x0 = 0;
  v.h = v.full_h = t->shape[1];
  v.w = v.full_w = t->shape[2];
  v.c = t->shape[3];
  return v;
}

mcb_status mcb_bad_params(const mcb_op_ctx *c, mcb_diag *diag) {
  return mcb_fail(diag, MCB_ERR_FORMAT, MCB_IMAGE_ERR_BAD_PARAMS, (int32_t)c->index);
}

mcb_status mcb_kernel_status(const mcb_op_ctx *c, mcb_status st, mcb_diag *diag) {
  if (st == MCB_OK) return MCB_OK;
  mcb_fail(diag, st, MCB_IMAGE_ERR_KERNEL_FAILED, (int32_t)c->index);
  if (diag) diag->kernel_status = st;
  return st;
}

mcb_status mcb_op_check(const mcb_model *m, uint32_t op_index, mcb_diag *diag) {
  mcb_op_ctx c;
  const mcb_op_def *def = mcb_op_find(m->ops[op_index].code);
  if (!def) return mcb_fail(diag, MCB_ERR_OP, MCB_IMAGE_ERR_UNSUPPORTED_OP, (int32_t)op_index);
  mcb_op_context(m, op_index, &c);
  return def->check(&c, diag);
}

mcb_status mcb_op_eval(const mcb_model *m, const mcb_arena *arena, uint32_t op_index, mcb_diag *diag) {
  mcb_op_ctx c;
  const mcb_op_def *def = mcb_op_find(m->ops[op_index].code);
  if (!def) return mcb_fail(diag, MCB_ERR_OP, MCB_IMAGE_ERR_UNSUPPORTED_OP, (int32_t)op_index);
  mcb_op_context(m, op_index, &c);
  return def->eval(&c, arena, diag);
}
