// The one TypeScript reader of packed model images: header, section table, and the typed TENSORS and IO records
// (bounds-checked, no further validation: the C loader is the validator). Everything outside pack/ that needs a
// figure from an image (its I/O sizes, where its input lives) reads it here.
import { IMAGE_MAGIC, IO_CONVERT, IO_DIRECTION, SECTION_IDS, STORAGE } from './image-ids';
import { HEADER_BYTES, HEADER_FIELDS, IO_RECORD_BYTES, OP_RECORD_BYTES, SECTION_ENTRY_BYTES, TENSOR_RECORD_BYTES } from './image-layout';
import { ImageError } from './image-error';

export interface SectionEntry { id: number; name: string; offset: number; size: number; count: number; entryOffset: number }

export interface ImageSummary {
  version: number;
  totalSize: number;
  crc32: number;
  arenaSize: number;
  scratchSize: number;
  modelHash: string;
  sections: SectionEntry[];
}

export function isModelImage(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true) === IMAGE_MAGIC;
}

const SECTION_NAMES = new Map<number, string>(Object.entries(SECTION_IDS).map(([k, v]) => [v, k]));

export function readImageSummary(bytes: Uint8Array): ImageSummary {
  if (bytes.length < HEADER_BYTES || !isModelImage(bytes)) throw new ImageError('not a model image (no MCBI header)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(HEADER_FIELDS.sectionCount, true);
  if (HEADER_BYTES + count * SECTION_ENTRY_BYTES > bytes.length) throw new ImageError('model image section table is truncated');
  const sections: SectionEntry[] = [];
  for (let i = 0; i < count; i++) {
    const at = HEADER_BYTES + i * SECTION_ENTRY_BYTES;
    const id = view.getUint32(at, true);
    sections.push({
      id, name: SECTION_NAMES.get(id) ?? `#${id}`, offset: view.getUint32(at + 4, true), size: view.getUint32(at + 8, true),
      count: view.getUint32(at + 12, true), entryOffset: at,
    });
  }
  return {
    version: view.getUint16(HEADER_FIELDS.version, true),
    totalSize: view.getUint32(HEADER_FIELDS.totalSize, true),
    crc32: view.getUint32(HEADER_FIELDS.crc32, true),
    arenaSize: view.getUint32(HEADER_FIELDS.arenaSize, true),
    scratchSize: view.getUint32(HEADER_FIELDS.scratchSize, true),
    modelHash: Buffer.from(bytes.subarray(HEADER_FIELDS.modelHash, HEADER_FIELDS.modelHash + 32)).toString('hex'),
    sections,
  };
}

/** One TENSORS record (mcb_img_tensor in native/runtime/include/mcb/image.h). */
export interface TensorRecord {
  dtype: number;
  rank: number;
  /** STORAGE code: ARENA, CONSTANT, EXTERNAL_INPUT, TILE. */
  storage: number;
  shape: number[];
  offset: number;
  size: number;
  scale: number;
  zeroPoint: number;
  /** The tensor's index in the source graph. */
  graphIndex: number;
}

/** One IO record (mcb_img_io): how a model input or output crosses the boundary. */
export interface IoRecord {
  /** Image tensor index. */
  tensor: number;
  direction: 'input' | 'output';
  externalDtype: number;
  /** IO_CONVERT code. */
  convert: number;
  /** Bytes the caller exchanges. */
  externalSize: number;
  scale: number;
  zeroPoint: number;
}

export interface ImageRecords extends ImageSummary {
  tensors: TensorRecord[];
  io: IoRecord[];
  /** Bytes of all inputs / all outputs the caller exchanges (the sum of the IO records' externalSize). */
  inputBytes: number;
  outputBytes: number;
}

function sectionRecords(bytes: Uint8Array, summary: ImageSummary, id: number, recordBytes: number): { view: DataView; at: number[] } {
  const section = summary.sections.find((x) => x.id === id);
  if (!section) return { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), at: [] };
  if (section.offset + section.count * recordBytes > bytes.length || section.count * recordBytes > section.size) {
    throw new ImageError(`model image ${section.name} section (${section.count} records) runs past its size or the end of the image`);
  }
  return { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), at: Array.from({ length: section.count }, (_, i) => section.offset + i * recordBytes) };
}

/** Header, sections, and the TENSORS and IO records of an image. Throws ImageError on a truncated image. */
export function readImage(bytes: Uint8Array): ImageRecords {
  const summary = readImageSummary(bytes);
  const t = sectionRecords(bytes, summary, SECTION_IDS.TENSORS, TENSOR_RECORD_BYTES);
  const tensors = t.at.map((at): TensorRecord => {
    const rank = t.view.getUint8(at + 1);
    return {
      dtype: t.view.getUint8(at), rank, storage: t.view.getUint8(at + 2),
      shape: Array.from({ length: rank }, (_, d) => t.view.getInt32(at + 4 + 4 * d, true)),
      offset: t.view.getUint32(at + 28, true), size: t.view.getUint32(at + 32, true),
      scale: t.view.getFloat32(at + 36, true), zeroPoint: t.view.getInt32(at + 40, true), graphIndex: t.view.getUint32(at + 44, true),
    };
  });
  const r = sectionRecords(bytes, summary, SECTION_IDS.IO, IO_RECORD_BYTES);
  const io = r.at.map((at): IoRecord => ({
    tensor: r.view.getUint32(at, true), direction: r.view.getUint8(at + 4) === IO_DIRECTION.INPUT ? 'input' : 'output',
    externalDtype: r.view.getUint8(at + 5), convert: r.view.getUint8(at + 6), externalSize: r.view.getUint32(at + 8, true),
    scale: r.view.getFloat32(at + 12, true), zeroPoint: r.view.getInt32(at + 16, true),
  }));
  const total = (direction: IoRecord['direction']): number => io.filter((x) => x.direction === direction).reduce((sum, x) => sum + x.externalSize, 0);
  return { ...summary, tensors, io, inputBytes: total('input'), outputBytes: total('output') };
}

/** The op code (OP_CODES) of each OPS record, in schedule-independent operator order. Throws ImageError when truncated. */
export function readOpCodes(bytes: Uint8Array): number[] {
  const o = sectionRecords(bytes, readImageSummary(bytes), SECTION_IDS.OPS, OP_RECORD_BYTES);
  return o.at.map((at) => o.view.getUint16(at, true));
}

/**
 * Whether the bench firmware receives the input straight into the arena (bench_main.c's input_home()): a single
 * input whose tensor lives in the arena and is exchanged as-is, byte for byte.
 */
export function inputLivesInArena(image: ImageRecords): boolean {
  const inputs = image.io.filter((x) => x.direction === 'input');
  if (inputs.length !== 1) return false;
  const tensor = image.tensors[inputs[0].tensor];
  return tensor !== undefined && tensor.storage === STORAGE.ARENA && inputs[0].convert === IO_CONVERT.COPY && inputs[0].externalSize === tensor.size;
}

/**
 * Whether the bench firmware reads the output back straight from the arena (bench_main.c's output_home()): a single
 * output whose tensor lives in the arena and is exchanged as-is, byte for byte.
 */
export function outputLivesInArena(image: ImageRecords): boolean {
  const outputs = image.io.filter((x) => x.direction === 'output');
  if (outputs.length !== 1) return false;
  const tensor = image.tensors[outputs[0].tensor];
  return tensor !== undefined && tensor.storage === STORAGE.ARENA && outputs[0].convert === IO_CONVERT.COPY && outputs[0].externalSize === tensor.size;
}

/**
 * Whether the bench firmware streams the input (bench_main.c's input_streamed(), the runtime's
 * mcb_model_input_streamed): a single input that the schedule reads only in regions (a patch stage's input windows,
 * a streamed segment's rows), so the board asks the host for each region and holds no input buffer.
 */
export function inputIsStreamed(image: ImageRecords): boolean {
  const inputs = image.io.filter((x) => x.direction === 'input');
  if (inputs.length !== 1) return false;
  const storage = image.tensors[inputs[0].tensor]?.storage;
  return storage === STORAGE.EXTERNAL_INPUT || storage === STORAGE.RING;
}

/** The source-graph index of image tensor `index` (its record's graph_index), or undefined when out of range. */
export function graphTensorOf(bytes: Uint8Array, index: number): number | undefined {
  try {
    return readImage(bytes).tensors[index]?.graphIndex;
  } catch {
    return undefined;
  }
}
