// Builds a small real Cortex-M ELF with arm-none-eabi-gcc (installed by scripts/setup.sh) into a temp dir, plus
// the two independent oracles for it: readelf's program headers and objcopy's flat binary.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface ArmElfFixture {
  dir: string;
  elf: string;
  /** objcopy -O binary: the flash image from the lowest load address. */
  bin: string;
  /** PT_LOAD headers with file content, as readelf prints them. */
  loads: Array<{ offset: number; paddr: number; filesz: number }>;
}

const SOURCE = `
typedef unsigned int u32;
extern u32 _estack;
void reset_handler(void);
__attribute__((section(".isr_vector"), used)) const void *vectors[2] = { &_estack, (void *)reset_handler };
const u32 table[300] = { 0xA5A5A5A5u, 1, 2, 3, [299] = 0xDEADBEEFu };
u32 counter = 0x12345678u;           /* .data: runs from RAM, loaded from flash */
unsigned char tail[3] = { 7, 8, 9 }; /* odd-sized data keeps the last segment unaligned */
void reset_handler(void) { for (;;) { counter += table[counter & 255] + tail[counter % 3]; } }
`;

const LINKER = `
MEMORY { FLASH (rx) : ORIGIN = 0x08000000, LENGTH = 1024K
         RAM (rwx)  : ORIGIN = 0x20000000, LENGTH = 128K }
_estack = ORIGIN(RAM) + LENGTH(RAM);
SECTIONS {
  .isr_vector : { KEEP(*(.isr_vector)) } > FLASH
  .text : { *(.text*) *(.rodata*) } > FLASH
  .data : { *(.data*) } > RAM AT > FLASH
  .bss : { *(.bss*) *(COMMON) } > RAM
}
`;

export function buildArmElf(): ArmElfFixture {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcb-flash-elf-'));
  fs.writeFileSync(path.join(dir, 'main.c'), SOURCE);
  fs.writeFileSync(path.join(dir, 'link.ld'), LINKER);
  const elf = path.join(dir, 'fw.elf');
  const bin = path.join(dir, 'fw.bin');
  execFileSync('arm-none-eabi-gcc', ['-mcpu=cortex-m4', '-mthumb', '-O1', '-nostdlib', '-nostartfiles', '-T', 'link.ld', '-o', elf, 'main.c'], { cwd: dir });
  execFileSync('arm-none-eabi-objcopy', ['-O', 'binary', elf, bin]);
  const headers = execFileSync('arm-none-eabi-readelf', ['-lW', elf], { encoding: 'utf8' });
  const loads = headers.split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f[0] === 'LOAD')
    .map((f) => ({ offset: Number(f[1]), paddr: Number(f[3]), filesz: Number(f[4]) }))
    .filter((l) => l.filesz > 0);
  return { dir, elf, bin, loads };
}
