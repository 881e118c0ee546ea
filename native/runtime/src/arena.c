/* Bounds-checked carving of the one caller-provided buffer: the plan's arena first, kernel scratch after it. */
#include "runtime_internal.h"

mcb_status mcb_arena_init(mcb_arena *arena, const mcb_model *m, const mcb_run_config *config, mcb_diag *diag) {
  uint32_t scratch_at = mcb_model_scratch_offset(m);
  if (!config || !config->arena) return mcb_fail(diag, MCB_ERR_ARG, MCB_IMAGE_ERR_NONE, -1);
  if (((uintptr_t)config->arena) % 16u != 0) return mcb_fail(diag, MCB_ERR_ARG, MCB_IMAGE_ERR_BAD_ALIGNMENT, -1);
  if (config->arena_size < mcb_model_arena_bytes(m))
    return mcb_fail(diag, MCB_ERR_MEMORY, MCB_IMAGE_ERR_ARENA_TOO_SMALL, -1);
  arena->base = config->arena;
  arena->size = m->header->arena_size;
  arena->scratch = m->header->scratch_size ? config->arena + scratch_at : NULL;
  arena->scratch_size = m->header->scratch_size;
  return MCB_OK;
}

uint8_t *mcb_arena_at(const mcb_arena *arena, uint32_t offset, uint32_t size) {
  if (offset > arena->size || size > arena->size - offset) return NULL;
  return arena->base + offset;
}

uint8_t *mcb_tensor_data(const mcb_model *m, const mcb_arena *arena, uint32_t tensor) {
  const mcb_img_tensor *t;
  if (tensor >= m->n_tensors) return NULL;
  t = &m->tensors[tensor];
  switch (t->storage) {
    case MCB_STORAGE_ARENA: return mcb_arena_at(arena, t->offset, t->size);
    /* Kernels take const pointers for constants; the cast only lets one accessor serve both kinds. */
    case MCB_STORAGE_CONSTANT: return (uint8_t *)(m->constants + t->offset);
    default: return NULL;
  }
}
