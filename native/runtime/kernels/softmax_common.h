/* Private: the quantized softmax row loop shared by the int8 and uint8 kernels. */
#ifndef MCB_SOFTMAX_COMMON_H
#define MCB_SOFTMAX_COMMON_H

#include "mcb/kernels.h"

/* input/output are int8 (is_u8 = 0, output offset -128) or uint8 (is_u8 = 1, offset 0). */
mcb_status mcb__softmax_rows(const mcb_softmax_params *params, int32_t outer, int32_t depth,
                             const void *input, void *output, int is_u8);

#endif /* MCB_SOFTMAX_COMMON_H */
