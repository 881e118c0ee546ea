// Section sizes of a linked firmware, from its section headers (harness/build/elf.ts), summed the way
// binutils' `size -B` does: read-only or code → text, writable with contents → data, writable without → bss.
import * as fs from 'fs';
import { BuildError } from './build-error';
import { ElfFormatError, readElf, SHF_ALLOC, SHF_EXECINSTR, SHF_WRITE, SHT_NOBITS } from './elf';

export interface FirmwareSizes {
  /** Berkeley totals: text = everything read-only in flash (code, rodata, vectors, model); data; bss (incl. arena and stack). */
  text: number;
  data: number;
  bss: number;
  /** Bytes of the embedded model image (.model section). */
  model: number;
  /** Every allocated section by name, in bytes. */
  sections: Record<string, number>;
}

export function readElfSizes(elfFile: string): FirmwareSizes {
  let sections;
  try {
    sections = readElf(fs.readFileSync(elfFile), elfFile).sections;
  } catch (err) {
    if (err instanceof ElfFormatError) throw new BuildError(err.message);
    throw new BuildError(`cannot read ${elfFile}: ${(err as Error).message}`);
  }
  const sizes: FirmwareSizes = { text: 0, data: 0, bss: 0, model: 0, sections: {} };
  for (const section of sections) {
    if ((section.flags & SHF_ALLOC) === 0) continue; // stays in the file (debug info, symbols, comments)
    sizes.sections[section.name] = section.size;
    if ((section.flags & SHF_EXECINSTR) !== 0 || (section.flags & SHF_WRITE) === 0) sizes.text += section.size;
    else if (section.type !== SHT_NOBITS) sizes.data += section.size;
    else sizes.bss += section.size;
  }
  sizes.model = sizes.sections['.model'] ?? 0;
  return sizes;
}
