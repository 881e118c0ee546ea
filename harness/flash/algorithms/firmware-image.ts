// Turns an ELF or a raw .bin into the bytes to place in flash. The ELF32 reader takes PT_LOAD program headers at
// their physical (load) address, so initialised .data goes to its flash copy, and bounds-checks every offset.
import * as fs from 'fs';
import { FlashError, hex32 } from '../probe';

export interface ImageSegment {
  address: number;
  data: Uint8Array;
}

const PT_LOAD = 1;
const EM_ARM = 40;
const ELF_HEADER_SIZE = 52;
const PHDR_SIZE = 32;

export function isElf(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
}

/** Loadable segments with file content, by physical address, in file order. */
export function readElfSegments(bytes: Uint8Array, name: string): ImageSegment[] {
  const fail = (why: string): never => {
    throw new FlashError(`${name}: ${why}`);
  };
  if (!isElf(bytes)) fail('not an ELF file (no \\x7fELF magic)');
  if (bytes.length < ELF_HEADER_SIZE) fail(`ELF header truncated (${bytes.length} bytes, need ${ELF_HEADER_SIZE})`);
  if (bytes[4] !== 1 || bytes[5] !== 1) fail('not a 32-bit little-endian ELF; build it with arm-none-eabi-gcc for the board');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint16(18, true) !== EM_ARM) fail(`machine ${view.getUint16(18, true)} is not ARM (40)`);
  const phoff = view.getUint32(28, true);
  const phentsize = view.getUint16(42, true);
  const phnum = view.getUint16(44, true);
  if (phnum === 0) fail('has no program headers (is it an object file rather than a linked image?)');
  if (phentsize < PHDR_SIZE) fail(`program header entry size ${phentsize} is below ${PHDR_SIZE}`);
  if (phoff + phnum * phentsize > bytes.length) fail(`program header table (${phnum} × ${phentsize} bytes at ${phoff}) runs past the end of the file (${bytes.length} bytes)`);
  const segments: ImageSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (view.getUint32(at, true) !== PT_LOAD) continue;
    const offset = view.getUint32(at + 4, true);
    const paddr = view.getUint32(at + 12, true);
    const filesz = view.getUint32(at + 16, true);
    if (filesz === 0) continue; // .bss-like: nothing to store
    if (offset + filesz > bytes.length) fail(`segment ${i} (${filesz} bytes at file offset ${offset}) runs past the end of the file`);
    if (paddr + filesz > 0x1_0000_0000) fail(`segment ${i} at ${hex32(paddr)} wraps past the 4 GB address space`);
    segments.push({ address: paddr, data: bytes.slice(offset, offset + filesz) });
  }
  if (segments.length === 0) fail('has no loadable segment with content');
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
