/* int8 -> int8 SOFTMAX: TFLM reference_ops::Softmax<int8_t, int8_t>; see softmax_common.c. */
#include "kernels_ref.h"
#include "softmax_common.h"

mcb_status mcb_softmax_s8_ref(const mcb_softmax_params *params, int32_t outer, int32_t depth,
                          const int8_t *input, int8_t *output) {
  return mcb__softmax_rows(params, outer, depth, input, output, 0);
}
