/* Maps op codes to their adapters (TFLM's op resolver idea). The firmware can define MCB_OPS_ONLY_USED and
 * list fewer tables so the linker drops kernels a packed model does not use. */
#include <string.h>
#include "op_internal.h"

static const struct {
  const mcb_op_def *defs;
  const uint32_t *count;
} tables[] = {
  {mcb_ops_spatial, &mcb_ops_spatial_count},
  {mcb_ops_elementwise, &mcb_ops_elementwise_count},
  {mcb_ops_layout, &mcb_ops_layout_count},
  {mcb_ops_shape, &mcb_ops_shape_count},
};

const mcb_op_def *mcb_op_find(uint32_t code) {
  uint32_t t, i;
  for (t = 0; t < sizeof(tables) / sizeof(tables[0]); ++t)
    for (i = 0; i < *tables[t].count; ++i)
      if (tables[t].defs[i].code == code) return &tables[t].defs[i];
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
