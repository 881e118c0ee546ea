/* Helpers every runtime file may use, depending on nothing else in the runtime: failure recording, element
 * sizes, checked byte counts, operand lookup. Kept apart from the loader (image.c) so that the loader, the
 * op adapters, the arena and the executors depend on this file, not on each other. */
#include "base.h"

mcb_status mcb_fail(mcb_diag *diag, mcb_status status, mcb_image_error error, int32_t index) {
  if (diag) {
    diag->error = error;
    diag->index = index;
    if (error != MCB_IMAGE_ERR_KERNEL_FAILED) diag->kernel_status = MCB_OK;
  }
  return status;
}

uint32_t mcb_dtype_size(uint32_t dtype) {
  switch (dtype) {
    case MCB_DTYPE_INT8: case MCB_DTYPE_UINT8: case MCB_DTYPE_BOOL: return 1;
    case MCB_DTYPE_INT16: case MCB_DTYPE_FLOAT16: return 2;
    case MCB_DTYPE_INT32: case MCB_DTYPE_FLOAT32: return 4;
    case MCB_DTYPE_INT64: return 8;
    default: return 0;
  }
}

int mcb_checked_bytes(const int32_t *dims, uint32_t rank, uint32_t elem_size, uint32_t *bytes) {
  uint64_t total = elem_size;
  uint32_t i;
  for (i = 0; i < rank; ++i) {
    if (dims[i] < 0) return 0;
    total *= (uint64_t)dims[i];
    if (total > 0xFFFFFFFFu) return 0;
  }
  *bytes = (uint32_t)total;
  return 1;
}

int32_t mcb_op_tensor(const mcb_model *m, const mcb_img_op *op, uint32_t j) {
  return m->indices[op->io_index + j];
}
