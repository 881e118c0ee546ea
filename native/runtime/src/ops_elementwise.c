/* Adapters for the element-wise and reducing ops: ADD, MUL, SOFTMAX, MEAN, QUANTIZE, DEQUANTIZE, LEAKY_RELU.
 * Parameter blocks are the kernels.h structs word for word. */
#include <string.h>
#include "op_internal.h"

/* One input, one output of the same element count, with the given dtypes and parameter words. */
static int unary_ok(const mcb_op_ctx *c, uint32_t in_dtype, uint32_t out_dtype, uint32_t words) {
  const mcb_img_tensor *in = mcb_operand(c, 0), *out = mcb_operand(c, 1);
  return c->op->n_inputs == 1 && c->op->n_outputs == 1 && in && in->dtype == in_dtype && out->dtype == out_dtype &&
         mcb_elements(in) == mcb_elements(out) && c->np == words;
}

/* ---------------------------------------------------------------- ADD / MUL */

/* Both inputs int8 of rank <= 6 broadcastable to the output (the kernel re-checks the broadcast rule). */
static int binary_ok(const mcb_op_ctx *c, uint32_t words) {
  const mcb_img_tensor *a = mcb_operand(c, 0), *b = mcb_operand(c, 1), *out = mcb_operand(c, 2);
  return c->op->n_inputs == 2 && c->op->n_outputs == 1 && a && b && a->dtype == MCB_DTYPE_INT8 &&
         b->dtype == MCB_DTYPE_INT8 && out->dtype == MCB_DTYPE_INT8 && c->np == words;
}

static mcb_status add_check(const mcb_op_ctx *c, mcb_diag *diag) {
  return binary_ok(c, sizeof(mcb_add_params) / 4u) ? MCB_OK : mcb_bad_params(c, diag);
}

static mcb_status mul_check(const mcb_op_ctx *c, mcb_diag *diag) {
  return binary_ok(c, sizeof(mcb_mul_params) / 4u) ? MCB_OK : mcb_bad_params(c, diag);
}

static mcb_status binary_kernel(const mcb_op_ctx *c, const mcb_shape *s1, const int8_t *a, const mcb_shape *s2,
                                const int8_t *b, const mcb_shape *so, int8_t *out) {
  if (c->op->code == MCB_OP_ADD) {
    mcb_add_params params;
    memcpy(&params, c->p, sizeof(params));
    return mcb_add_s8(&params, s1, a, s2, b, so, out);
  } else {
    mcb_mul_params params;
    memcpy(&params, c->p, sizeof(params));
    return mcb_mul_s8(&params, s1, a, s2, b, so, out);
  }
}

static mcb_status binary_eval(const mcb_op_ctx *c, const mcb_arena *arena, mcb_diag *diag) {
  mcb_shape s1 = mcb_shape_of(mcb_operand(c, 0)), s2 = mcb_shape_of(mcb_operand(c, 1));
  mcb_shape so = mcb_shape_of(mcb_operand(c, 2));
  uint8_t *a = mcb_operand_data(c, arena, 0), *b = mcb_operand_data(c, arena, 1), *out = mcb_operand_data(c, arena, 2);
  if (!a || !b || !out) return mcb_missing_operand(c, diag);
  return mcb_kernel_status(c, binary_kernel(c, &s1, (const int8_t *)a, &s2, (const int8_t *)b, &so, (int8_t *)out), diag);
}

/* Address of full-tensor pixel (y, x) inside a view, NULL when the view does not hold it. */
static int8_t *view_at(const mcb_view_s8 *v, int32_t y, int32_t x) {
  if (y < v->y0 || y >= v->y0 + v->h || x < v->x0 || x >= v->x0 + v->w) return NULL;
  return v->data + ((int64_t)(y - v->y0) * v->w + (x - v->x0)) * v->c;
}

/* Whether a view holds the whole rectangle [y0, y1) x [x0, x1). */
static int view_holds(const mcb_view_s8 *v, int32_t y0, int32_t y1, int32_t x0, int32_t x1) {
  return view_at(v, y0, x0) != NULL && view_at(v, y1 - 1, x1 - 1) != NULL;
}

/* Whether consecutive rows of the region's columns [x0, x0 + w) are adjacent in the view (its rows are exactly
 * those columns), so a run of rows is one contiguous block. */
static int rows_adjacent(const mcb_view_s8 *v, int32_t x0, int32_t w) { return v->x0 == x0 && v->w == w; }

/* Patch step: same-shape operands only. Each operand's tile may hold a larger window than the output, so the
 * region goes to the kernel in runs of rows: one run when every operand's rows are adjacent, else row by row,
 * or (when the output's rows are adjacent and apart from the inputs) runs of as many rows as the kernel scratch
 * holds, the inputs whose rows are not adjacent packed into it. Fewer, longer calls: the DSP ADD twin tabulates
 * each input's rescale once per call, which rows of a few hundred elements do not amortize. */
static mcb_status binary_window(const mcb_op_ctx *c, const mcb_arena *arena, mcb_step_views *v, mcb_diag *diag) {
  const mcb_region *r = &v->region;
  const int32_t w = r->x1 - r->x0, rows = r->y1 - r->y0;
  int32_t y, j, run = 1, packed = 0;
  size_t row_bytes;
  mcb_shape shape;
  if (v->in[0].c != v->out.c || v->in[1].c != v->out.c || w <= 0 || rows <= 0)
    return mcb_kernel_status(c, MCB_ERR_SHAPE, diag);
  if (!view_holds(&v->in[0], r->y0, r->y1, r->x0, r->x1) || !view_holds(&v->in[1], r->y0, r->y1, r->x0, r->x1) ||
      !view_holds(&v->out, r->y0, r->y1, r->x0, r->x1))
    return mcb_kernel_status(c, MCB_ERR_WINDOW, diag);
  row_bytes = (size_t)w * (size_t)v->out.c;
  if (rows_adjacent(&v->out, r->x0, w)) {
    const uintptr_t o = (uintptr_t)view_at(&v->out, r->y0, r->x0), o_end = o + row_bytes * (size_t)rows;
    run = rows;
    for (j = 0; j < 2; ++j) {
      const mcb_view_s8 *in = &v->in[j];
      const uintptr_t a = (uintptr_t)in->data, a_end = a + (size_t)in->h * (size_t)in->w * (size_t)in->c;
      const int apart = o_end <= a || a_end <= o;
      if (rows_adjacent(in, r->x0, w)) {
        /* one block: apart from the output's, or the very same bytes (in place) */
        if (!apart && (uintptr_t)view_at(in, r->y0, r->x0) != o) run = 1;
      } else if (apart) {
        ++packed;
      } else {
        run = 1; /* the output would overwrite rows of this input before they are packed */
      }
    }
    if (run > 1 && packed > 0) {
      const size_t fit = arena->scratch ? arena->scratch_size / ((size_t)packed * row_bytes) : 0;
      run = fit < 2 ? 1 : fit < (size_t)rows ? (int32_t)fit : rows;
    }
  }
  memset(&shape, 0, sizeof(shape));
  shape.rank = 2;
  shape.dims[1] = v->out.c;
  for (y = r->y0; y < r->y1; y += run) {
    const int32_t n = r->y1 - y < run ? r->y1 - y : run;
    const int8_t *src[2];
    uint8_t *slot = arena->scratch;
    mcb_status st;
    for (j = 0; j < 2; ++j) {
      const mcb_view_s8 *in = &v->in[j];
      src[j] = view_at(in, y, r->x0);
      if (n > 1 && !rows_adjacent(in, r->x0, w)) {
        int32_t k;
        for (k = 0; k < n; ++k) memcpy(slot + (size_t)k * row_bytes, view_at(in, y + k, r->x0), row_bytes);
        src[j] = (const int8_t *)slot;
        slot += (size_t)n * row_bytes;
      }
    }
    shape.dims[0] = n * w;
    st = binary_kernel(c, &shape, src[0], &shape, src[1], &shape, view_at(&v->out, y, r->x0));
    if (st != MCB_OK) return mcb_kernel_status(c, st, diag);
  }
  return MCB_OK;
}

/* ---------------------------------------------------------------- SOFTMAX */

static mcb_status softmax_check(const mcb_op_ctx *c, mcb_diag *diag) {
  const mcb_img_tensor *in = mcb_operand(c, 0);
  if (!(unary_ok(c, MCB_DTYPE_INT8, MCB_DTYPE_INT8, 3) || unary_ok(c, MCB_DTYPE_UINT8, MCB_DTYPE_UINT8, 3)) ||
      in->rank < 1 || in->shape[in->rank - 1] <= 0)
    return mcb_bad_params(c, diag);
  return MCB_OK;
}

static mcb_status softmax_eval(const mcb_op_ctx *c, const mcb_arena *arena, mcb_diag *diag) {
  mcb_softmax_params params;
  const mcb_img_tensor *in = mcb_operand(c, 0);
  uint8_t *src = mcb_operand_data(c, arena, 0), *dst = mcb_operand_data(c, arena, 1);
  int32_t depth = in->shape[in->rank - 1];
  if (!src || !dst) return mcb_missing_operand(c, diag);
  memcpy(&params, c->p, sizeof(params));
  if (in->dtype == MCB_DTYPE_UINT8)
    return mcb_kernel_status(c, mcb_softmax_u8(&params, (int32_t)(mcb_elements(in) / (uint32_t)depth), depth, src, dst), diag);
  return mcb_kernel_status(c, mcb_softmax_s8(&params, (int32_t)(mcb_elements(in) / (uint32_t)depth), depth,
                                             (const int8_t *)src, (int8_t *)dst), diag);
}

/* ------------------------------------------------------------------- MEAN */

static mcb_status mean_check(const mcb_op_ctx *c, mcb_diag *diag) {
  const mcb_img_tensor *in = mcb_operand(c, 0), *out;
  uint32_t d, kept = 1, mask;
  /* The axes operand (a constant) may still be listed as input 1; the mask in the block is what counts. */
  if (c->op->n_inputs < 1 || c->op->n_inputs > 2 || c->op->n_outputs != 1 || c->np != 5) return mcb_bad_params(c, diag);
  out = mcb_operand(c, c->op->n_inputs);
  if (!in || in->dtype != MCB_DTYPE_INT8 || out->dtype != MCB_DTYPE_INT8) return mcb_bad_params(c, diag);
  mask = (uint32_t)c->p[4];
  if (mask == 0 || (mask >> in->rank) != 0) return mcb_bad_params(c, diag);
  for (d = 0; d < in->rank; ++d)
    if (!(mask & (1u << d))) kept *= (uint32_t)in->shape[d];
  return kept == mcb_elements(out) ? MCB_OK : mcb_bad_params(c, diag);
}

static mcb_status mean_eval(const mcb_op_ctx *c, const mcb_arena *arena, mcb_diag *diag) {
  mcb_mean_params params;
  mcb_shape s = mcb_shape_of(mcb_operand(c, 0));
  uint8_t *src = mcb_operand_data(c, arena, 0), *dst = mcb_operand_data(c, arena, c->op->n_inputs);
  if (!src || !dst) return mcb_missing_operand(c, diag);
  memcpy(&params, c->p, sizeof(params));
  return mcb_kernel_status(c, mcb_mean_s8(&params, &s, (const int8_t *)src, (int8_t *)dst), diag);
}

/* ------------------------------------------------------ QUANTIZE / DEQUANTIZE */

static mcb_status quantize_check(const mcb_op_ctx *c, mcb_diag *diag) {
  if (unary_ok(c, MCB_DTYPE_FLOAT32, MCB_DTYPE_INT8, 2) || unary_ok(c, MCB_DTYPE_INT8, MCB_DTYPE_INT8, 4) ||
      unary_ok(c, MCB_DTYPE_INT8, MCB_DTYPE_UINT8, 4) || unary_ok(c, MCB_DTYPE_UINT8, MCB_DTYPE_INT8, 4))
    return MCB_OK;
  return mcb_bad_params(c, diag);
}

static mcb_status quantize_eval(const mcb_op_ctx *c, const mcb_arena *arena, mcb_diag *diag) {
  const mcb_img_tensor *in = mcb_operand(c, 0), *out = mcb_operand(c, 1);
  uint8_t *src = mcb_operand_data(c, arena, 0), *dst = mcb_operand_data(c, arena, 1);
  int32_t n = (int32_t)mcb_elements(in);
  mcb_requantize_params rq;
  mcb_status st;
  if (!src || !dst) return mcb_missing_operand(c, diag);
  if (in->dtype == MCB_DTYPE_FLOAT32) {
    mcb_affine_quant q;
    memcpy(&q, c->p, sizeof(q));
    return mcb_kernel_status(c, mcb_quantize_f32_s8(&q, (const float *)src, (int8_t *)dst, n), diag);
  }
  memcpy(&rq, c->p, sizeof(rq));
  if (in->dtype == MCB_DTYPE_UINT8) st = mcb_quantize_u8_s8(&rq, src, (int8_t *)dst, n);
  else if (out->dtype == MCB_DTYPE_UINT8) st = mcb_quantize_s8_u8(&rq, (const int8_t *)src, dst, n);
  else st = mcb_quantize_s8_s8(&rq, (const int8_t *)src, (int8_t *)dst, n);
  return mcb_kernel_status(c, st, diag);
}

/* Patch step for an integer requantize (e.g. the uint8 -> int8 QUANTIZE that opens a uint8 model): row by row
 * over the region, since the input tile may hold a larger window than the output. */
static mcb_status quantize_window(const mcb_op_ctx *c, const mcb_arena *arena, mcb_step_views *v, mcb_diag *diag) {
  const mcb_img_tensor *in = mcb_operand(c, 0), *out = mcb_operand(c, 1);
  int32_t y, n = (v->region.x1 - v->region.x0) * v->out.c;
  mcb_requantize_params rq;
  (void)arena;
  if (in->dtype == MCB_DTYPE_FLOAT32 || v->in[0].c != v->out.c || n <= 0)
    return mcb_kernel_status(c, MCB_ERR_UNSUPPORTED, diag);
  memcpy(&rq, c->p, sizeof(rq));
  for (y = v->region.y0; y < v->region.y1; ++y) {
    int8_t *a = view_at(&v->in[0], y, v->region.x0), *o = view_at(&v->out, y, v->region.x0);
    mcb_status st;
    if (!a || !o || !view_at(&v->in[0], y, v->region.x1 - 1) || !view_at(&v->out, y, v->region.x1 - 1))
      return mcb_kernel_status(c, MCB_ERR_WINDOW, diag);
    if (in->dtype == MCB_DTYPE_UINT8) st = mcb_quantize_u8_s8(&rq, (const uint8_t *)a, o, n);
    else if (out->dtype == MCB_DTYPE_UINT8) st = mcb_quantize_s8_u8(&rq, a, (uint8_t *)o, n);
    else st = mcb_quantize_s8_s8(&rq, a, o, n);
    if (st != MCB_OK) return mcb_kernel_status(c, st, diag);
  }
  return MCB_OK;
}

static mcb_status dequantize_check(const mcb_op_ctx *c, mcb_diag *diag) {
  if (unary_ok(c, MCB_DTYPE_INT8, MCB_DTYPE_FLOAT32, 2) || unary_ok(c, MCB_DTYPE_UINT8, MCB_DTYPE_FLOAT32, 2))
    return MCB_OK;
  return mcb_bad_params(c, diag);
}

static mcb_status dequantize_eval(const mcb_op_ctx *c, const mcb_arena *arena, mcb_diag *diag) {
  const mcb_img_tensor *in = mcb_operand(c, 0);
  uint8_t *src = mcb_operand_data(c, arena, 0), *dst = mcb_operand_data(c, arena, 1);
  mcb_affine_quant q;
  if (!src || !dst) return mcb_missing_operand(c, diag);
  memcpy(&q, c->p, sizeof(q));
  if (in->dtype == MCB_DTYPE_UINT8)
    return mcb_kernel_status(c, mcb_dequantize_u8_f32(&q, src, (float *)dst, (int32_t)mcb_elements(in)), diag);
  return mcb_kernel_status(c, mcb_dequantize_s8_f32(&q, (const int8_t *)src, (float *)dst, (int32_t)mcb_elements(in)), diag);
}

/* ------------------------------------------------------------- LEAKY_RELU */

static mcb_status leaky_check(const mcb_op_ctx *c, mcb_diag *diag) {
  return unary_ok(c, MCB_DTYPE_INT8, MCB_DTYPE_INT8, sizeof(mcb_leaky_relu_params) / 4u) ? MCB_OK : mcb_bad_params(c, diag);
}

static mcb_status leaky_eval(const mcb_op_ctx *c, const mcb_arena *arena, mcb_diag *diag) {
  mcb_leaky_relu_params params;
  uint8_t *src = mcb_operand_data(c, arena, 0), *dst = mcb_operand_data(c, arena, 1);
  if (!src || !dst) return mcb_missing_operand(c, diag);
  memcpy(&params, c->p, sizeof(params));
  return mcb_kernel_status(c, mcb_leaky_relu_s8(&params, (const int8_t *)src, (int8_t *)dst,
                                                (int32_t)mcb_elements(mcb_operand(c, 0))), diag);
}

/* Patch step: row by row over the region (the input tile may hold a larger window than the output). The
 * planner lets a LEAKY_RELU run in place over its input tile, which holds exactly the output region. */
static mcb_status leaky_window(const mcb_op_ctx *c, const mcb_arena *arena, mcb_step_views *v, mcb_diag *diag) {
  mcb_leaky_relu_params params;
  int32_t y, n = (v->region.x1 - v->region.x0) * v->out.c;
  (void)arena;
  if (v->in[0].c != v->out.c || n <= 0) return mcb_kernel_status(c, MCB_ERR_SHAPE, diag);
  memcpy(&params, c->p, sizeof(params));
  for (y = v->region.y0; y < v->region.y1; ++y) {
    int8_t *a = view_at(&v->in[0], y, v->region.x0), *o = view_at(&v->out, y, v->region.x0);
    mcb_status st;
    if (!a || !o || !view_at(&v->in[0], y, v->region.x1 - 1) || !view_at(&v->out, y, v->region.x1 - 1))
      return mcb_kernel_status(c, MCB_ERR_WINDOW, diag);
    st = mcb_leaky_relu_s8(&params, a, o, n);
    if (st != MCB_OK) return mcb_kernel_status(c, st, diag);
  }
  return MCB_OK;
}

const mcb_op_def mcb_op_add = {MCB_OP_ADD, add_check, binary_eval, binary_window};
const mcb_op_def mcb_op_mul = {MCB_OP_MUL, mul_check, binary_eval, binary_window};
const mcb_op_def mcb_op_softmax = {MCB_OP_SOFTMAX, softmax_check, softmax_eval, NULL};
const mcb_op_def mcb_op_mean = {MCB_OP_MEAN, mean_check, mean_eval, NULL};
const mcb_op_def mcb_op_quantize = {MCB_OP_QUANTIZE, quantize_check, quantize_eval, quantize_window};
const mcb_op_def mcb_op_dequantize = {MCB_OP_DEQUANTIZE, dequantize_check, dequantize_eval, NULL};
const mcb_op_def mcb_op_leaky_relu = {MCB_OP_LEAKY_RELU, leaky_check, leaky_eval, leaky_window};
