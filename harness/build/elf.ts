// The one ELF32 reader: program headers (what a loader places where) and section headers (what the linker made of
// each section). Every offset and size is bounds-checked against the file before it is read.

export interface ElfLoadSegment {
  /** Index in the program header table. */
  index: number;
  /** Where the bytes are stored (flash for initialised .data): what a flasher or QEMU writes. */
  paddr: number;
  vaddr: number;
  /** The bytes from the file; length is p_filesz. */
  data: Uint8Array;
  memSize: number;
}

export interface ElfSection {
  name: string;
  type: number;
  flags: number;
  addr: number;
  size: number;
  /** Where the section's bytes are in the file (meaningless for SHT_NOBITS). */
  offset: number;
}

export interface ElfFile {
  /** PT_LOAD segments with file content, in file order. */
  loadSegments: ElfLoadSegment[];
  sections: ElfSection[];
}

export const SHT_NOBITS = 8;
export const SHF_WRITE = 0x1;
export const SHF_ALLOC = 0x2;
export const SHF_EXECINSTR = 0x4;

const PT_LOAD = 1;
const EM_ARM = 40;
const ELF_HEADER_SIZE = 52;
const PHDR_SIZE = 32;
const SHDR_SIZE = 40;

/** A file that is not a usable 32-bit ARM ELF; the message starts with the file's name. Callers rethrow it as their own error. */
export class ElfFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ElfFormatError';
  }
}

export function isElf(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
}

/** Reads a linked 32-bit little-endian ARM ELF; `name` (the file) starts every error message. */
export function readElf(bytes: Uint8Array, name: string): ElfFile {
  const fail = (why: string): never => {
    throw new ElfFormatError(`${name}: ${why}`);
  };
  if (!isElf(bytes)) fail('not an ELF file (no \\x7fELF magic)');
  if (bytes.length < ELF_HEADER_SIZE) fail(`ELF header truncated (${bytes.length} bytes, need ${ELF_HEADER_SIZE})`);
  if (bytes[4] !== 1 || bytes[5] !== 1) fail('not a 32-bit little-endian ELF; build it with arm-none-eabi-gcc for the board');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number): number => view.getUint16(at, true);
  const u32 = (at: number): number => view.getUint32(at, true);
  if (u16(18) !== EM_ARM) fail(`machine ${u16(18)} is not ARM (40)`);

  const phoff = u32(28);
  const phentsize = u16(42);
  const phnum = u16(44);
  if (phnum === 0) fail('has no program headers (is it an object file rather than a linked image?)');
  if (phentsize < PHDR_SIZE) fail(`program header entry size ${phentsize} is below ${PHDR_SIZE}`);
  if (phoff + phnum * phentsize > bytes.length) fail(`program header table (${phnum} × ${phentsize} bytes at ${phoff}) runs past the end of the file (${bytes.length} bytes)`);
  const loadSegments: ElfLoadSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (u32(at) !== PT_LOAD) continue;
    const offset = u32(at + 4);
    const paddr = u32(at + 12);
    const fileSize = u32(at + 16);
    if (fileSize === 0) continue; // .bss-like: nothing stored in the file
    if (offset + fileSize > bytes.length) fail(`segment ${i} (${fileSize} bytes at file offset ${offset}) runs past the end of the file`);
    if (paddr + fileSize > 0x1_0000_0000) fail(`segment ${i} at 0x${paddr.toString(16).padStart(8, '0')} wraps past the 4 GB address space`);
    loadSegments.push({ index: i, paddr, vaddr: u32(at + 8), data: bytes.slice(offset, offset + fileSize), memSize: u32(at + 20) });
  }
  return { loadSegments, sections: readSections(bytes, view, fail) };
}

function readSections(bytes: Uint8Array, view: DataView, fail: (why: string) => never): ElfSection[] {
  const shoff = view.getUint32(32, true);
  const shentsize = view.getUint16(46, true);
  const shnum = view.getUint16(48, true);
  const shstrndx = view.getUint16(50, true);
  if (shnum === 0) return []; // stripped of section headers: still loadable
  if (shentsize < SHDR_SIZE) fail(`section header entry size ${shentsize} is below ${SHDR_SIZE}`);
  if (shoff + shnum * shentsize > bytes.length) fail(`section header table (${shnum} × ${shentsize} bytes at ${shoff}) runs past the end of the file`);
  if (shstrndx >= shnum) fail(`section name table index ${shstrndx} is outside the ${shnum} sections`);
  const header = (i: number) => {
    const at = shoff + i * shentsize;
    return {
      nameOffset: view.getUint32(at, true), type: view.getUint32(at + 4, true), flags: view.getUint32(at + 8, true),
      addr: view.getUint32(at + 12, true), offset: view.getUint32(at + 16, true), size: view.getUint32(at + 20, true),
    };
  };
  const names = header(shstrndx);
  if (names.offset + names.size > bytes.length) fail('section name table runs past the end of the file');
  const nameAt = (offset: number): string => {
    if (offset >= names.size) fail(`section name offset ${offset} is outside the name table (${names.size} bytes)`);
    let end = names.offset + offset;
    const limit = names.offset + names.size;
    while (end < limit && bytes[end] !== 0) end++;
    return Buffer.from(bytes.buffer, bytes.byteOffset + names.offset + offset, end - names.offset - offset).toString('latin1');
  };
  const sections: ElfSection[] = [];
  for (let i = 1; i < shnum; i++) { // section 0 is the reserved null entry
    const h = header(i);
    sections.push({ name: nameAt(h.nameOffset), type: h.type, flags: h.flags, addr: h.addr, size: h.size, offset: h.offset });
  }
  return sections;
}
