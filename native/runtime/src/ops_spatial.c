/* Adapters for the spatial ops (CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, AVERAGE/MAX_POOL_2D): parameter
 * blocks are the kernels.h structs word for word, followed for the convolutions by
 * `channels, multiplier[channels], shift[channels]` (docs/model-image.md, "Parameter blocks"). */
#include <string.h>
#include "op_internal.h"

#define CONV_WORDS 10u
#define DEPTHWISE_WORDS 11u
#define FC_WORDS 5u
#define POOL_WORDS 8u
#define CONV_U8_WORDS 14u /* mcb_conv_u8_params: legacy uint8 (TFLite) convolutions, per-tensor */

/* The same window, typed for the legacy uint8 kernels (views share one layout). */
static mcb_view_u8 as_u8(const mcb_view_s8 *v) {
  mcb_view_u8 u;
  u.data = (uint8_t *)v->data;
  u.y0 = v->y0;
  u.x0 = v->x0;
  u.h = v->h;
  u.w = v->w;
  u.c = v->c;
  u.full_h = v->full_h;
  u.full_w = v->full_w;
  return u;
}

/* Activation dtype of a convolution or pool: int8, or uint8 for legacy TFLite models. */
static uint32_t activation_dtype(const mcb_img_tensor *in) {
  return in && in->dtype == MCB_DTYPE_UINT8 ? MCB_DTYPE_UINT8 : MCB_DTYPE_INT8;
}

/* The per-channel tail after `head` words: channels must be 1 or out_c and fill the block exactly. */
static int channel_quant(const mcb_op_ctx *c, uint32_t head, int32_t out_c, mcb_channel_quant *q) {
  int32_t ch;
  if (c->np < head + 1u) return 0;
  ch = c->p[head];
  if (ch != 1 && ch != out_c) return 0;
  if ((uint64_t)c->np != (uint64_t)head + 1u + 2u * (uint64_t)ch) return 0;
  q->multiplier = c->p + head + 1;
  q->shift = q->multiplier + ch;
  q->count = ch;
  return 1;
}

static int constant_of(const mcb_img_tensor *t, uint32_t dtype) {
  return t && t->storage == MCB_STORAGE_CONSTANT && t->dtype == dtype;
}

/* Optional bias: absent, or a constant int32 vector of out_c elements. */
static int bias_ok(const mcb_op_ctx *c, int32_t out_c) {
  const mcb_img_tensor *b = c->op->n_inputs > 2 ? mcb_operand(c, 2) : NULL;
  return !b || (constant_of(b, MCB_DTYPE_INT32) && mcb_elements(b) == (uint32_t)out_c);
}

static const int32_t *bias_of(const mcb_op_ctx *c) {
  const mcb_img_tensor *b = c->op->n_inputs > 2 ? mcb_operand(c, 2) : NULL;
  return b ? (const int32_t *)(c->m->constants + b->offset) : NULL;
}

static mcb_context scratch_of(const mcb_arena *arena) {
  mcb_context ctx;
  ctx.buf = arena->scratch;
  ctx.size = (int32_t)arena->scratch_size;
  return ctx;
}

/* ------------------------------------------------------------------ CONV_2D */

static mcb_filter_s8 conv_filter(const mcb_op_ctx *c) {
  const mcb_img_tensor *f = mcb_operand(c, 1);
  mcb_filter_s8 filter;
  filter.data = (const int8_t *)(c->m->constants + f->offset);
  filter.out_c = f->shape[0];
  filter.h = f->shape[1];
  filter.w = f->shape[2];
  filter.in_c = f->shape[3];
  return filter;
}

static mcb_status conv_check(const mcb_op_ctx *c, mcb_diag *diag) {
  const mcb_img_tensor *in = mcb_operand(c, 0), *f = mcb_operand(c, 1), *out;
  uint32_t dt = activation_dtype(in);
  mcb_channel_quant q;
  if (c->op->n_inputs < 2 || c->op->n_inputs > 3 || c->op->n_outputs != 1) return mcb_bad_params(c, diag);
  out = mcb_operand(c, c->op->n_inputs);
  if (!mcb_is_nhwc1(in, dt) || !mcb_is_nhwc1(out, dt)) return mcb_bad_params(c, diag);
  if (!constant_of(f, dt) || f->rank != 4 || f->shape[0] <= 0 || f->shape[3] <= 0)
    return mcb_bad_params(c, diag);
  if (in->shape[3] % f->shape[3] != 0 || out->shape[3] != f->shape[0] || !bias_ok(c, f->shape[0]))
    return mcb_bad_params(c, diag);
  if (dt == MCB_DTYPE_UINT8) return c->np == CONV_U8_WORDS ? MCB_OK : mcb_bad_params(c, diag);
  if (!channel_quant(c, CONV_WORDS, f->shape[0], &q)) return mcb_bad_params(c, diag);
  return MCB_OK;
}

static mcb_status conv_u8_window(const mcb_op_ctx *c, mcb_step_views *v, mcb_diag *diag) {
  mcb_conv_u8_params params;
  mcb_filter_s8 f = conv_filter(c);
  mcb_filter_u8 filter;
  mcb_view_u8 in = as_u8(&v->in[0]), out = as_u8(&v->out);
  memcpy(&params, c->p, sizeof(params));
  filter.data = (const uint8_t *)f.data;
  filter.out_c = f.out_c;
  filter.h = f.h;
  filter.w = f.w;
  filter.in_c = f.in_c;
  return mcb_kernel_status(c, mcb_conv_2d_u8(&params, &in, &filter, bias_of(c), &out, &v->region), diag);
}

static mcb_status conv_window(const mcb_op_ctx *c, const mcb_arena *arena, mcb_step_views *v, mcb_diag *diag) {
  mcb_conv_params params;
  mcb_channel_quant q;
  mcb_filter_s8 filter = conv_filter(c);
  mcb_context ctx = scratch_of(arena);
  if (mcb_operand(c, 0)->dtype == MCB_DTYPE_UINT8) return conv_u8_window(c, v, diag);
  memcpy(&params, c->p, sizeof(params));
  channel_quant(c, CONV_WORDS, filter.out_c, &q);
  return mcb_kernel_status(c, mcb_conv_2d_s8(&params, &q, &v->in[0], &filter, bias_of(c), &v->out, &v->region, &ctx), diag);
}

/* Whole-tensor call: the same kernel with full views and the whole output as region. */
static mcb_status full_views(const mcb_op_ctx *c, const mcb_arena *arena, mcb_step_views *v) {
  const mcb_img_tensor *in = mcb_operand(c, 0), *out = mcb_operand(c, c->op->n_inputs);
  uint8_t *in_data = mcb_operand_data(c, arena, 0);
  uint8_t *out_data = mcb_operand_data(c, arena, c->op->n_inputs);
  if (!in_data || !out_data) return MCB_ERR_FORMAT;
  v->in[0] = mcb_full_view(in, in_data);
  v->out = mcb_full_view(out, out_data);
  v->region.y0 = 0;
  v->region.x0 = 0;
  v->region.y1 = out->shape[1];
  v->region.x1 = out->shape[2];
  return MCB_OK;
}

static mcb_status via_window(const mcb_op_ctx *c, const mcb_arena *arena, mcb_diag *diag,
                             mcb_status (*window)(const mcb_op_ctx *, const mcb_arena *, mcb_step_views *, mcb_diag *)) {
  mcb_step_views v;
  if (full_views(c, arena, &v) != MCB_OK) return mcb_missing_operand(c, diag);
  return window(c, arena, &v, diag);
}

static mcb_status conv_eval(const mcb_op_ctx *c, const mcb_arena *arena, mcb_diag *diag) {
  return via_window(c, arena, diag, conv_window);
}

/* -------------------------------------------------------- DEPTHWISE_CONV_2D */

static mcb_status depthwise_check(const mcb_op_ctx *c, mcb_diag *diag) {
  const mcb_img_tensor *in = mcb_operand(c, 0), *f = mcb_operand(c, 1), *out;
  uint32_t dt = activation_dtype(in);
  mcb_channel_quant q;
  int32_t mult;
  if (c->op->n_inputs < 2 || c->op->n_inputs > 3 || c->op->n_outputs != 1) return mcb_bad_params(c, diag);
  out = mcb_operand(c, c->op->n_inputs);
  if (!mcb_is_nhwc1(in, dt) || !mcb_is_nhwc1(out, dt)) return mcb_bad_params(c, diag);
  if (!constant_of(f, dt) || f->rank != 4 || f->shape[0] != 1 || f->shape[3] != out->shape[3])
    return mcb_bad_params(c, diag);
  if (c->np < DEPTHWISE_WORDS) return mcb_bad_params(c, diag);
  mult = c->p[6]; /* depth_multiplier sits at word 6 in both the int8 and the uint8 block */
  if (mult < 1 || (int64_t)in->shape[3] * mult != out->shape[3] || !bias_ok(c, out->shape[3]))
    return mcb_bad_params(c, diag);
  if (dt == MCB_DTYPE_UINT8) return c->np == CONV_U8_WORDS ? MCB_OK : mcb_bad_params(c, diag);
  if (!channel_quant(c, DEPTHWISE_WORDS, out->shape[3], &q)) return mcb_bad_params(c, diag);
  return MCB_OK;
}

static mcb_status depthwise_window(const mcb_op_ctx *c, const mcb_arena *arena, mcb_step_views *v, mcb_diag *diag) {
  mcb_depthwise_conv_params params;
  mcb_channel_quant q;
  mcb_depthwise_filter_s8 filter;
  const mcb_img_tensor *f = mcb_operand(c, 1);
  mcb_context ctx = scratch_of(arena);
  if (mcb_operand(c, 0)->dtype == MCB_DTYPE_UINT8) {
    mcb_conv_u8_params u8_params;
    mcb_depthwise_filter_u8 u8_filter;
    mcb_view_u8 in = as_u8(&v->in[0]), out = as_u8(&v->out);
    memcpy(&u8_params, c->p, sizeof(u8_params));
    u8_filter.data = c->m->constants + f->offset;
    u8_filter.h = f->shape[1];
    u8_filter.w = f->shape[2];
    u8_filter.c = f->shape[3];
    return mcb_kernel_status(c, mcb_depthwise_conv_2d_u8(&u8_params, &in, &u8_filter, bias_of(c), &out, &v->region), diag);
  }
  memcpy(&params, c->p, sizeof(params));
  filter.data = (const int8_t *)(c->m->constants + f->offset);
  filter.h = f->shape[1];
  filter.w = f->shape[2];
  filter.c = f->shape[3];
  channel_quant(c, DEPTHWISE_WORDS, filter.c, &q);
  return mcb_kernel_status(c, mcb_depthwise_conv_2d_s8(&params, &q, &v->in[0], &filter, bias_of(c), &v->out,
                                                       &v->region, &ctx), diag);
}

static mcb_status depthwise_eval(const mcb_op_ctx *c, const mcb_arena *arena, mcb_diag *diag) {
  return via_window(c, arena, diag, depthwise_window);
}

/* ---------------------------------------------------------- FULLY_CONNECTED */

static mcb_status fc_check(const mcb_op_ctx *c, mcb_diag *diag) {
  const mcb_img_tensor *in = mcb_operand(c, 0), *f = mcb_operand(c, 1), *out;
  mcb_channel_quant q;
  uint32_t batches;
  if (c->op->n_inputs < 2 || c->op->n_inputs > 3 || c->op->n_outputs != 1) return mcb_bad_params(c, diag);
  out = mcb_operand(c, c->op->n_inputs);
  if (!in || in->dtype != MCB_DTYPE_INT8 || out->dtype != MCB_DTYPE_INT8) return mcb_bad_params(c, diag);
  if (!constant_of(f, MCB_DTYPE_INT8) || f->rank != 2 || f->shape[0] <= 0 || f->shape[1] <= 0)
    return mcb_bad_params(c, diag);
  if (mcb_elements(in) % (uint32_t)f->shape[1] != 0) return mcb_bad_params(c, diag);
  batches = mcb_elements(in) / (uint32_t)f->shape[1];
  if ((uint64_t)batches * (uint32_t)f->shape[0] != mcb_elements(out) || !bias_ok(c, f->shape[0]))
    return mcb_bad_params(c, diag);
  if (!channel_quant(c, FC_WORDS, f->shape[0], &q)) return mcb_bad_params(c, diag);
  return MCB_OK;
}

static mcb_status fc_eval(const mcb_op_ctx *c, const mcb_arena *arena, mcb_diag *diag) {
  mcb_fully_connected_params params;
  mcb_channel_quant q;
  const mcb_img_tensor *f = mcb_operand(c, 1);
  const int8_t *in = (const int8_t *)mcb_operand_data(c, arena, 0);
  int8_t *out = (int8_t *)mcb_operand_data(c, arena, c->op->n_inputs);
  int32_t accum = f->shape[1], out_depth = f->shape[0];
  if (!in || !out) return mcb_missing_operand(c, diag);
  memcpy(&params, c->p, sizeof(params));
  channel_quant(c, FC_WORDS, out_depth, &q);
  return mcb_kernel_status(c, mcb_fully_connected_s8(&params, &q, in, (int32_t)(mcb_elements(mcb_operand(c, 0)) / (uint32_t)accum),
                                                     accum, (const int8_t *)(c->m->constants + f->offset), out_depth,
                                                     bias_of(c), out), diag);
}

/* ------------------------------------------------------------------ POOLING */

static mcb_status pool_check(const mcb_op_ctx *c, mcb_diag *diag) {
  const mcb_img_tensor *in = mcb_operand(c, 0), *out;
  uint32_t dt = activation_dtype(in);
  if (c->op->n_inputs != 1 || c->op->n_outputs != 1 || c->np != POOL_WORDS) return mcb_bad_params(c, diag);
  out = mcb_operand(c, 1);
  if (!mcb_is_nhwc1(in, dt) || !mcb_is_nhwc1(out, dt) || in->shape[3] != out->shape[3]) return mcb_bad_params(c, diag);
  /* Legacy uint8 has an average-pool kernel only. */
  if (dt == MCB_DTYPE_UINT8 && c->op->code != MCB_OP_AVERAGE_POOL_2D) return mcb_fail(diag, MCB_ERR_OP, MCB_IMAGE_ERR_UNSUPPORTED_OP, (int32_t)c->index);
  return MCB_OK;
}

static mcb_status avg_pool_window(const mcb_op_ctx *c, const mcb_arena *arena, mcb_step_views *v, mcb_diag *diag) {
  mcb_pool_params params;
  (void)arena;
  memcpy(&params, c->p, sizeof(params));
  if (mcb_operand(c, 0)->dtype == MCB_DTYPE_UINT8) {
    mcb_view_u8 in = as_u8(&v->in[0]), out = as_u8(&v->out);
    return mcb_kernel_status(c, mcb_avg_pool_2d_u8(&params, &in, &out, &v->region), diag);
  }
  return mcb_kernel_status(c, mcb_avg_pool_2d_s8(&params, &v->in[0], &v->out, &v->region), diag);
}

static mcb_status max_pool_window(const mcb_op_ctx *c, const mcb_arena *arena, mcb_step_views *v, mcb_diag *diag) {
  mcb_pool_params params;
  (void)arena;
  memcpy(&params, c->p, sizeof(params));
  return mcb_kernel_status(c, mcb_max_pool_2d_s8(&params, &v->in[0], &v->out, &v->region), diag);
}

static mcb_status avg_pool_eval(const mcb_op_ctx *c, const mcb_arena *arena, mcb_diag *diag) {
  return via_window(c, arena, diag, avg_pool_window);
}

static mcb_status max_pool_eval(const mcb_op_ctx *c, const mcb_arena *arena, mcb_diag *diag) {
  return via_window(c, arena, diag, max_pool_window);
}

const mcb_op_def mcb_op_conv_2d = {MCB_OP_CONV_2D, conv_check, conv_eval, conv_window};
const mcb_op_def mcb_op_depthwise_conv_2d = {MCB_OP_DEPTHWISE_CONV_2D, depthwise_check, depthwise_eval, depthwise_window};
const mcb_op_def mcb_op_fully_connected = {MCB_OP_FULLY_CONNECTED, fc_check, fc_eval, NULL};
const mcb_op_def mcb_op_average_pool_2d = {MCB_OP_AVERAGE_POOL_2D, pool_check, avg_pool_eval, avg_pool_window};
const mcb_op_def mcb_op_max_pool_2d = {MCB_OP_MAX_POOL_2D, pool_check, max_pool_eval, max_pool_window};
