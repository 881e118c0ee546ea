/* Row-band streaming (docs/model-image.md, "Stream schedule"): the ops of a segment run row by row, each output
 * row computed once per strip. A RING tensor keeps only the rows its readers still need, in order from its
 * buffer's start (rows [lo, hi) of the current strip's column window); before a step writes row `row`, the
 * rows below keep_from are dropped by moving the kept ones down. Kernels see a ring as a window of its full
 * tensor, so they run unchanged (eval_window) and refuse reads outside it. A segment run in strips restarts
 * every ring at row 0 with the next strip's window; its whole output is written strip by strip, each pixel
 * exactly once. The network input of a segment starting at op 0 is a ring too, filled row by row. */
#include <string.h>
#include "mcb/port.h"
#include "op_internal.h"

static mcb_status bad_stream(mcb_diag *diag, int32_t index) {
  return mcb_fail(diag, MCB_ERR_FORMAT, MCB_IMAGE_ERR_BAD_SCHEDULE, index);
}

/* Ring of a RING tensor, or -1. */
static int32_t ring_of(const mcb_model *m, int32_t tensor) {
  uint32_t r;
  for (r = 0; r < m->stream->ring_count; ++r)
    if ((int32_t)m->rings[r].tensor == tensor) return (int32_t)r;
  return -1;
}

const mcb_img_stream_segment *mcb_stream_segment_at(const mcb_model *m, uint32_t op) {
  uint32_t s;
  if (!m->stream) return NULL;
  for (s = 0; s < m->stream->segment_count; ++s)
    if (m->segments[s].first_op == op) return &m->segments[s];
  return NULL;
}

/* The network input a segment's op -1 steps copy rows of, or -1 when it has none. */
static int32_t ringed_input(const mcb_model *m) {
  uint32_t i;
  for (i = 0; i < m->n_io; ++i)
    if (m->io[i].direction == MCB_IO_INPUT && m->tensors[m->io[i].tensor].storage == MCB_STORAGE_RING) return (int32_t)m->io[i].tensor;
  return -1;
}

static int segment_of(const mcb_model *m, uint32_t op) {
  uint32_t s;
  for (s = 0; s < m->stream->segment_count; ++s)
    if (op >= m->segments[s].first_op && op < m->segments[s].end_op) return (int)s;
  return -1;
}

static int row_tensor_ok(const mcb_img_tensor *t) {
  return mcb_is_nhwc1(t, t->dtype) && mcb_dtype_size(t->dtype) == 1;
}

mcb_status mcb_stream_load(mcb_model *m, const uint8_t *data, uint32_t size, mcb_diag *diag) {
  const mcb_img_stream_header *h = (const mcb_img_stream_header *)data;
  uint64_t need;
  uint32_t s, r, k, t;
  int32_t input;
  if (size < sizeof(*h)) return bad_stream(diag, -1);
  need = sizeof(*h) + (uint64_t)h->segment_count * sizeof(mcb_img_stream_segment) +
         (uint64_t)h->ring_count * sizeof(mcb_img_stream_ring) + (uint64_t)h->step_count * sizeof(mcb_img_stream_step);
  if (need != size || h->segment_count == 0 || m->patch || h->ring_count > MCB_STREAM_MAX_RINGS) return bad_stream(diag, -1);
  m->stream = h;
  m->segments = (const mcb_img_stream_segment *)(data + sizeof(*h));
  m->rings = (const mcb_img_stream_ring *)(m->segments + h->segment_count);
  m->stream_steps = (const mcb_img_stream_step *)(m->rings + h->ring_count);
  input = ringed_input(m);

  /* Rings: one per RING tensor, rows of the tensor's width inside the arena. */
  for (r = 0; r < h->ring_count; ++r) {
    const mcb_img_stream_ring *g = &m->rings[r];
    const mcb_img_tensor *tt;
    if (g->tensor >= m->n_tensors || ring_of(m, (int32_t)g->tensor) != (int32_t)r) return bad_stream(diag, (int32_t)r);
    tt = &m->tensors[g->tensor];
    if (tt->storage != MCB_STORAGE_RING || !row_tensor_ok(tt) || tt->shape[1] > 0xFFFF || tt->shape[2] > 0xFFFF ||
        g->rows == 0 || g->rows > (uint32_t)tt->shape[1] ||
        g->row_bytes == 0 || g->row_bytes % (uint32_t)tt->shape[3] != 0 ||
        g->row_bytes > (uint32_t)tt->shape[2] * (uint32_t)tt->shape[3] || g->offset > m->header->arena_size ||
        (uint64_t)g->rows * g->row_bytes > (uint64_t)(m->header->arena_size - g->offset))
      return bad_stream(diag, (int32_t)r);
  }
  for (t = 0; t < m->n_tensors; ++t)
    if (m->tensors[t].storage == MCB_STORAGE_RING && ring_of(m, (int32_t)t) < 0) return bad_stream(diag, -1);

  /* Segments: ascending, disjoint, steps partitioned in order; each a run of the layer schedule. */
  for (s = 0; s < h->segment_count; ++s) {
    const mcb_img_stream_segment *g = &m->segments[s];
    uint32_t p, strips = 0;
    if (g->first_op >= g->end_op || g->end_op > m->n_ops || (s > 0 && g->first_op < m->segments[s - 1].end_op))
      return bad_stream(diag, (int32_t)s);
    if (g->first_step != (s == 0 ? 0 : m->segments[s - 1].first_step + m->segments[s - 1].step_count) ||
        (uint64_t)g->first_step + g->step_count > h->step_count)
      return bad_stream(diag, (int32_t)s);
    for (p = 0; p < m->n_layer_ops && m->layer_ops[p] != g->first_op; ++p) {}
    if (p + (g->end_op - g->first_op) > m->n_layer_ops) return bad_stream(diag, (int32_t)s);
    for (k = 0; k < g->end_op - g->first_op; ++k)
      if (m->layer_ops[p + k] != g->first_op + k) return bad_stream(diag, (int32_t)s);
    /* Strips: the last op computes every output row once per strip. */
    {
      const mcb_img_op *last = &m->ops[g->end_op - 1];
      const mcb_img_tensor *out = &m->tensors[mcb_op_tensor(m, last, last->n_inputs)];
      for (k = 0; k < g->step_count; ++k) strips += m->stream_steps[g->first_step + k].op == (int32_t)(g->end_op - 1);
      if (out->shape[1] <= 0 || strips == 0 || strips % (uint32_t)out->shape[1] != 0) return bad_stream(diag, (int32_t)s);
      strips /= (uint32_t)out->shape[1];
    }
    /* Ops: windowable, one row-shaped output: a ring inside, the whole segment output at the end. */
    for (k = g->first_op; k < g->end_op; ++k) {
      const mcb_img_op *op = &m->ops[k];
      const mcb_op_def *def = mcb_op_find(op->code);
      const mcb_img_tensor *out = &m->tensors[mcb_op_tensor(m, op, op->n_inputs)];
      uint32_t j, rows = 0, q;
      if (!def || !def->eval_window || op->n_outputs != 1 || !row_tensor_ok(out) ||
          out->storage != (k + 1 == g->end_op ? MCB_STORAGE_ARENA : MCB_STORAGE_RING) || op->n_inputs > MCB_IMAGE_MAX_STEP_INPUTS + 1)
        return bad_stream(diag, (int32_t)s);
      for (j = 0; j < op->n_inputs; ++j) {
        int32_t ti = mcb_op_tensor(m, op, j);
        const mcb_img_tensor *in;
        if (ti < 0) continue;
        in = &m->tensors[ti];
        if (in->storage == MCB_STORAGE_CONSTANT) continue;
        if (j >= MCB_IMAGE_MAX_STEP_INPUTS || !row_tensor_ok(in)) return bad_stream(diag, (int32_t)s);
        if (in->storage == MCB_STORAGE_RING) {
          /* A ring is read only inside its own segment. */
          int producer_here = 0;
          for (q = g->first_op; q < g->end_op; ++q)
            if (mcb_op_tensor(m, &m->ops[q], m->ops[q].n_inputs) == ti) producer_here = 1;
          if (!producer_here && !(ti == input && g->first_op == 0)) return bad_stream(diag, (int32_t)s);
        } else if (in->storage != MCB_STORAGE_ARENA) {
          return bad_stream(diag, (int32_t)s);
        }
      }
      /* Every row of the output once per strip (the executor checks the order while running). */
      for (q = 0; q < g->step_count; ++q)
        if (m->stream_steps[g->first_step + q].op == (int32_t)k) rows++;
      if ((uint64_t)rows != (uint64_t)out->shape[1] * strips) return bad_stream(diag, (int32_t)s);
    }
    for (k = 0; k < g->step_count; ++k) {
      const mcb_img_stream_step *st = &m->stream_steps[g->first_step + k];
      const mcb_img_tensor *wrote;
      int32_t ring;
      if (st->op == -1) {
        if (input < 0 || g->first_op != 0) return bad_stream(diag, (int32_t)(g->first_step + k));
        wrote = &m->tensors[input];
      } else if (st->op >= (int32_t)g->first_op && st->op < (int32_t)g->end_op) {
        const mcb_img_op *op = &m->ops[st->op];
        wrote = &m->tensors[mcb_op_tensor(m, op, op->n_inputs)];
      } else {
        return bad_stream(diag, (int32_t)(g->first_step + k));
      }
      /* Columns inside the tensor and, for a ring, no wider than its rows. */
      ring = ring_of(m, (int32_t)(wrote - m->tensors));
      if (st->row < 0 || st->row >= wrote->shape[1] || st->keep_from < 0 || st->keep_from > st->row ||
          st->x0 < 0 || st->x1 <= st->x0 || st->x1 > wrote->shape[2] ||
          (ring >= 0 && (uint64_t)(st->x1 - st->x0) * (uint32_t)wrote->shape[3] > m->rings[ring].row_bytes))
        return bad_stream(diag, (int32_t)(g->first_step + k));
    }
    if (input >= 0 && g->first_op == 0) {
      uint32_t rows = 0;
      for (k = 0; k < g->step_count; ++k) rows += m->stream_steps[g->first_step + k].op == -1;
      if ((uint64_t)rows != (uint64_t)m->tensors[input].shape[1] * strips) return bad_stream(diag, (int32_t)s);
    }
  }
  /* The ringed input belongs to a segment at op 0; no op outside a segment reads a ring. */
  if (input >= 0 && m->segments[0].first_op != 0) return bad_stream(diag, -1);
  for (k = 0; k < m->n_ops; ++k) {
    const mcb_img_op *op = &m->ops[k];
    uint32_t j;
    if (segment_of(m, k) >= 0) continue;
    for (j = 0; j < (uint32_t)op->n_inputs + op->n_outputs; ++j) {
      int32_t ti = mcb_op_tensor(m, op, j);
      if (ti >= 0 && m->tensors[ti].storage == MCB_STORAGE_RING) return bad_stream(diag, -1);
    }
  }
  return MCB_OK;
}

/* Where a ring stands while a segment runs: rows [lo, hi) of columns [x0, x0 + w). Rows and columns fit 16 bits
 * (the loader caps ringed heights and widths), which halves this per-run table on the stack, where every byte
 * counts towards the board's measured peak. */
typedef struct ring_state { uint16_t lo, hi, x0, w; } ring_state;

static mcb_view_s8 ring_view(const mcb_model *m, const mcb_arena *arena, uint32_t r, const ring_state *st, uint32_t rows) {
  const mcb_img_tensor *t = &m->tensors[m->rings[r].tensor];
  mcb_view_s8 v;
  v.data = (int8_t *)(arena->base + m->rings[r].offset);
  v.y0 = (int32_t)st->lo;
  v.x0 = st->x0;
  v.h = (int32_t)rows;
  v.w = st->w;
  v.c = t->shape[3];
  v.full_h = t->shape[1];
  v.full_w = t->shape[2];
  return v;
}

/* Drops the rows below keep and makes room for row `row`, which must be the next one of the strip's window.
 * Row 0 of a new window starts the ring afresh, only once the previous strip wrote every row. */
static mcb_status ring_advance(const mcb_model *m, const mcb_arena *arena, uint32_t r, ring_state *st,
                               const mcb_img_stream_step *s, int32_t where, mcb_diag *diag) {
  const mcb_img_stream_ring *g = &m->rings[r];
  const mcb_img_tensor *t = &m->tensors[g->tensor];
  uint32_t keep = (uint32_t)s->keep_from;
  size_t row_bytes;
  if (s->row == 0 && (st->hi == 0 || st->hi == (uint32_t)t->shape[1])) {
    st->lo = st->hi = 0;
    st->x0 = (uint16_t)s->x0; /* the loader checked 0 <= x0 < x1 <= width <= 0xFFFF */
    st->w = (uint16_t)(s->x1 - s->x0);
  }
  row_bytes = (size_t)st->w * (size_t)t->shape[3];
  if ((uint32_t)s->row != st->hi || keep < st->lo || keep > st->hi || (uint32_t)s->row + 1u - keep > g->rows ||
      s->x0 != (int32_t)st->x0 || s->x1 - s->x0 != (int32_t)st->w || row_bytes > g->row_bytes)
    return bad_stream(diag, where);
  if (keep > st->lo) {
    uint8_t *base = arena->base + g->offset;
    memmove(base, base + (size_t)(keep - st->lo) * row_bytes, (size_t)(st->hi - keep) * row_bytes);
    st->lo = (uint16_t)keep;
  }
  return MCB_OK;
}

/* The segment output: strips left to right, rows top to bottom within each, so every pixel is written once. */
typedef struct output_state { int32_t row, x0, x1; } output_state;

static mcb_status output_advance(const mcb_img_tensor *out, output_state *o, const mcb_img_stream_step *s,
                                 int32_t where, mcb_diag *diag) {
  if (s->row == 0 && (o->row == 0 || o->row == out->shape[1]) && s->x0 == o->x1) {
    o->row = 0;
    o->x0 = s->x0;
    o->x1 = s->x1;
  }
  if (s->row != o->row || s->x0 != o->x0 || s->x1 != o->x1) return bad_stream(diag, where);
  o->row++;
  return MCB_OK;
}

mcb_status mcb_stream_run(const mcb_model *m, const mcb_arena *arena, const mcb_img_stream_segment *seg,
                          mcb_input_source *input, const mcb_run_config *config, mcb_diag *diag) {
  ring_state state[MCB_STREAM_MAX_RINGS];
  uint32_t k, r;
  int32_t in_tensor = ringed_input(m);
  mcb_status st;
  if (m->stream->ring_count > MCB_STREAM_MAX_RINGS) return mcb_fail(diag, MCB_ERR_UNSUPPORTED, MCB_IMAGE_ERR_BAD_SCHEDULE, -1);
  output_state written = {0, 0, 0};
  for (r = 0; r < m->stream->ring_count; ++r) state[r].lo = state[r].hi = state[r].x0 = state[r].w = 0;
  for (k = 0; k < seg->step_count; ++k) {
    const mcb_img_stream_step *s = &m->stream_steps[seg->first_step + k];
    int32_t where = (int32_t)(seg->first_step + k);
    if (s->op < 0) {
      /* The next input row, from the caller's buffer or asked for now (streamed input). */
      mcb_img_window row;
      row.y0 = s->row;
      row.x0 = s->x0;
      row.h = 1;
      row.w = s->x1 - s->x0;
      r = (uint32_t)ring_of(m, in_tensor);
      if ((st = ring_advance(m, arena, r, &state[r], s, where, diag)) != MCB_OK) return st;
      st = mcb_input_read(input, (uint32_t)in_tensor, &row,
                          arena->base + m->rings[r].offset + (size_t)(s->row - (int32_t)state[r].lo) * (size_t)state[r].w * (uint32_t)m->tensors[in_tensor].shape[3], diag);
      if (st != MCB_OK) return st;
      state[r].hi++;
    } else {
      const mcb_img_op *op = &m->ops[s->op];
      const mcb_op_def *def = mcb_op_find(op->code);
      int32_t out_t = mcb_op_tensor(m, op, op->n_inputs), out_r = ring_of(m, out_t);
      const mcb_img_tensor *out = &m->tensors[out_t];
      mcb_step_views v;
      mcb_op_ctx c;
      uint32_t j, op_start = mcb_op_clock(config);
      memset(&v, 0, sizeof(v));
      for (j = 0; j < op->n_inputs && j < MCB_IMAGE_MAX_STEP_INPUTS; ++j) {
        int32_t ti = mcb_op_tensor(m, op, j), ri;
        if (ti < 0 || m->tensors[ti].storage == MCB_STORAGE_CONSTANT) continue;
        ri = ring_of(m, ti);
        v.in[j] = ri >= 0 ? ring_view(m, arena, (uint32_t)ri, &state[ri], state[ri].hi - state[ri].lo)
                          : mcb_full_view(&m->tensors[ti], arena->base + m->tensors[ti].offset);
      }
      if (out_r >= 0) {
        if ((st = ring_advance(m, arena, (uint32_t)out_r, &state[out_r], s, where, diag)) != MCB_OK) return st;
        v.out = ring_view(m, arena, (uint32_t)out_r, &state[out_r], state[out_r].hi + 1u - state[out_r].lo);
      } else {
        if ((st = output_advance(out, &written, s, where, diag)) != MCB_OK) return st;
        v.out = mcb_full_view(out, arena->base + out->offset);
      }
      v.region.y0 = s->row;
      v.region.y1 = s->row + 1;
      v.region.x0 = s->x0;
      v.region.x1 = s->x1;
      mcb_op_context(m, (uint32_t)s->op, &c);
      if ((st = def->eval_window(&c, arena, &v, diag)) != MCB_OK) return st;
      if (out_r >= 0) state[out_r].hi++;
      mcb_op_clocked(config, (uint32_t)s->op, op_start);
    }
  }
  /* The last strip ended at the output's right edge, on its last row. */
  {
    const mcb_img_op *last = &m->ops[seg->end_op - 1];
    const mcb_img_tensor *out = &m->tensors[mcb_op_tensor(m, last, last->n_inputs)];
    if (written.x1 != out->shape[2] || written.row != out->shape[1]) return bad_stream(diag, (int32_t)(seg->first_step + seg->step_count - 1));
  }
  return MCB_OK;
}
