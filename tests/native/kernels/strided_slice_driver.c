/*
 * Runs mcb_strided_slice_s32 on cases read from stdin, for tests/native/strided-slice-numpy.test.ts.
 * One case per line: rank dims[rank] start[5] stop[5] stride[5] begin_mask end_mask shrink_mask offset
 * out_count. Input element i holds the value i. Prints "<status> <values...>" per case.
 */
#include <stdio.h>
#include <string.h>

#include "mcb/kernels_layout.h"

#define MAX_ELEMENTS 1024

int main(void) {
  static int32_t in[MAX_ELEMENTS], out[MAX_ELEMENTS];
  int32_t i;
  for (i = 0; i < MAX_ELEMENTS; ++i) in[i] = i;
  for (;;) {
    mcb_strided_slice_params p;
    mcb_shape s;
    int32_t d, out_count, n = 1;
    unsigned begin_mask, end_mask, shrink_mask;
    mcb_status st;
    memset(&p, 0, sizeof p);
    memset(&s, 0, sizeof s);
    if (scanf("%d", &s.rank) != 1) break;
    if (s.rank < 1 || s.rank > MCB_STRIDED_SLICE_MAX_DIMS) return 2;
    for (d = 0; d < s.rank; ++d) {
      if (scanf("%d", &s.dims[d]) != 1 || s.dims[d] < 1) return 2;
      n *= s.dims[d];
    }
    if (n > MAX_ELEMENTS) return 2;
    for (d = 0; d < MCB_STRIDED_SLICE_MAX_DIMS; ++d) if (scanf("%d", &p.start[d]) != 1) return 2;
    for (d = 0; d < MCB_STRIDED_SLICE_MAX_DIMS; ++d) if (scanf("%d", &p.stop[d]) != 1) return 2;
    for (d = 0; d < MCB_STRIDED_SLICE_MAX_DIMS; ++d) if (scanf("%d", &p.stride[d]) != 1) return 2;
    if (scanf("%u %u %u %d %d", &begin_mask, &end_mask, &shrink_mask, &p.offset, &out_count) != 5) return 2;
    if (out_count < 0 || out_count > MAX_ELEMENTS) return 2;
    p.rank = s.rank;
    p.begin_mask = begin_mask;
    p.end_mask = end_mask;
    p.shrink_axis_mask = shrink_mask;
    st = mcb_strided_slice_s32(&p, &s, in, out, out_count);
    printf("%d", (int)st);
    for (i = 0; st == MCB_OK && i < out_count; ++i) printf(" %d", out[i]);
    printf("\n");
  }
  return 0;
}
