/* Legacy uint8 SOFTMAX: TFLite reference_ops::Softmax<uint8_t, uint8_t>; see softmax_common.c. */
#include "kernels_ref.h"
#include "softmax_common.h"

mcb_status mcb_softmax_u8_ref(const mcb_softmax_params *params, int32_t outer, int32_t depth,
                          const uint8_t *input, uint8_t *output) {
  return mcb__softmax_rows(params, outer, depth, input, output, 1);
}
