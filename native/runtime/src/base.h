/* The runtime's generic helpers (base.c), declared apart from the loader, the adapters and the executors. */
#ifndef MCB_RUNTIME_BASE_H
#define MCB_RUNTIME_BASE_H

#include "mcb/runtime.h"

/* Records a failure in diag (which may be NULL) and returns status. */
mcb_status mcb_fail(mcb_diag *diag, mcb_status status, mcb_image_error error, int32_t index);

/* Product of dims times elem_size into *bytes; 0 on overflow past UINT32_MAX or a negative dim. */
int mcb_checked_bytes(const int32_t *dims, uint32_t rank, uint32_t elem_size, uint32_t *bytes);

/* Tensor index of op's operand j (inputs first, then outputs); -1 for an omitted optional input. */
int32_t mcb_op_tensor(const mcb_model *m, const mcb_img_op *op, uint32_t j);

#endif /* MCB_RUNTIME_BASE_H */
