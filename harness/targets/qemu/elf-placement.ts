// Refuses an ELF linked for another memory map: QEMU would load it into unmapped space and lock up silently.
import * as fs from 'fs';
import type { ResolvedBoard } from '../../boards';
import { BoardError } from '../../boards';

const PT_LOAD = 1;

export interface LoadSegment {
  paddr: number;
  fileSize: number;
}

/** Loadable segments with file content (what QEMU writes into the machine). 32-bit little-endian ARM ELF only. */
export function readLoadSegments(elfFile: string): LoadSegment[] {
  const elf = fs.readFileSync(elfFile);
  const isElf32Le = elf.length >= 52 && elf.readUInt32BE(0) === 0x7f454c46 && elf[4] === 1 && elf[5] === 1;
  if (!isElf32Le || elf.readUInt16LE(18) !== 40 /* EM_ARM */) {
    throw new BoardError(`${elfFile} is not a 32-bit little-endian ARM ELF file`);
  }
  const phoff = elf.readUInt32LE(28);
  const phentsize = elf.readUInt16LE(42);
  const phnum = elf.readUInt16LE(44);
  if (phoff + phnum * phentsize > elf.length) throw new BoardError(`${elfFile}: program header table runs past the end of the file`);
  const segments: LoadSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (elf.readUInt32LE(at) !== PT_LOAD) continue;
    const fileSize = elf.readUInt32LE(at + 16);
    if (fileSize > 0) segments.push({ paddr: elf.readUInt32LE(at + 12), fileSize });
  }
  return segments;
}

export function checkElfPlacement(elfFile: string, resolved: ResolvedBoard): void {
  for (const segment of readLoadSegments(elfFile)) {
    const end = segment.paddr + segment.fileSize;
    const home = resolved.linkRegions.find((r) => segment.paddr >= r.origin && end <= r.origin + r.size);
    if (!home) {
      const regions = resolved.linkRegions.map((r) => `${r.name} 0x${r.origin.toString(16)}+${r.size}`).join(', ');
      throw new BoardError(`${elfFile} was not built for board '${resolved.board.id}': it loads ${segment.fileSize} bytes at ` +
        `0x${segment.paddr.toString(16)}, outside the board's memory (${regions}); build it with --board ${resolved.board.id}`);
    }
  }
}
