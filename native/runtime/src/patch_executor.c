/* The MCUNetV2 patch stage: for each patch, copy the needed rectangle of the network input (which stays in the
 * caller's buffer) into its tile, run the stage ops on windowed views of the per-patch tile buffers, and let
 * the last stage op write its tile straight into the full-size stage output. The layer-based rest follows in
 * interpreter.c. */
#include "mcb/port.h"
#include "op_internal.h"

static mcb_status bad_schedule(mcb_diag *diag, int32_t index) {
  return mcb_fail(diag, MCB_ERR_FORMAT, MCB_IMAGE_ERR_BAD_SCHEDULE, index);
}

/* Window inside an NHWC batch-1 tensor, and its tile (h*w*c bytes at offset) inside the arena. */
static int window_ok(const mcb_img_window *w, const mcb_img_tensor *t) {
  return w->y0 >= 0 && w->x0 >= 0 && w->h >= 1 && w->w >= 1 && w->y0 <= t->shape[1] - w->h &&
         w->x0 <= t->shape[2] - w->w;
}

static int tile_ok(const mcb_model *m, const mcb_img_window *w, const mcb_img_tensor *t, uint32_t offset) {
  uint64_t bytes = (uint64_t)w->h * (uint64_t)w->w * (uint64_t)t->shape[3];
  return offset <= m->header->arena_size && bytes <= (uint64_t)(m->header->arena_size - offset);
}

/* The I/O record of the stage input and where its bytes start in the caller's concatenated input. */
static const mcb_img_io *stage_input_io(const mcb_model *m, uint32_t *at) {
  uint32_t i, offset = 0;
  for (i = 0; i < m->n_io; ++i) {
    const mcb_img_io *io = &m->io[i];
    if (io->direction != MCB_IO_INPUT) continue;
    if (io->tensor == m->patch->input_tensor) { *at = offset; return io; }
    offset += io->external_size;
  }
  return NULL;
}

static mcb_status check_step(const mcb_model *m, uint32_t op_index, const mcb_img_patch_step *s, int last,
                             int32_t where, mcb_diag *diag) {
  const mcb_img_op *op = &m->ops[op_index];
  const mcb_img_tensor *out = &m->tensors[mcb_op_tensor(m, op, op->n_inputs)];
  uint32_t j, slot, described = 0;
  if (s->n_inputs > MCB_IMAGE_MAX_STEP_INPUTS || !mcb_is_nhwc1(out, out->dtype) || mcb_dtype_size(out->dtype) != 1 ||
      !window_ok(&s->out, out))
    return bad_schedule(diag, where);
  if (!last && (out->storage != MCB_STORAGE_TILE || !tile_ok(m, &s->out, out, s->out_offset)))
    return bad_schedule(diag, where);
  for (j = 0; j < s->n_inputs; ++j) {
    const mcb_img_tensor *t;
    int32_t ti;
    slot = s->in[j].slot;
    if (slot >= op->n_inputs || slot >= MCB_IMAGE_MAX_STEP_INPUTS || (described & (1u << slot))) return bad_schedule(diag, where);
    ti = mcb_op_tensor(m, op, slot);
    if (ti < 0) return bad_schedule(diag, where);
    t = &m->tensors[ti];
    if (t->storage != MCB_STORAGE_TILE && t->storage != MCB_STORAGE_EXTERNAL_INPUT) return bad_schedule(diag, where);
    if (!mcb_is_nhwc1(t, t->dtype) || mcb_dtype_size(t->dtype) != 1 ||
        !window_ok(&s->in[j].window, t) || !tile_ok(m, &s->in[j].window, t, s->in[j].offset))
      return bad_schedule(diag, where);
    described |= 1u << slot;
  }
  /* Every operand not described by the step must be a constant. */
  for (slot = 0; slot < op->n_inputs; ++slot) {
    int32_t ti = mcb_op_tensor(m, op, slot);
    if (described & (1u << slot)) continue;
    if (ti >= 0 && m->tensors[ti].storage != MCB_STORAGE_CONSTANT) return bad_schedule(diag, where);
  }
  return MCB_OK;
}

mcb_status mcb_patch_check(const mcb_model *m, mcb_diag *diag) {
  const mcb_img_patch_header *ph = m->patch;
  const mcb_img_tensor *in, *out;
  const mcb_img_io *io;
  uint32_t k, p, at;
  mcb_status st;
  if (ph->input_tensor >= m->n_tensors || ph->output_tensor >= m->n_tensors) return bad_schedule(diag, -1);
  in = &m->tensors[ph->input_tensor];
  out = &m->tensors[ph->output_tensor];
  io = stage_input_io(m, &at);
  if (!io || in->storage != MCB_STORAGE_EXTERNAL_INPUT || !mcb_is_nhwc1(in, in->dtype)) return bad_schedule(diag, -1);
  /* Tiles are one byte per element: an int8 tensor (after any float quantize at copy-in) or a uint8 one. */
  if (in->dtype != MCB_DTYPE_INT8 && in->dtype != MCB_DTYPE_UINT8) return bad_schedule(diag, -1);
  if (out->storage != MCB_STORAGE_ARENA || !mcb_is_nhwc1(out, out->dtype) || mcb_dtype_size(out->dtype) != 1)
    return bad_schedule(diag, -1);
  for (k = 0; k < ph->stage_op_count; ++k) {
    const mcb_op_def *def;
    const mcb_img_op *op;
    if (m->stage_ops[k] >= m->n_ops) return bad_schedule(diag, (int32_t)k);
    op = &m->ops[m->stage_ops[k]];
    def = mcb_op_find(op->code);
    if (!def || !def->eval_window || op->n_outputs != 1) return bad_schedule(diag, (int32_t)k);
    if (k + 1 == ph->stage_op_count && (uint32_t)mcb_op_tensor(m, op, op->n_inputs) != ph->output_tensor)
      return bad_schedule(diag, (int32_t)k);
  }
  for (p = 0; p < ph->patch_count; ++p)
    for (k = 0; k < ph->stage_op_count; ++k) {
      uint32_t n = p * ph->stage_op_count + k;
      st = check_step(m, m->stage_ops[k], &m->steps[n], k + 1 == ph->stage_op_count, (int32_t)n, diag);
      if (st != MCB_OK) return st;
    }
  return MCB_OK;
}

static mcb_view_s8 tile_view(uint8_t *data, const mcb_img_window *w, const mcb_img_tensor *t) {
  mcb_view_s8 v;
  v.data = (int8_t *)data;
  v.y0 = w->y0;
  v.x0 = w->x0;
  v.h = w->h;
  v.w = w->w;
  v.c = t->shape[3];
  v.full_h = t->shape[1];
  v.full_w = t->shape[2];
  return v;
}

mcb_status mcb_patch_run(const mcb_model *m, const mcb_arena *arena, mcb_input_source *input,
                         const mcb_run_config *config, mcb_diag *diag) {
  const mcb_img_patch_header *ph = m->patch;
  uint32_t p, k, j, op_start, start = mcb_port_cycles(), waited = input->wait_cycles;
  const mcb_img_tensor *stage_out = &m->tensors[ph->output_tensor];
  mcb_status st;
  for (p = 0; p < ph->patch_count; ++p) {
    for (k = 0; k < ph->stage_op_count; ++k) {
      const mcb_img_patch_step *s = &m->steps[p * ph->stage_op_count + k];
      uint32_t op_index = m->stage_ops[k];
      const mcb_img_op *op = &m->ops[op_index];
      const mcb_op_def *def = mcb_op_find(op->code);
      const mcb_img_tensor *out = &m->tensors[mcb_op_tensor(m, op, op->n_inputs)];
      mcb_step_views v;
      mcb_op_ctx c;
      for (j = 0; j < s->n_inputs; ++j) {
        const mcb_img_tensor *t = &m->tensors[mcb_op_tensor(m, op, s->in[j].slot)];
        uint8_t *tile = arena->base + s->in[j].offset; /* tile bounds validated at load */
        /* The network input window of this patch: from the caller's buffer, or asked for now (streamed input). */
        if (t->storage == MCB_STORAGE_EXTERNAL_INPUT &&
            (st = mcb_input_read(input, (uint32_t)mcb_op_tensor(m, op, s->in[j].slot), &s->in[j].window, tile, diag)) != MCB_OK)
          return st;
        v.in[s->in[j].slot] = tile_view(tile, &s->in[j].window, t);
      }
      if (k + 1 == ph->stage_op_count) {
        v.out = mcb_full_view(stage_out, arena->base + stage_out->offset);
      } else {
        v.out = tile_view(arena->base + s->out_offset, &s->out, out);
      }
      v.region.y0 = s->out.y0;
      v.region.x0 = s->out.x0;
      v.region.y1 = s->out.y0 + s->out.h;
      v.region.x1 = s->out.x0 + s->out.w;
      mcb_op_context(m, op_index, &c);
      op_start = mcb_op_clock(config);
      if ((st = def->eval_window(&c, arena, &v, diag)) != MCB_OK) return st;
      mcb_op_clocked(config, op_index, op_start);
    }
  }
  if (config->on_op)
    config->on_op(config->user, m, m->stage_ops[ph->stage_op_count - 1], arena->base,
                  mcb_port_cycles() - start - (input->wait_cycles - waited));
  return MCB_OK;
}
