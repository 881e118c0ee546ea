// Section sizes of a linked firmware, read with arm-none-eabi-size.
import { BuildError } from './build-error';
import { runTool } from './run-tool';

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

/** Sections that stay in the ELF file and never reach the chip. */
const NOT_ON_CHIP = /^\.(comment|ARM\.attributes|debug.*|stab.*|symtab|strtab|shstrtab)$/;

export async function readElfSizes(elf: string): Promise<FirmwareSizes> {
  const berkeley = await runTool('arm-none-eabi-size', ['-B', '-d', elf]);
  const sysv = await runTool('arm-none-eabi-size', ['-A', '-d', elf]);
  if (berkeley.code !== 0 || sysv.code !== 0) throw new BuildError(`arm-none-eabi-size failed on ${elf}:\n${berkeley.output}${sysv.output}`);
  const totals = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+\d+/m.exec(berkeley.output.split('\n')[1] ?? '');
  if (!totals) throw new BuildError(`cannot read arm-none-eabi-size output for ${elf}:\n${berkeley.output}`);
  const sections: Record<string, number> = {};
  for (const [, name, size] of sysv.output.matchAll(/^(\.\S+)\s+(\d+)\s+\d+\s*$/gm)) {
    if (!NOT_ON_CHIP.test(name)) sections[name] = Number(size);
  }
  return { text: Number(totals[1]), data: Number(totals[2]), bss: Number(totals[3]), model: sections['.model'] ?? 0, sections };
}
