/* The model boundary: the caller's bytes (external dtype) into input tensors, output tensors back out, with
 * the float quantize/dequantize of a removed boundary QUANTIZE/DEQUANTIZE done exactly as TFLM's kernels. */
#include <string.h>
#include "mcb/kernels.h"
#include "op_internal.h"

void mcb_io_convert_in(const mcb_img_io *io, const mcb_img_tensor *t, const uint8_t *src, uint8_t *dst,
                       uint32_t count) {
  if (io->convert == MCB_IO_CONVERT_QUANTIZE_FLOAT) {
    mcb_affine_quant q;
    q.scale = io->scale;
    q.zero_point = io->zero_point;
    /* Only fails on a non-positive scale, which the loader rejected. The caller's bytes need not be
     * float-aligned: then go element by element through a local. */
    if (((uintptr_t)src) % sizeof(float) == 0) {
      (void)mcb_quantize_f32_s8(&q, (const float *)src, (int8_t *)dst, (int32_t)count);
    } else {
      uint32_t k;
      for (k = 0; k < count; ++k) {
        float f;
        memcpy(&f, src + 4u * k, sizeof(f));
        (void)mcb_quantize_f32_s8(&q, &f, (int8_t *)dst + k, 1);
      }
    }
  } else if (dst != src) { /* a caller may have received its input straight into the arena */
    memcpy(dst, src, (size_t)count * mcb_dtype_size(t->dtype));
  }
}

mcb_status mcb_io_copy_in(const mcb_model *m, const mcb_arena *arena, mcb_input_source *input, mcb_diag *diag) {
  uint32_t i, at = 0;
  mcb_status st;
  for (i = 0; i < m->n_io; ++i) {
    const mcb_img_io *io = &m->io[i];
    const mcb_img_tensor *t = &m->tensors[io->tensor];
    if (io->direction != MCB_IO_INPUT) continue;
    if (t->storage == MCB_STORAGE_ARENA) {
      uint8_t *dst = mcb_arena_at(arena, t->offset, t->size);
      if (!dst) return mcb_fail(diag, MCB_ERR_FORMAT, MCB_IMAGE_ERR_BAD_IO, (int32_t)i);
      if (input->read && mcb_is_nhwc1(t, t->dtype)) {
        /* A streamed caller supplies an arena input as one region, the whole tensor. */
        mcb_img_window whole;
        whole.y0 = 0;
        whole.x0 = 0;
        whole.h = t->shape[1];
        whole.w = t->shape[2];
        if ((st = mcb_input_read(input, io->tensor, &whole, dst, diag)) != MCB_OK) return st;
      } else if (input->read) {
        return mcb_fail(diag, MCB_ERR_UNSUPPORTED, MCB_IMAGE_ERR_BAD_IO, (int32_t)i); /* not an image: no regions */
      } else {
        mcb_io_convert_in(io, t, input->whole + at, dst, t->size / mcb_dtype_size(t->dtype));
      }
    }
    at += io->external_size;
  }
  return MCB_OK;
}

mcb_status mcb_io_copy_out(const mcb_model *m, const mcb_arena *arena, uint8_t *output, mcb_diag *diag) {
  uint32_t i, at = 0;
  for (i = 0; i < m->n_io; ++i) {
    const mcb_img_io *io = &m->io[i];
    const mcb_img_tensor *t = &m->tensors[io->tensor];
    const uint8_t *src;
    if (io->direction != MCB_IO_OUTPUT) continue;
    src = mcb_arena_at(arena, t->offset, t->size);
    if (!src) return mcb_fail(diag, MCB_ERR_FORMAT, MCB_IMAGE_ERR_BAD_IO, (int32_t)i);
    if (io->convert == MCB_IO_CONVERT_DEQUANTIZE_FLOAT) {
      mcb_affine_quant q;
      float *dst = (float *)(output + at);
      q.scale = io->scale;
      q.zero_point = io->zero_point;
      /* The caller's buffer need not be float-aligned; convert element by element through a local. */
      if (((uintptr_t)dst) % sizeof(float) == 0) {
        (void)mcb_dequantize_s8_f32(&q, (const int8_t *)src, dst, (int32_t)t->size);
      } else {
        uint32_t k;
        for (k = 0; k < t->size; ++k) {
          float f;
          (void)mcb_dequantize_s8_f32(&q, (const int8_t *)src + k, &f, 1);
          memcpy(output + at + 4u * k, &f, sizeof(f));
        }
      }
    } else if (output + at != src) { /* a caller may read its output straight from the arena */
      memcpy(output + at, src, t->size);
    }
    at += io->external_size;
  }
  return MCB_OK;
}
