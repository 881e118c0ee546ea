/* Prints the record sizes and field offsets of mcb/image.h as JSON, so a test can hold the TS packer's
 * layout (harness/pack/image-layout.ts and the field offsets in docs/model-image.md) against the C structs. */
#include <stddef.h>
#include <stdio.h>
#include "mcb/image.h"

#define FIELD(t, f) printf("\"%s.%s\": %u,\n", #t, #f, (unsigned)offsetof(t, f))
#define SIZE(t) printf("\"sizeof %s\": %u,\n", #t, (unsigned)sizeof(t))

int main(void) {
  printf("{\n");
  SIZE(mcb_img_header); SIZE(mcb_img_section); SIZE(mcb_img_tensor); SIZE(mcb_img_op); SIZE(mcb_img_io);
  SIZE(mcb_img_patch_header); SIZE(mcb_img_patch_step);
  FIELD(mcb_img_header, total_size); FIELD(mcb_img_header, crc32); FIELD(mcb_img_header, arena_size);
  FIELD(mcb_img_header, scratch_size); FIELD(mcb_img_header, section_count); FIELD(mcb_img_header, model_hash);
  FIELD(mcb_img_tensor, storage); FIELD(mcb_img_tensor, shape); FIELD(mcb_img_tensor, offset); FIELD(mcb_img_tensor, size);
  FIELD(mcb_img_tensor, scale); FIELD(mcb_img_tensor, zero_point); FIELD(mcb_img_tensor, graph_index);
  FIELD(mcb_img_op, io_index); FIELD(mcb_img_op, params_offset); FIELD(mcb_img_op, params_size);
  FIELD(mcb_img_op, scratch_size); FIELD(mcb_img_op, graph_index);
  FIELD(mcb_img_io, direction); FIELD(mcb_img_io, external_dtype); FIELD(mcb_img_io, convert);
  FIELD(mcb_img_io, external_size); FIELD(mcb_img_io, scale); FIELD(mcb_img_io, zero_point);
  FIELD(mcb_img_patch_step, out_offset); FIELD(mcb_img_patch_step, n_inputs); FIELD(mcb_img_patch_step, in);
  printf("\"end\": 0\n}\n");
  return 0;
}
