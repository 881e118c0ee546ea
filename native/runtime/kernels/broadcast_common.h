/* Private: NumPy-style broadcasting of an int8 binary function (ADD, MUL). */
#ifndef MCB_BROADCAST_COMMON_H
#define MCB_BROADCAST_COMMON_H

#include "mcb/kernels.h"

typedef int8_t (*mcb__binary_s8_fn)(int32_t a, int32_t b, const void *params);

/* Checks shapes (out = broadcast of in1 and in2) and aliasing (in-place case c),
 * then applies fn to every output element in row-major order. */
mcb_status mcb__broadcast_binary_s8(const mcb_shape *shape1, const int8_t *input1,
                                    const mcb_shape *shape2, const int8_t *input2,
                                    const mcb_shape *out_shape, int8_t *output,
                                    mcb__binary_s8_fn fn, const void *params);

#endif /* MCB_BROADCAST_COMMON_H */
