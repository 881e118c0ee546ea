// Refuses an ELF linked for another memory map: QEMU would load it into unmapped space and lock up silently.
import * as fs from 'fs';
import type { ResolvedBoard } from '../../boards';
import { BoardError } from '../../boards';
import { ElfFormatError, readElf } from '../../build/elf';

export interface LoadSegment {
  paddr: number;
  fileSize: number;
}

/** Loadable segments with file content (what QEMU writes into the machine). */
export function readLoadSegments(elfFile: string): LoadSegment[] {
  try {
    return readElf(fs.readFileSync(elfFile), elfFile).loadSegments.map((s) => ({ paddr: s.paddr, fileSize: s.data.length }));
  } catch (err) {
    if (err instanceof ElfFormatError) throw new BoardError(`${err.message}; build it with --board <id>`);
    throw err;
  }
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
