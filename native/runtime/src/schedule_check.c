/* Load-time check that the schedule an image carries is one the planner could have built: every operator runs
 * exactly once, every activation is written before it is read, and no two tensors live at the same time share
 * arena bytes, except an op writing its output over an input that dies at that op (the kernels check that the
 * overlap is one of their in-place cases) or a RESHAPE whose output is its input's bytes. Inside a patch stage
 * the same holds for the per-patch tiles, and every tile is read with the layout its producer wrote.
 *
 * No dynamic memory: lifetimes are computed for CHUNK tensors at a time on the stack, so the cost is
 * (tensors / CHUNK)^2 passes over the operand lists. */
#include "mcb/port.h"
#include "runtime_internal.h"

#define CHUNK 32u
#define NEVER 0xFFFFFFFFu

static mcb_status order_error(mcb_diag *diag, uint32_t op) {
  return mcb_fail(diag, MCB_ERR_FORMAT, MCB_IMAGE_ERR_SCHEDULE_ORDER, (int32_t)op);
}

static mcb_status overlap_error(mcb_diag *diag, uint32_t op) {
  return mcb_fail(diag, MCB_ERR_FORMAT, MCB_IMAGE_ERR_ARENA_OVERLAP, (int32_t)op);
}

static uint32_t stage_count(const mcb_model *m) { return m->patch ? m->patch->stage_op_count : 0u; }
static uint32_t positions(const mcb_model *m) { return stage_count(m) + m->n_layer_ops; }

/* Operator run at schedule position p: the patch stage first, then the layer schedule. */
static uint32_t op_at(const mcb_model *m, uint32_t p) {
  uint32_t s = stage_count(m);
  return p < s ? m->stage_ops[p] : m->layer_ops[p - s];
}

static int is_graph_input(const mcb_model *m, uint32_t t) {
  uint32_t i;
  for (i = 0; i < m->n_io; ++i)
    if (m->io[i].direction == MCB_IO_INPUT && m->io[i].tensor == t) return 1;
  return 0;
}

static int is_graph_output(const mcb_model *m, uint32_t t) {
  uint32_t i;
  for (i = 0; i < m->n_io; ++i)
    if (m->io[i].direction == MCB_IO_OUTPUT && m->io[i].tensor == t) return 1;
  return 0;
}

static int op_reads(const mcb_model *m, const mcb_img_op *op, uint32_t t) {
  uint32_t j;
  for (j = 0; j < op->n_inputs; ++j)
    if (mcb_op_tensor(m, op, j) == (int32_t)t) return 1;
  return 0;
}

static int op_writes(const mcb_model *m, const mcb_img_op *op, uint32_t t) {
  uint32_t j;
  for (j = op->n_inputs; j < (uint32_t)op->n_inputs + op->n_outputs; ++j)
    if (mcb_op_tensor(m, op, j) == (int32_t)t) return 1;
  return 0;
}

/* Every op exactly once; every tensor written by at most one op, and before any op reads it. */
static mcb_status check_order(const mcb_model *m, mcb_diag *diag) {
  uint32_t n = positions(m), p, q, j;
  if (n != m->n_ops) {
    /* Find an op that is missing (or the first repeated one) to name it. */
    for (p = 0; p < m->n_ops; ++p) {
      for (q = 0; q < n && op_at(m, q) != p; ++q) {}
      if (q == n) return order_error(diag, p);
    }
    return order_error(diag, n > 0 ? op_at(m, n - 1) : 0);
  }
  for (p = 0; p < n; ++p) {
    const mcb_img_op *op = &m->ops[op_at(m, p)];
    for (q = 0; q < p; ++q)
      if (op_at(m, q) == op_at(m, p)) return order_error(diag, op_at(m, p));
    for (j = 0; j < (uint32_t)op->n_inputs + op->n_outputs; ++j) {
      int32_t t = mcb_op_tensor(m, op, j);
      int written_before = 0;
      if (t < 0 || m->tensors[t].storage == MCB_STORAGE_CONSTANT) continue;
      for (q = 0; q < p; ++q)
        if (op_writes(m, &m->ops[op_at(m, q)], (uint32_t)t)) written_before = 1;
      if (j < op->n_inputs) {
        if (!written_before && !is_graph_input(m, (uint32_t)t)) return order_error(diag, op_at(m, p));
      } else if (written_before || is_graph_input(m, (uint32_t)t)) {
        return order_error(diag, op_at(m, p)); /* a second writer */
      }
    }
  }
  return MCB_OK;
}

/* Arena bytes a tensor occupies: its whole buffer (ARENA) or its ring (RING); 0 when it has none. */
static int extent(const mcb_model *m, uint32_t t, uint32_t *offset, uint32_t *bytes) {
  const mcb_img_tensor *x = &m->tensors[t];
  uint32_t r;
  if (x->storage == MCB_STORAGE_ARENA) { *offset = x->offset; *bytes = x->size; return 1; }
  if (x->storage != MCB_STORAGE_RING || !m->stream) return 0;
  for (r = 0; r < m->stream->ring_count; ++r)
    if (m->rings[r].tensor == t) { *offset = m->rings[r].offset; *bytes = m->rings[r].rows * m->rings[r].row_bytes; return 1; }
  return 0;
}

/* Positions [first, last] an op at position p is spread over: the whole patch stage or streamed segment. */
static void span_of(const mcb_model *m, uint32_t p, uint32_t *first, uint32_t *last) {
  uint32_t s, op = op_at(m, p);
  *first = *last = p;
  if (p < stage_count(m)) { *first = 0; *last = stage_count(m) - 1; return; }
  if (!m->stream) return;
  for (s = 0; s < m->stream->segment_count; ++s) {
    const mcb_img_stream_segment *g = &m->segments[s];
    if (op >= g->first_op && op < g->end_op) { *first = p - (op - g->first_op); *last = p + (g->end_op - 1 - op); return; }
  }
}

/* Lifetime of an arena tensor in schedule positions: first (written, or 0 for graph inputs) .. last (last
 * read; the end for graph outputs). first == NEVER for tensors outside the arena. */
typedef struct lifetime { uint32_t first, last, producer; } lifetime;

static void lifetimes(const mcb_model *m, uint32_t from, uint32_t count, lifetime *out) {
  uint32_t n = positions(m), i, p;
  for (i = 0; i < count; ++i) {
    uint32_t t = from + i;
    out[i].first = out[i].last = out[i].producer = NEVER;
    if (m->tensors[t].storage != MCB_STORAGE_ARENA && m->tensors[t].storage != MCB_STORAGE_RING) continue;
    if (is_graph_input(m, t)) out[i].first = out[i].last = 0;
  }
  for (p = 0; p < n; ++p) {
    uint32_t op_index = op_at(m, p);
    const mcb_img_op *op = &m->ops[op_index];
    /* A patch stage or streamed segment runs its ops in every patch or row band: what they read or write
     * lives over all of it. */
    uint32_t at, until;
    span_of(m, p, &at, &until);
    for (i = 0; i < count; ++i) {
      uint32_t t = from + i;
      if (m->tensors[t].storage != MCB_STORAGE_ARENA && m->tensors[t].storage != MCB_STORAGE_RING) continue;
      if (op_writes(m, op, t)) { out[i].first = at; out[i].producer = op_index; if (out[i].last == NEVER || out[i].last < at) out[i].last = at; }
      if (op_reads(m, op, t) && (out[i].last == NEVER || out[i].last < until)) out[i].last = until;
    }
  }
  for (i = 0; i < count; ++i)
    if (out[i].first != NEVER && is_graph_output(m, from + i)) out[i].last = n;
}

static int bytes_overlap(uint32_t a, uint32_t a_size, uint32_t b, uint32_t b_size) {
  return a_size && b_size && a < b + b_size && b < a + a_size;
}

/* Two arena tensors whose lifetimes and bytes overlap: legal only as an in-place write or a RESHAPE. */
static mcb_status check_pair(const mcb_model *m, uint32_t ta, const lifetime *a, uint32_t tb, const lifetime *b,
                             mcb_diag *diag) {
  const lifetime *early = a, *late = b;
  uint32_t t_early = ta, xo, xs, yo, ys;
  const mcb_img_op *op;
  if (a->first == NEVER || b->first == NEVER) return MCB_OK;
  if (a->first > b->last || b->first > a->last) return MCB_OK;
  if (!extent(m, ta, &xo, &xs) || !extent(m, tb, &yo, &ys) || !bytes_overlap(xo, xs, yo, ys)) return MCB_OK;
  if (b->first < a->first || (b->first == a->first && a->producer == NEVER)) { early = b; late = a; t_early = tb; }
  /* A ring never shares bytes with a live tensor: rows arrive while its readers run. */
  if (m->tensors[ta].storage == MCB_STORAGE_RING || m->tensors[tb].storage == MCB_STORAGE_RING)
    return overlap_error(diag, late->producer == NEVER ? 0 : late->producer);
  if (late->producer == NEVER || xo != yo || late->first == early->first)
    return overlap_error(diag, late->producer == NEVER ? 0 : late->producer);
  op = &m->ops[late->producer];
  /* The writer must read the earlier tensor: an in-place write over it, or a RESHAPE of it. */
  if (!op_reads(m, op, t_early)) return overlap_error(diag, late->producer);
  if (op->code == MCB_OP_RESHAPE) return MCB_OK; /* the output is the input's bytes */
  return early->last == late->first ? MCB_OK : overlap_error(diag, late->producer);
}

static mcb_status check_arena(const mcb_model *m, mcb_diag *diag) {
  lifetime la[CHUNK], lb[CHUNK];
  uint32_t a, b, i, j;
  mcb_status st;
  for (a = 0; a < m->n_tensors; a += CHUNK) {
    uint32_t na = m->n_tensors - a < CHUNK ? m->n_tensors - a : CHUNK;
    lifetimes(m, a, na, la);
    for (b = a; b < m->n_tensors; b += CHUNK) {
      uint32_t nb = m->n_tensors - b < CHUNK ? m->n_tensors - b : CHUNK;
      if (b == a) { for (i = 0; i < na; ++i) lb[i] = la[i]; } else lifetimes(m, b, nb, lb);
      for (i = 0; i < na; ++i)
        for (j = (b == a ? i + 1 : 0); j < nb; ++j)
          if ((st = check_pair(m, a + i, &la[i], b + j, &lb[j], diag)) != MCB_OK) return st;
    }
  }
  return MCB_OK;
}

/* ------------------------------------------------------------------ patch stage tiles */

static const mcb_img_patch_step *step_at(const mcb_model *m, uint32_t patch, uint32_t k) {
  return &m->steps[patch * m->patch->stage_op_count + k];
}

static uint32_t step_output(const mcb_model *m, uint32_t k) {
  const mcb_img_op *op = &m->ops[m->stage_ops[k]];
  return (uint32_t)mcb_op_tensor(m, op, op->n_inputs);
}

static int same_window(const mcb_img_window *a, const mcb_img_window *b) {
  return a->y0 == b->y0 && a->x0 == b->x0 && a->h == b->h && a->w == b->w;
}

static uint32_t tile_bytes(const mcb_model *m, uint32_t t, const mcb_img_window *w) {
  return (uint32_t)w->h * (uint32_t)w->w * (uint32_t)m->tensors[t].shape[3]; /* bounded at load: inside the arena */
}

/* Last step of this patch that reads tensor t (its tile), or `from` if none after it. */
static uint32_t last_tile_read(const mcb_model *m, uint32_t patch, uint32_t from, uint32_t t) {
  uint32_t k, last = from, j;
  for (k = from; k < m->patch->stage_op_count; ++k) {
    const mcb_img_patch_step *s = step_at(m, patch, k);
    const mcb_img_op *op = &m->ops[m->stage_ops[k]];
    for (j = 0; j < s->n_inputs; ++j)
      if (mcb_op_tensor(m, op, s->in[j].slot) == (int32_t)t) last = k;
  }
  return last;
}

/* One tile of one patch: tensor, bytes at offset, live from step first through step last. */
typedef struct tile { uint32_t tensor, offset, bytes, first, last; } tile;

/* The tile written at step k of a patch (NONE tensor for the last step, which writes the stage output), or
 * the input tile copied in at step k for slot j. */
static int tile_of(const mcb_model *m, uint32_t patch, uint32_t k, int32_t input_slot, tile *out) {
  const mcb_img_patch_step *s = step_at(m, patch, k);
  if (input_slot < 0) {
    if (k + 1 == m->patch->stage_op_count) return 0;
    out->tensor = step_output(m, k);
    out->offset = s->out_offset;
    out->bytes = tile_bytes(m, out->tensor, &s->out);
    out->first = k;
    out->last = last_tile_read(m, patch, k, out->tensor);
    return 1;
  } else {
    const mcb_img_op *op = &m->ops[m->stage_ops[k]];
    uint32_t t = (uint32_t)mcb_op_tensor(m, op, s->in[input_slot].slot);
    if (m->tensors[t].storage != MCB_STORAGE_EXTERNAL_INPUT) return 0;
    out->tensor = t;
    out->offset = s->in[input_slot].offset;
    out->bytes = tile_bytes(m, t, &s->in[input_slot].window);
    out->first = out->last = k;
    return 1;
  }
}

/* Every tile read in a patch was written earlier in the same patch, with the same window at the same offset. */
static mcb_status check_tile_flow(const mcb_model *m, uint32_t patch, mcb_diag *diag) {
  uint32_t k, q, j, S = m->patch->stage_op_count;
  for (k = 0; k < S; ++k) {
    const mcb_img_patch_step *s = step_at(m, patch, k);
    const mcb_img_op *op = &m->ops[m->stage_ops[k]];
    for (j = 0; j < s->n_inputs; ++j) {
      uint32_t t = (uint32_t)mcb_op_tensor(m, op, s->in[j].slot);
      int found = 0;
      if (m->tensors[t].storage != MCB_STORAGE_TILE) continue;
      for (q = 0; q < k; ++q) {
        const mcb_img_patch_step *w = step_at(m, patch, q);
        if (step_output(m, q) != t) continue;
        if (q + 1 == S || !same_window(&w->out, &s->in[j].window) || w->out_offset != s->in[j].offset)
          return mcb_fail(diag, MCB_ERR_FORMAT, MCB_IMAGE_ERR_BAD_SCHEDULE, (int32_t)(patch * S + k));
        found = 1;
      }
      if (!found) return order_error(diag, m->stage_ops[k]);
    }
  }
  return MCB_OK;
}

static mcb_status check_tile_pair(const mcb_model *m, uint32_t patch, const tile *a, const tile *b, mcb_diag *diag) {
  const tile *early = a, *late = b;
  const mcb_img_op *op;
  if (a->first > b->last || b->first > a->last || !bytes_overlap(a->offset, a->bytes, b->offset, b->bytes)) return MCB_OK;
  if (b->first < a->first) { early = b; late = a; }
  op = &m->ops[m->stage_ops[late->first]];
  /* In place: written over a tile its own op reads for the last time (the kernel checks the overlap's kind). */
  if (late->first != early->first && a->offset == b->offset && early->last == late->first &&
      op_reads(m, op, early->tensor))
    return MCB_OK;
  (void)patch;
  return overlap_error(diag, m->stage_ops[late->first]);
}

/* Tiles of one patch against each other, and against the arena tensors live during the stage. */
static mcb_status check_tiles(const mcb_model *m, uint32_t patch, mcb_diag *diag) {
  uint32_t S = m->patch->stage_op_count, k, q, t;
  int32_t i, j;
  mcb_status st;
  for (k = 0; k < S; ++k)
    for (i = -1; i < (int32_t)step_at(m, patch, k)->n_inputs; ++i) {
      tile a;
      if (!tile_of(m, patch, k, i, &a)) continue;
      for (t = 0; t < m->n_tensors; ++t) {
        const mcb_img_tensor *x = &m->tensors[t];
        /* Arena tensors live in the stage: the stage output and graph inputs. */
        if (x->storage != MCB_STORAGE_ARENA || !(t == m->patch->output_tensor || is_graph_input(m, t))) continue;
        if (bytes_overlap(a.offset, a.bytes, x->offset, x->size)) return overlap_error(diag, m->stage_ops[k]);
      }
      for (q = k; q < S; ++q)
        for (j = -1; j < (int32_t)step_at(m, patch, q)->n_inputs; ++j) {
          tile b;
          if ((q == k && j <= i) || !tile_of(m, patch, q, j, &b)) continue;
          if ((st = check_tile_pair(m, patch, &a, &b, diag)) != MCB_OK) return st;
        }
    }
  return MCB_OK;
}

static int windows_meet(const mcb_img_window *a, const mcb_img_window *b) {
  return a->y0 < b->y0 + b->h && b->y0 < a->y0 + a->h && a->x0 < b->x0 + b->w && b->x0 < a->x0 + a->w;
}

/* The last stage op's tiles cover the stage output exactly once: pairwise disjoint, areas summing to H*W. */
static mcb_status check_stage_cover(const mcb_model *m, mcb_diag *diag) {
  uint32_t S = m->patch->stage_op_count, p, q;
  const mcb_img_tensor *out = &m->tensors[m->patch->output_tensor];
  uint64_t area = 0;
  for (p = 0; p < m->patch->patch_count; ++p) {
    const mcb_img_window *a = &step_at(m, p, S - 1)->out;
    area += (uint64_t)a->h * (uint64_t)a->w;
    for (q = 0; q < p; ++q)
      if (windows_meet(a, &step_at(m, q, S - 1)->out))
        return mcb_fail(diag, MCB_ERR_FORMAT, MCB_IMAGE_ERR_BAD_SCHEDULE, (int32_t)(p * S + S - 1));
  }
  if (area != (uint64_t)out->shape[1] * (uint64_t)out->shape[2])
    return mcb_fail(diag, MCB_ERR_FORMAT, MCB_IMAGE_ERR_BAD_SCHEDULE, (int32_t)(S - 1));
  return MCB_OK;
}

mcb_status mcb_schedule_check(const mcb_model *m, mcb_diag *diag) {
  mcb_status st;
  uint32_t p;
  if ((st = check_order(m, diag)) != MCB_OK) return st;
  if ((st = check_arena(m, diag)) != MCB_OK) return st;
  if (!m->patch) return MCB_OK;
  if ((st = check_stage_cover(m, diag)) != MCB_OK) return st;
  for (p = 0; p < m->patch->patch_count; ++p) {
    if ((st = check_tile_flow(m, p, diag)) != MCB_OK) return st;
    if ((st = check_tiles(m, p, diag)) != MCB_OK) return st;
  }
  return MCB_OK;
}
