/* Model image loader and validator: every offset, length, count and enum is checked before it is used, so a
 * hostile image yields an error code and never an out-of-bounds read. Reads the image in place; no malloc. */
#include <string.h>
#include "mcb/crc32.h"
#include "runtime_internal.h"

#define TABLE_OFFSET ((uint32_t)sizeof(mcb_img_header))

static mcb_status format_error(mcb_diag *diag, mcb_image_error error, int32_t index) {
  return mcb_fail(diag, MCB_ERR_FORMAT, error, index);
}

/* [offset, offset+size) lies inside [0, limit) without wrapping. */
static int fits(uint32_t offset, uint32_t size, uint32_t limit) {
  return offset <= limit && size <= limit - offset;
}

/* Finds section `id`; fixed-size records must fill it exactly. Absent sections come back empty. */
static mcb_status find_section(const mcb_model *m, uint32_t id, uint32_t record, int required,
                               const uint8_t **data, uint32_t *size, uint32_t *count, mcb_diag *diag) {
  const mcb_img_section *table = (const mcb_img_section *)(m->base + TABLE_OFFSET);
  uint32_t i;
  for (i = 0; i < m->header->section_count; ++i) {
    if (table[i].id != id) continue;
    if (record && (table[i].count > table[i].size / record || table[i].count * record != table[i].size))
      return format_error(diag, MCB_IMAGE_ERR_BAD_SECTION, (int32_t)i);
    *data = m->base + table[i].offset;
    *size = table[i].size;
    *count = table[i].count;
    return MCB_OK;
  }
  if (required) return format_error(diag, MCB_IMAGE_ERR_BAD_SECTION, -1);
  *data = NULL;
  *size = 0;
  *count = 0;
  return MCB_OK;
}

static mcb_status check_header(mcb_model *m, const uint8_t *image, size_t size, mcb_diag *diag) {
  const mcb_img_header *h = (const mcb_img_header *)image;
  const mcb_img_section *table;
  uint32_t i, j, table_end;
  if (size < sizeof(mcb_img_header)) return format_error(diag, MCB_IMAGE_ERR_TRUNCATED, -1);
  if (h->magic != MCB_IMAGE_MAGIC) return format_error(diag, MCB_IMAGE_ERR_BAD_MAGIC, -1);
  if (h->version != MCB_IMAGE_VERSION) return mcb_fail(diag, MCB_ERR_VERSION, MCB_IMAGE_ERR_BAD_VERSION, -1);
  if (h->header_size != sizeof(mcb_img_header)) return format_error(diag, MCB_IMAGE_ERR_BAD_VERSION, -1);
  if (h->total_size > size || h->total_size < sizeof(mcb_img_header))
    return format_error(diag, MCB_IMAGE_ERR_TRUNCATED, -1);
  if (h->section_count > MCB_IMAGE_MAX_SECTIONS) return format_error(diag, MCB_IMAGE_ERR_BAD_SECTION, -1);
  table_end = TABLE_OFFSET + h->section_count * (uint32_t)sizeof(mcb_img_section);
  if (table_end > h->total_size) return format_error(diag, MCB_IMAGE_ERR_TRUNCATED, -1);
  if (mcb_crc32(0, image + 16, h->total_size - 16) != h->crc32) return format_error(diag, MCB_IMAGE_ERR_BAD_CRC, -1);
  if (h->flags != 0) return format_error(diag, MCB_IMAGE_ERR_BAD_VERSION, -1);
  /* Keeps arena + scratch (+ alignment) representable in 32 bits. */
  if (h->arena_size > 0x7FFFFFF0u || h->scratch_size > 0x7FFFFFF0u)
    return format_error(diag, MCB_IMAGE_ERR_ARENA_TOO_SMALL, -1);

  table = (const mcb_img_section *)(image + TABLE_OFFSET);
  for (i = 0; i < h->section_count; ++i) {
    const mcb_img_section *s = &table[i];
    if (s->id < MCB_SECTION_TENSORS || s->id > MCB_SECTION_STREAM_SCHEDULE)
      return format_error(diag, MCB_IMAGE_ERR_BAD_SECTION, (int32_t)i);
    if (s->offset % MCB_IMAGE_SECTION_ALIGN != 0) return format_error(diag, MCB_IMAGE_ERR_BAD_ALIGNMENT, (int32_t)i);
    if (s->offset < table_end || !fits(s->offset, s->size, h->total_size))
      return format_error(diag, MCB_IMAGE_ERR_BAD_SECTION, (int32_t)i);
    for (j = 0; j < i; ++j)
      if (table[j].id == s->id) return format_error(diag, MCB_IMAGE_ERR_BAD_SECTION, (int32_t)i);
  }
  m->base = image;
  m->header = h;
  return MCB_OK;
}

static mcb_status check_tensors(const mcb_model *m, mcb_diag *diag) {
  uint32_t i, d;
  for (i = 0; i < m->n_tensors; ++i) {
    const mcb_img_tensor *t = &m->tensors[i];
    uint32_t elem = mcb_dtype_size(t->dtype), bytes;
    if (elem == 0 || t->rank > MCB_IMAGE_MAX_RANK) return format_error(diag, MCB_IMAGE_ERR_BAD_TENSOR, (int32_t)i);
    for (d = t->rank; d < MCB_IMAGE_MAX_RANK; ++d)
      if (t->shape[d] != 1) return format_error(diag, MCB_IMAGE_ERR_BAD_TENSOR, (int32_t)i);
    if (!mcb_checked_bytes(t->shape, t->rank, elem, &bytes) || bytes != t->size)
      return format_error(diag, MCB_IMAGE_ERR_BAD_TENSOR, (int32_t)i);
    switch (t->storage) {
      case MCB_STORAGE_NONE: break;
      case MCB_STORAGE_EXTERNAL_INPUT: /* fall through: both are checked with the patch schedule */
      case MCB_STORAGE_TILE: break;
      case MCB_STORAGE_RING: break; /* checked with the stream schedule */
      case MCB_STORAGE_ARENA:
        if (!fits(t->offset, t->size, m->header->arena_size))
          return mcb_fail(diag, MCB_ERR_FORMAT, MCB_IMAGE_ERR_ARENA_TOO_SMALL, (int32_t)i);
        /* Kernels access int32/float elements directly: the buffer must be naturally aligned (the arena is
         * 16-aligned, so the offset decides). */
        if (t->offset % elem != 0) return format_error(diag, MCB_IMAGE_ERR_BAD_ALIGNMENT, (int32_t)i);
        break;
      case MCB_STORAGE_CONSTANT:
        if (t->offset % 4 != 0) return format_error(diag, MCB_IMAGE_ERR_BAD_ALIGNMENT, (int32_t)i);
        if (!fits(t->offset, t->size, m->constants_size)) return format_error(diag, MCB_IMAGE_ERR_BAD_TENSOR, (int32_t)i);
        break;
      default: return format_error(diag, MCB_IMAGE_ERR_BAD_TENSOR, (int32_t)i);
    }
  }
  return MCB_OK;
}

static mcb_status check_ops(const mcb_model *m, mcb_diag *diag) {
  uint32_t i, j;
  mcb_status st;
  for (i = 0; i < m->n_ops; ++i) {
    const mcb_img_op *op = &m->ops[i];
    uint32_t n = (uint32_t)op->n_inputs + op->n_outputs;
    if (op->n_outputs == 0 || !fits(op->io_index, n, m->n_indices)) return format_error(diag, MCB_IMAGE_ERR_BAD_OP, (int32_t)i);
    for (j = 0; j < n; ++j) {
      int32_t t = mcb_op_tensor(m, op, j);
      if (t == -1 && j < op->n_inputs) continue;
      if (t < 0 || (uint32_t)t >= m->n_tensors || m->tensors[t].storage == MCB_STORAGE_NONE)
        return format_error(diag, MCB_IMAGE_ERR_BAD_OP, (int32_t)i);
      if (j >= op->n_inputs && m->tensors[t].storage == MCB_STORAGE_CONSTANT)
        return format_error(diag, MCB_IMAGE_ERR_BAD_OP, (int32_t)i);
    }
    if (op->params_offset % 4 != 0 || !fits(op->params_offset, op->params_size, m->params_size))
      return format_error(diag, MCB_IMAGE_ERR_BAD_PARAMS, (int32_t)i);
    if (op->scratch_size > m->header->scratch_size)
      return mcb_fail(diag, MCB_ERR_FORMAT, MCB_IMAGE_ERR_SCRATCH_TOO_SMALL, (int32_t)i);
    if (op->code == 0 || op->code > MCB_OP_CODE_MAX) return format_error(diag, MCB_IMAGE_ERR_BAD_OP, (int32_t)i);
    if (!mcb_op_supported(op->code)) return mcb_fail(diag, MCB_ERR_OP, MCB_IMAGE_ERR_UNSUPPORTED_OP, (int32_t)i);
    st = mcb_op_check(m, i, diag);
    if (st != MCB_OK) return st;
  }
  return MCB_OK;
}

static mcb_status check_io(mcb_model *m, mcb_diag *diag) {
  uint32_t i;
  uint64_t in_bytes = 0, out_bytes = 0;
  for (i = 0; i < m->n_io; ++i) {
    const mcb_img_io *io = &m->io[i];
    const mcb_img_tensor *t;
    uint32_t elems, ext;
    if (io->tensor >= m->n_tensors) return format_error(diag, MCB_IMAGE_ERR_BAD_IO, (int32_t)i);
    t = &m->tensors[io->tensor];
    ext = mcb_dtype_size(io->external_dtype);
    if (ext == 0) return format_error(diag, MCB_IMAGE_ERR_BAD_IO, (int32_t)i);
    elems = t->size / mcb_dtype_size(t->dtype);
    if ((uint64_t)elems * ext != io->external_size) return format_error(diag, MCB_IMAGE_ERR_BAD_IO, (int32_t)i);
    switch (io->convert) {
      case MCB_IO_CONVERT_COPY:
        if (io->external_dtype != t->dtype) return format_error(diag, MCB_IMAGE_ERR_BAD_IO, (int32_t)i);
        break;
      case MCB_IO_CONVERT_QUANTIZE_FLOAT:
        if (io->direction != MCB_IO_INPUT) return format_error(diag, MCB_IMAGE_ERR_BAD_IO, (int32_t)i);
        /* fall through */
      case MCB_IO_CONVERT_DEQUANTIZE_FLOAT:
        if (io->external_dtype != MCB_DTYPE_FLOAT32 || t->dtype != MCB_DTYPE_INT8 || !(io->scale > 0.0f))
          return format_error(diag, MCB_IMAGE_ERR_BAD_IO, (int32_t)i);
        if (io->convert == MCB_IO_CONVERT_DEQUANTIZE_FLOAT && io->direction != MCB_IO_OUTPUT)
          return format_error(diag, MCB_IMAGE_ERR_BAD_IO, (int32_t)i);
        break;
      default: return format_error(diag, MCB_IMAGE_ERR_BAD_IO, (int32_t)i);
    }
    if (io->direction == MCB_IO_INPUT) {
      /* Inputs come first so the concatenated caller buffer matches the record order. */
      if (m->n_outputs) return format_error(diag, MCB_IMAGE_ERR_BAD_IO, (int32_t)i);
      if (t->storage != MCB_STORAGE_ARENA && t->storage != MCB_STORAGE_EXTERNAL_INPUT && t->storage != MCB_STORAGE_RING)
        return format_error(diag, MCB_IMAGE_ERR_BAD_IO, (int32_t)i);
      m->n_inputs++;
      in_bytes += io->external_size;
    } else if (io->direction == MCB_IO_OUTPUT) {
      if (t->storage != MCB_STORAGE_ARENA) return format_error(diag, MCB_IMAGE_ERR_BAD_IO, (int32_t)i);
      m->n_outputs++;
      out_bytes += io->external_size;
    } else {
      return format_error(diag, MCB_IMAGE_ERR_BAD_IO, (int32_t)i);
    }
  }
  if (m->n_inputs == 0 || m->n_outputs == 0 || in_bytes > 0xFFFFFFFFu || out_bytes > 0xFFFFFFFFu)
    return format_error(diag, MCB_IMAGE_ERR_BAD_IO, -1);
  m->input_bytes = (uint32_t)in_bytes;
  m->output_bytes = (uint32_t)out_bytes;
  return MCB_OK;
}

static mcb_status check_layer_schedule(const mcb_model *m, mcb_diag *diag) {
  uint32_t i;
  for (i = 0; i < m->n_layer_ops; ++i)
    if (m->layer_ops[i] >= m->n_ops) return format_error(diag, MCB_IMAGE_ERR_BAD_SCHEDULE, (int32_t)i);
  return MCB_OK;
}

static mcb_status load_patch_schedule(mcb_model *m, const uint8_t *data, uint32_t size, mcb_diag *diag) {
  const mcb_img_patch_header *ph = (const mcb_img_patch_header *)data;
  uint64_t need;
  if (size < sizeof(*ph)) return format_error(diag, MCB_IMAGE_ERR_BAD_SCHEDULE, -1);
  if (ph->stage_op_count == 0 || ph->patch_count == 0 || ph->stage_op_count > m->n_ops)
    return format_error(diag, MCB_IMAGE_ERR_BAD_SCHEDULE, -1);
  need = sizeof(*ph) + 4ull * ph->stage_op_count;
  need = (need + 7u) & ~7ull; /* steps start 8-aligned */
  need += (uint64_t)ph->patch_count * ph->stage_op_count * sizeof(mcb_img_patch_step);
  if (need != size) return format_error(diag, MCB_IMAGE_ERR_BAD_SCHEDULE, -1);
  m->patch = ph;
  m->stage_ops = (const uint32_t *)(data + sizeof(*ph));
  m->steps = (const mcb_img_patch_step *)(data + ((sizeof(*ph) + 4u * ph->stage_op_count + 7u) & ~7u));
  return mcb_patch_check(m, diag);
}

mcb_status mcb_model_load(mcb_model *model, const void *image, size_t size, mcb_diag *diag) {
  mcb_model m;
  const uint8_t *data = NULL;
  uint32_t bytes = 0, count = 0;
  mcb_status st;
  if (diag) { diag->error = MCB_IMAGE_ERR_NONE; diag->index = -1; diag->kernel_status = MCB_OK; }
  if (!model || !image) return mcb_fail(diag, MCB_ERR_ARG, MCB_IMAGE_ERR_NONE, -1);
  if (((uintptr_t)image) % MCB_IMAGE_SECTION_ALIGN != 0) return format_error(diag, MCB_IMAGE_ERR_BAD_ALIGNMENT, -1);
  memset(&m, 0, sizeof(m));
  if ((st = check_header(&m, (const uint8_t *)image, size, diag)) != MCB_OK) return st;

  if ((st = find_section(&m, MCB_SECTION_TENSORS, sizeof(mcb_img_tensor), 1, &data, &bytes, &count, diag))) return st;
  m.tensors = (const mcb_img_tensor *)data; m.n_tensors = count;
  if ((st = find_section(&m, MCB_SECTION_OPS, sizeof(mcb_img_op), 1, &data, &bytes, &count, diag))) return st;
  m.ops = (const mcb_img_op *)data; m.n_ops = count;
  if ((st = find_section(&m, MCB_SECTION_INDICES, 4, 1, &data, &bytes, &count, diag))) return st;
  m.indices = (const int32_t *)data; m.n_indices = count;
  if ((st = find_section(&m, MCB_SECTION_PARAMS, 0, 0, &data, &bytes, &count, diag))) return st;
  m.params = data; m.params_size = bytes;
  if ((st = find_section(&m, MCB_SECTION_CONSTANTS, 0, 0, &data, &bytes, &count, diag))) return st;
  m.constants = data; m.constants_size = bytes;
  if ((st = find_section(&m, MCB_SECTION_IO, sizeof(mcb_img_io), 1, &data, &bytes, &count, diag))) return st;
  m.io = (const mcb_img_io *)data; m.n_io = count;
  if ((st = find_section(&m, MCB_SECTION_LAYER_SCHEDULE, 4, 1, &data, &bytes, &count, diag))) return st;
  m.layer_ops = (const uint32_t *)data; m.n_layer_ops = count;

  if ((st = check_tensors(&m, diag)) != MCB_OK) return st;
  if ((st = check_ops(&m, diag)) != MCB_OK) return st;
  if ((st = check_io(&m, diag)) != MCB_OK) return st;
  if ((st = check_layer_schedule(&m, diag)) != MCB_OK) return st;
  if ((st = find_section(&m, MCB_SECTION_PATCH_SCHEDULE, 0, 0, &data, &bytes, &count, diag))) return st;
  if (data) {
    if ((st = load_patch_schedule(&m, data, bytes, diag)) != MCB_OK) return st;
  } else {
    uint32_t i;
    for (i = 0; i < m.n_tensors; ++i)
      if (m.tensors[i].storage == MCB_STORAGE_EXTERNAL_INPUT || m.tensors[i].storage == MCB_STORAGE_TILE) return format_error(diag, MCB_IMAGE_ERR_BAD_TENSOR, (int32_t)i);
  }
  if ((st = find_section(&m, MCB_SECTION_STREAM_SCHEDULE, 0, 0, &data, &bytes, &count, diag))) return st;
  if (data) {
    if ((st = mcb_stream_load(&m, data, bytes, diag)) != MCB_OK) return st;
  } else {
    uint32_t i;
    for (i = 0; i < m.n_tensors; ++i)
      if (m.tensors[i].storage == MCB_STORAGE_RING) return format_error(diag, MCB_IMAGE_ERR_BAD_TENSOR, (int32_t)i);
  }
  if ((st = mcb_schedule_check(&m, diag)) != MCB_OK) return st;
  *model = m;
  return MCB_OK;
}

uint32_t mcb_model_scratch_offset(const mcb_model *model) {
  return (model->header->arena_size + 15u) & ~15u;
}

uint32_t mcb_model_arena_bytes(const mcb_model *model) {
  return mcb_model_scratch_offset(model) + model->header->scratch_size;
}

const char *mcb_image_error_name(mcb_image_error error) {
  static const char *const names[] = {
    "NONE", "TRUNCATED", "BAD_MAGIC", "BAD_VERSION", "BAD_CRC", "BAD_SECTION", "BAD_ALIGNMENT", "BAD_TENSOR",
    "BAD_OP", "BAD_PARAMS", "BAD_SCHEDULE", "BAD_IO", "ARENA_TOO_SMALL", "UNSUPPORTED_OP", "BAD_INPUT_SIZE",
    "KERNEL_FAILED", "SCRATCH_TOO_SMALL", "SCHEDULE_ORDER", "ARENA_OVERLAP",
  };
  return (unsigned)error < sizeof(names) / sizeof(names[0]) ? names[error] : "UNKNOWN";
}
