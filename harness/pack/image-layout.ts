// Byte sizes of the model image's fixed records: the TS mirror of native/runtime/include/mcb/image.h (whose
// static asserts pin the same numbers; tests/native/image-loader compiles a probe that prints them).
export const HEADER_BYTES = 64;
export const SECTION_ENTRY_BYTES = 16;
export const TENSOR_RECORD_BYTES = 48;
export const OP_RECORD_BYTES = 24;
export const IO_RECORD_BYTES = 20;
export const PATCH_HEADER_BYTES = 32;
export const PATCH_STEP_BYTES = 72;
export const STREAM_HEADER_BYTES = 16;
export const STREAM_SEGMENT_BYTES = 16;
export const STREAM_RING_BYTES = 16;
export const STREAM_STEP_BYTES = 20;
/** Header field offsets the packer patches after laying out the sections. */
export const HEADER_FIELDS = {
  magic: 0, version: 4, headerSize: 6, totalSize: 8, crc32: 12, flags: 16, arenaSize: 20, scratchSize: 24,
  sectionCount: 28, modelHash: 32,
} as const;
/** Constant tensors start on this boundary inside the CONSTANTS section (kernels may use SIMD loads). */
export const CONSTANT_ALIGN = 16;
/** The part of the file the CRC covers starts here (just after the crc32 field). */
export const CRC_START = 16;
