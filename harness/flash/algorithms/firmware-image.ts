// Turns an ELF or a raw .bin into the bytes to place in flash. ELF PT_LOAD segments go to their physical (load)
// address, so initialised .data goes to its flash copy.
import * as fs from 'fs';
import { ElfFormatError, isElf, readElf } from '../../build/elf';
import { FlashError, hex32 } from '../probe';

export interface ImageSegment {
  address: number;
  data: Uint8Array;
}

/** Loadable segments with file content, by physical address, in file order (read by harness/build/elf.ts). */
export function readElfSegments(bytes: Uint8Array, name: string): ImageSegment[] {
  let segments: ImageSegment[];
  try {
    segments = readElf(bytes, name).loadSegments.map((s) => ({ address: s.paddr, data: s.data }));
  } catch (err) {
    if (err instanceof ElfFormatError) throw new FlashError(err.message);
    throw err;
  }
  if (segments.length === 0) throw new FlashError(`${name}: has no loadable segment with content`);
  return segments;
}

/** Reads an ELF (detected by magic) or a raw binary placed at `binBase`. */
export function loadFirmwareImage(file: string, binBase: number): ImageSegment[] {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new FlashError(`cannot read firmware '${file}': ${(err as Error).message}`);
  }
  if (isElf(bytes)) return readElfSegments(bytes, file);
  if (!file.toLowerCase().endsWith('.bin')) throw new FlashError(`${file}: neither an ELF file nor a .bin; pass the firmware.elf or firmware.bin from 'mcubench build'`);
  if (bytes.length === 0) throw new FlashError(`${file}: empty binary`);
  return [{ address: binBase, data: new Uint8Array(bytes) }];
}

export interface FlashBlock {
  address: number;
  data: Uint8Array;
}

/**
 * Merges segments into word-aligned blocks (gaps inside a word filled with 0xFF, the erased value), so every
 * flash write is whole 32-bit words. Overlapping segments are an error.
 */
export function toWordBlocks(segments: ImageSegment[], name: string): FlashBlock[] {
  const sorted = [...segments].sort((a, b) => a.address - b.address);
  for (let i = 1; i < sorted.length; i++) {
    const previousEnd = sorted[i - 1].address + sorted[i - 1].data.length;
    if (sorted[i].address < previousEnd) throw new FlashError(`${name}: segments at ${hex32(sorted[i - 1].address)} and ${hex32(sorted[i].address)} overlap`);
  }
  const spans: Array<{ start: number; end: number; parts: ImageSegment[] }> = [];
  for (const segment of sorted) {
    const start = segment.address - (segment.address % 4);
    const end = Math.ceil((segment.address + segment.data.length) / 4) * 4;
    const last = spans[spans.length - 1];
    if (last && start <= last.end) {
      last.end = Math.max(last.end, end);
      last.parts.push(segment);
    } else {
      spans.push({ start, end, parts: [segment] });
    }
  }
  return spans.map(({ start, end, parts }) => {
    const data = new Uint8Array(end - start).fill(0xff);
    for (const part of parts) data.set(part.data, part.address - start);
    return { address: start, data };
  });
}
