/* The network input during one run: either the caller's whole buffer or its reader (streamed input), behind one
 * call that fills a window of an input tensor. Executors ask for exactly the window they need (a patch's input
 * tile, one row of a streamed segment, a whole arena input), so the same code runs with both sources. */
#include <string.h>
#include "mcb/port.h"
#include "runtime_internal.h"

/* Float inputs are read through a small stack buffer, this many external elements at a time. */
#define MCB_INPUT_STAGE_FLOATS 64u

void mcb_input_source_init(mcb_input_source *src, const mcb_model *m, const mcb_run_config *config, const uint8_t *whole) {
  src->model = m;
  src->whole = whole;
  src->read = config->read_input;
  src->user = config->input_user;
  src->wait_cycles = 0;
}

int mcb_model_input_streamed(const mcb_model *m) {
  uint32_t i, inputs = 0;
  if (!m || !m->header) return 0;
  for (i = 0; i < m->n_io; ++i) {
    uint8_t storage;
    if (m->io[i].direction != MCB_IO_INPUT) continue;
    storage = m->tensors[m->io[i].tensor].storage;
    if (storage != MCB_STORAGE_EXTERNAL_INPUT && storage != MCB_STORAGE_RING) return 0;
    inputs++;
  }
  return inputs > 0;
}

/* The I/O record of an input tensor, its position among the inputs and where its bytes start in a whole input. */
static const mcb_img_io *input_record(const mcb_model *m, uint32_t tensor, uint32_t *ordinal, uint32_t *at) {
  uint32_t i, n = 0, offset = 0;
  for (i = 0; i < m->n_io; ++i) {
    const mcb_img_io *io = &m->io[i];
    if (io->direction != MCB_IO_INPUT) continue;
    if (io->tensor == tensor) {
      *ordinal = n;
      *at = offset;
      return io;
    }
    n++;
    offset += io->external_size;
  }
  return NULL;
}

/* One reader call, its time kept apart (on a board it is spent waiting for the host). */
static mcb_status call_reader(mcb_input_source *src, const mcb_input_region *r, uint8_t *dst, uint32_t size, mcb_diag *diag) {
  uint32_t start = mcb_port_cycles();
  int32_t code = src->read(src->user, r, dst, size);
  src->wait_cycles += mcb_port_cycles() - start;
  return code == 0 ? MCB_OK : mcb_fail(diag, MCB_ERR_INPUT, MCB_IMAGE_ERR_NONE, code);
}

mcb_status mcb_input_read(mcb_input_source *src, uint32_t tensor, const mcb_img_window *w, uint8_t *dst, mcb_diag *diag) {
  const mcb_model *m = src->model;
  const mcb_img_tensor *t = &m->tensors[tensor];
  uint32_t ordinal = 0, at = 0, ext, c, row_elems;
  const mcb_img_io *io = input_record(m, tensor, &ordinal, &at);
  mcb_input_region r;
  int32_t y;
  /* The loader checked the tensor is NHWC batch 1 and the window inside it; the record must exist. */
  if (!io) return mcb_fail(diag, MCB_ERR_FORMAT, MCB_IMAGE_ERR_BAD_IO, (int32_t)tensor);
  ext = mcb_dtype_size(io->external_dtype);
  c = (uint32_t)t->shape[3];
  row_elems = (uint32_t)w->w * c;
  if (!src->read) {
    for (y = 0; y < w->h; ++y) {
      size_t from = (((size_t)(w->y0 + y) * (uint32_t)t->shape[2]) + (uint32_t)w->x0) * c * ext;
      mcb_io_convert_in(io, t, src->whole + at + from, dst + (size_t)y * row_elems * mcb_dtype_size(t->dtype), row_elems);
    }
    return MCB_OK;
  }
  r.input = ordinal;
  r.height = t->shape[1];
  r.width = t->shape[2];
  r.pixel_bytes = c * ext;
  if (io->convert != MCB_IO_CONVERT_QUANTIZE_FLOAT) {
    /* External and tensor bytes are the same: the reader writes straight into the destination. */
    r.y0 = w->y0;
    r.x0 = w->x0;
    r.h = w->h;
    r.w = w->w;
    return call_reader(src, &r, dst, (uint32_t)w->h * row_elems * ext, diag);
  } else {
    /* Floats are four times the tensor's bytes: read a few pixels at a time into the stage and quantize. */
    float stage[MCB_INPUT_STAGE_FLOATS];
    uint32_t per_call = MCB_INPUT_STAGE_FLOATS / c, x;
    mcb_status st;
    if (per_call == 0) return mcb_fail(diag, MCB_ERR_UNSUPPORTED, MCB_IMAGE_ERR_BAD_IO, (int32_t)tensor);
    r.h = 1;
    for (y = 0; y < w->h; ++y) {
      for (x = 0; x < (uint32_t)w->w; x += per_call) {
        uint32_t n = (uint32_t)w->w - x < per_call ? (uint32_t)w->w - x : per_call;
        r.y0 = w->y0 + y;
        r.x0 = w->x0 + (int32_t)x;
        r.w = (int32_t)n;
        if ((st = call_reader(src, &r, (uint8_t *)stage, n * c * ext, diag)) != MCB_OK) return st;
        mcb_io_convert_in(io, t, (const uint8_t *)stage, dst + (size_t)y * row_elems + (size_t)x * c, n * c);
      }
    }
    return MCB_OK;
  }
}
