// The one ELF reader against binutils on a real gcc-built image: load segments as readelf lists them, section
// sizes as `size -A` and `size -B` report them, and refusals of damaged files.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { ElfFormatError, readElf } from '../../../harness/build/elf';
import { readElfSizes } from '../../../harness/build/elf-size';
import { BuildError } from '../../../harness/build';
import { checkElfPlacement } from '../../../harness/targets/qemu/elf-placement';
import { loadBoard } from '../../../harness/boards';
import { buildArmElf } from '../flash/algorithms/arm-elf-fixture';

describe('readElf', () => {
  const fixture = buildArmElf();
  const elf = fs.readFileSync(fixture.elf);

  it('lists the PT_LOAD segments readelf lists', () => {
    const { loadSegments } = readElf(elf, 'fw.elf');
    expect(loadSegments.map((s) => ({ offset: fixture.loads.find((l) => l.paddr === s.paddr)?.offset, paddr: s.paddr, filesz: s.data.length })))
      .toEqual(fixture.loads);
  });

  it('sums section sizes exactly as arm-none-eabi-size -A and -B do', () => {
    const sizes = readElfSizes(fixture.elf);
    const berkeley = execFileSync('arm-none-eabi-size', ['-B', '-d', fixture.elf], { encoding: 'utf8' }).split('\n')[1].trim().split(/\s+/).map(Number);
    expect([sizes.text, sizes.data, sizes.bss]).toEqual(berkeley.slice(0, 3));
    expect(sizes.data).toBeGreaterThan(0); // the fixture has initialised data, so all three sums are exercised
    const sysv = execFileSync('arm-none-eabi-size', ['-A', '-d', fixture.elf], { encoding: 'utf8' });
    const allocated = Object.fromEntries([...sysv.matchAll(/^(\.\S+)\s+(\d+)\s+\d+\s*$/gm)]
      .filter(([, name]) => !/^\.(comment|ARM\.attributes|debug.*)$/.test(name)).map(([, name, size]) => [name, Number(size)]));
    expect(sizes.sections).toEqual(allocated);
  });

  it('refuses damaged files with the file name and the reason, in each caller\'s error type', () => {
    expect(() => readElf(elf.subarray(0, 40), 'bad.elf')).toThrow(new ElfFormatError('bad.elf: ELF header truncated (40 bytes, need 52)'));
    const sectionsCut = Buffer.from(elf);
    sectionsCut.writeUInt32LE(elf.length - 10, 32); // e_shoff near the end
    expect(() => readElf(sectionsCut, 'cut.elf')).toThrow(/^cut\.elf: section header table \(\d+ × 40 bytes at \d+\) runs past the end of the file$/);
    const file = `${fixture.dir}/cut.elf`;
    fs.writeFileSync(file, sectionsCut);
    expect(() => readElfSizes(file)).toThrow(BuildError);
    const notElf = `${fixture.dir}/notes.txt`;
    fs.writeFileSync(notElf, 'hello');
    expect(() => checkElfPlacement(notElf, loadBoard('emu-f412'))).toThrow(`${notElf}: not an ELF file (no \\x7fELF magic); build it with --board <id>`);
  });
});
