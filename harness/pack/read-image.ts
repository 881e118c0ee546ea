// Reads a model image's header and section table (no validation beyond bounds): for tools and tests that
// need to find a section or a header field. The C loader is the validator.
import { IMAGE_MAGIC, SECTION_IDS } from './image-ids';
import { HEADER_BYTES, HEADER_FIELDS, SECTION_ENTRY_BYTES, TENSOR_RECORD_BYTES } from './image-layout';
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

/** The source-graph index of image tensor `index` (its record's graph_index), or undefined when out of range. */
export function graphTensorOf(bytes: Uint8Array, index: number): number | undefined {
  try {
    const s = readImageSummary(bytes).sections.find((x) => x.id === SECTION_IDS.TENSORS);
    const at = s ? s.offset + index * TENSOR_RECORD_BYTES + 44 : -1;
    if (!s || index < 0 || index >= s.count || at + 4 > bytes.length) return undefined;
    return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(at, true);
  } catch {
    return undefined;
  }
}
