// The numbers the model image shares with the C runtime, defined once. scripts/gen-image-ids.js turns this
// module into native/runtime/include/mcb/image_ids.h; a test fails when the header is out of date.
import type { Activation, DType, OpType } from '../model/graph';

/** "MCBI" read as a little-endian u32. */
export const IMAGE_MAGIC = 0x4942434d;
/** Bump on any layout change; the loader rejects every other version. */
export const IMAGE_VERSION = 1;
/** Every section starts on this boundary so constant data can be used in place by SIMD kernels. */
export const IMAGE_SECTION_ALIGN = 16;
export const IMAGE_MAX_RANK = 6;
export const IMAGE_MAX_SECTIONS = 16;
/** Activation inputs a patch step can describe (ADD/MUL inside a patch stage need two). */
export const IMAGE_MAX_STEP_INPUTS = 2;
/** Marks an omitted optional operand or an absent arena offset. */
export const IMAGE_NONE = 0xffffffff;

/** Operator codes: stable numbers, never reused; order follows graph.ts SUPPORTED_OPS. */
export const OP_CODES: Record<OpType, number> = {
  CONV_2D: 1, DEPTHWISE_CONV_2D: 2, FULLY_CONNECTED: 3, ADD: 4, MUL: 5, PAD: 6, AVERAGE_POOL_2D: 7,
  MAX_POOL_2D: 8, MEAN: 9, RESHAPE: 10, SOFTMAX: 11, QUANTIZE: 12, DEQUANTIZE: 13, TRANSPOSE: 14,
  CONCATENATION: 15, RESIZE_NEAREST_NEIGHBOR: 16, LEAKY_RELU: 17, SHAPE: 18, STRIDED_SLICE: 19, PACK: 20,
  TILE: 21, RESIZE_BILINEAR: 22,
};

export const DTYPE_CODES: Record<DType, number> = {
  int8: 1, uint8: 2, int16: 3, int32: 4, int64: 5, float32: 6, float16: 7, bool: 8,
};

export const SECTION_IDS = {
  TENSORS: 1, OPS: 2, INDICES: 3, PARAMS: 4, CONSTANTS: 5, IO: 6, LAYER_SCHEDULE: 7, PATCH_SCHEDULE: 8, STREAM_SCHEDULE: 9,
} as const;

/** Where a tensor's bytes live. */
export const STORAGE = {
  NONE: 0,
  ARENA: 1,
  CONSTANT: 2,
  /** The network input in patch mode: stays in the caller's buffer, copied in tile by tile. */
  EXTERNAL_INPUT: 3,
  /** A tensor inside the patch stage: only per-patch tiles exist, at the offsets the patch steps give. */
  TILE: 4,
  /** A tensor of a streamed segment: only a ring of its rows exists (STREAM_SCHEDULE gives rows and offset). */
  RING: 5,
} as const;

export const IO_DIRECTION = { INPUT: 0, OUTPUT: 1 } as const;
/** What the boundary does between the caller's bytes and the tensor. */
export const IO_CONVERT = { COPY: 0, QUANTIZE_FLOAT: 1, DEQUANTIZE_FLOAT: 2 } as const;

export const ACTIVATION_CODES: Record<Activation, number> = { NONE: 0, RELU: 1, RELU6: 2, RELU_N1_TO_1: 3 };

/**
 * Why the loader rejected an image or the interpreter stopped: the detail behind the coarse mcb_status
 * (status.h) the C functions return, reported together with the offending index.
 */
export const IMAGE_ERRORS = {
  NONE: 0,
  TRUNCATED: 1,
  BAD_MAGIC: 2,
  BAD_VERSION: 3,
  BAD_CRC: 4,
  BAD_SECTION: 5,
  BAD_ALIGNMENT: 6,
  BAD_TENSOR: 7,
  BAD_OP: 8,
  BAD_PARAMS: 9,
  BAD_SCHEDULE: 10,
  BAD_IO: 11,
  ARENA_TOO_SMALL: 12,
  UNSUPPORTED_OP: 13,
  BAD_INPUT_SIZE: 14,
  KERNEL_FAILED: 15,
  SCRATCH_TOO_SMALL: 16,
  /** An operator is scheduled twice or never, or reads a tensor no earlier operator wrote (index: the op). */
  SCHEDULE_ORDER: 17,
  /** Two tensors (or patch tiles) live at the same time share arena bytes (index: the op writing the later one). */
  ARENA_OVERLAP: 18,
} as const;
export type ImageErrorName = keyof typeof IMAGE_ERRORS;

export function imageErrorName(code: number): string {
  const hit = (Object.keys(IMAGE_ERRORS) as ImageErrorName[]).find((k) => IMAGE_ERRORS[k] === code);
  return hit ?? `error ${code}`;
}
