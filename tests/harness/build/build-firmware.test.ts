// Real CMake + arm-none-eabi builds into a fresh cache (each build takes about a second on this machine).
import { execFileSync } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BoardError } from '../../../harness/boards';
import { BuildError, buildFirmware, type FirmwareBuild } from '../../../harness/build';
import { REPO_ROOT } from '../../support/paths';

const KB = 1024;
const BOARDS = ['stm32f746g-disco', 'nucleo-f412zg', 'emu-f746', 'emu-f412', 'emu-f405'];
let cacheDir: string;
const built = new Map<string, FirmwareBuild>();

beforeAll(async () => {
  cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcb-fw-cache-'));
  for (const board of BOARDS) built.set(board, await buildFirmware({ board, cacheDir }));
});
afterAll(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

function symbols(elf: string): Map<string, number> {
  const out = execFileSync('arm-none-eabi-nm', [elf], { encoding: 'utf8' });
  return new Map(out.trim().split('\n').map((line) => line.split(' ')).map(([addr, , name]) => [name, parseInt(addr, 16)]));
}

function buildErrorOf(promise: Promise<unknown>): Promise<BuildError> {
  return promise.then(
    () => { throw new Error('expected a BuildError'); },
    (err: Error) => {
      expect(err).toBeInstanceOf(BuildError);
      expect(err.name).toBe('BuildError');
      return err as BuildError;
    },
  );
}

describe('buildFirmware: every board compiles and links', () => {
  it.each(BOARDS)('%s', (board) => {
    const result = built.get(board)!;
    expect(result.cached).toBe(false);
    expect(fs.existsSync(result.elf)).toBe(true);
    expect(result.sizes.sections['.stack']).toBe(8192);
    expect(result.sizes.sections['.arena']).toBe(16384);
    expect(result.sizes.model).toBe(0);
    // The .bin is the flash image: text + data bytes plus alignment gaps, ending at or before __mcb_flash_end.
    const binSize = fs.statSync(result.bin).size;
    const sym = symbols(result.elf);
    expect(binSize).toBeGreaterThanOrEqual(result.sizes.text + result.sizes.data);
    expect(binSize).toBeLessThanOrEqual(sym.get('__mcb_flash_end')! - sym.get('mcb_vectors')!);
  });

  it('compiles for the core and FPU of each chip, single precision only', () => {
    const attributes = (board: string): string => execFileSync('arm-none-eabi-readelf', ['-A', built.get(board)!.elf], { encoding: 'utf8' });
    for (const board of ['stm32f746g-disco', 'emu-f746']) expect(attributes(board)).toMatch(/Tag_FP_arch: FPv5\/FP-D16/);
    for (const board of ['nucleo-f412zg', 'emu-f412', 'emu-f405']) expect(attributes(board)).toMatch(/Tag_FP_arch: VFPv4-D16/);
    for (const board of BOARDS) {
      expect(attributes(board)).toMatch(/Tag_ABI_VFP_args: VFP registers/);
      expect(attributes(board)).toMatch(/Tag_ABI_HardFP_use: SP only/);
    }
  });

  it('puts the vector table at the flash origin of each board and the stack in its RAM', () => {
    const expected: Record<string, { flash: number; stackRegion: [number, number] }> = {
      'stm32f746g-disco': { flash: 0x08000000, stackRegion: [0x20000000, 320 * KB] },
      'nucleo-f412zg': { flash: 0x08000000, stackRegion: [0x20000000, 256 * KB] },
      'emu-f746': { flash: 0x00000000, stackRegion: [0x20000000, 320 * KB] },
      'emu-f412': { flash: 0x00000000, stackRegion: [0x20000000, 256 * KB] },
      'emu-f405': { flash: 0x08000000, stackRegion: [0x20020000, 64 * KB] }, // the CCM stand-in
    };
    for (const board of BOARDS) {
      const sym = symbols(built.get(board)!.elf);
      const bin = fs.readFileSync(built.get(board)!.bin);
      const { flash, stackRegion: [ramBase, ramSize] } = expected[board];
      expect(sym.get('mcb_vectors')).toBe(flash);
      const initialSp = bin.readUInt32LE(0);
      const reset = bin.readUInt32LE(4);
      expect(initialSp).toBe(sym.get('__mcb_stack_top'));
      expect(initialSp - sym.get('__mcb_stack_bottom')!).toBe(8192);
      expect(initialSp).toBeGreaterThan(ramBase);
      expect(initialSp).toBeLessThanOrEqual(ramBase + ramSize);
      expect(reset).toBe(sym.get('mcb_reset_handler')! | 1); // Thumb bit
    }
  });

  it('links board code (clock tree, caches, pins) only into the real boards', () => {
    const kind = (board: string): string => {
      const line = execFileSync('arm-none-eabi-nm', [built.get(board)!.elf], { encoding: 'utf8' }).split('\n').find((l) => l.endsWith(' mcb_board_init'));
      return line!.split(' ')[1];
    };
    expect(kind('stm32f746g-disco')).toBe('T');
    expect(kind('nucleo-f412zg')).toBe('T');
    for (const board of ['emu-f746', 'emu-f412', 'emu-f405']) expect(kind(board)).toBe('W'); // the weak no-op
  });

  it('gives flash-addressed load segments no zero fill, so QEMU never writes .bss zeroes into flash', () => {
    for (const board of BOARDS) {
      const headers = execFileSync('arm-none-eabi-readelf', ['-lW', built.get(board)!.elf], { encoding: 'utf8' });
      const loads = [...headers.matchAll(/^\s+LOAD\s+0x[0-9a-f]+ 0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+)/gm)]
        .map(([, vaddr, paddr, filesz, memsz]) => ({ vaddr: parseInt(vaddr, 16), paddr: parseInt(paddr, 16), filesz: parseInt(filesz, 16), memsz: parseInt(memsz, 16) }));
      expect(loads.length).toBeGreaterThanOrEqual(2);
      for (const load of loads) {
        if (load.memsz > load.filesz) expect(load.paddr).toBe(load.vaddr); // zero fill lands in RAM, where it runs
      }
    }
  });

  it('keeps the generated header and linker script, each naming its generator and inputs', () => {
    const dir = path.dirname(built.get('emu-f405')!.elf);
    const header = fs.readFileSync(path.join(dir, 'mcb_board.h'), 'utf8');
    const script = fs.readFileSync(path.join(dir, 'mcb_board.ld'), 'utf8');
    for (const text of [header, script]) {
      expect(text.split('\n')[0]).toBe('/* Generated by firmware/cmake/board-config.cmake from boards/emu-f405.json and boards/chips/stm32f405.json. Do not edit. */');
    }
    expect(header).toContain('#define MCB_CPU_CLOCK_HZ 168000000u');
    expect(header).toContain('#define MCB_UART_BASE 0x40011000u');
    expect(script).toMatch(/CCM\s+\(rw\)\s+: ORIGIN = 0x20020000, LENGTH = 65536/);
  });

  it('serves an unchanged build from the cache and rebuilds when an option changes', async () => {
    const again = await buildFirmware({ board: 'emu-f746', cacheDir });
    expect(again.cached).toBe(true);
    expect(again.hash).toBe(built.get('emu-f746')!.hash);
    const bigger = await buildFirmware({ board: 'emu-f746', cacheDir, arenaSize: 32 * KB });
    expect(bigger.cached).toBe(false);
    expect(bigger.hash).not.toBe(again.hash);
    expect(bigger.sizes.sections['.arena']).toBe(32 * KB);
    // -Os instead of the default -O2: a different build of the same sources, with smaller code.
    const small = await buildFirmware({ board: 'emu-f746', cacheDir, optimize: 'size' });
    expect(small.hash).not.toBe(again.hash);
    expect(small.sizes.sections['.text']).toBeLessThan(again.sizes.sections['.text']);
  });

  it('copies the ELF and .bin to outDir', async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcb-fw-out-'));
    const result = await buildFirmware({ board: 'nucleo-f412zg', cacheDir, outDir });
    expect(result.elf).toBe(path.join(outDir, 'firmware.elf'));
    expect(fs.readFileSync(result.bin)).toEqual(fs.readFileSync(built.get('nucleo-f412zg')!.bin));
    fs.rmSync(outDir, { recursive: true });
  });
});

describe('buildFirmware: model image', () => {
  it('embeds the image bytes in the .model section behind 16-byte aligned symbols', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcb-model-'));
    const blob = randomBytes(1000);
    const image = path.join(dir, 'dummy.mcbimg');
    fs.writeFileSync(image, blob);
    const result = await buildFirmware({ board: 'emu-f746', cacheDir, modelImage: image });
    expect(result.sizes.model).toBe(1000);
    const sym = symbols(result.elf);
    expect(sym.get('mcb_model_image_start')! % 16).toBe(0);
    expect(sym.get('mcb_model_image_end')! - sym.get('mcb_model_image_start')!).toBe(1000);
    const extracted = path.join(dir, 'model.bin');
    execFileSync('arm-none-eabi-objcopy', ['-O', 'binary', '--only-section=.model', result.elf, extracted]);
    expect(fs.readFileSync(extracted)).toEqual(blob);
    // A different image with the same size is a different build.
    fs.writeFileSync(image, randomBytes(1000));
    expect((await buildFirmware({ board: 'emu-f746', cacheDir, modelImage: image })).hash).not.toBe(result.hash);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('buildFirmware: what does not fit fails at link time', () => {
  // Region sizes are the chips' datasheet SRAM; what is needed is arena + the rest of the static RAM in that region.
  it.each([
    ['emu-f746', 320 * KB, true],
    ['emu-f412', 256 * KB, true],
    ['emu-f405', 128 * KB, false], // its stack lives in the CCM region, not in SRAM
  ])('%s: an arena beyond the chip SRAM names the region and both sizes', async (board, sramBytes, stackInSram) => {
    const arenaSize = (sramBytes as number) + 16;
    const base = built.get(board as string)!.sizes.sections;
    const needed = arenaSize + base['.bss'] + base['.data'] + (stackInSram ? base['.stack'] : 0);
    const err = await buildErrorOf(buildFirmware({ board: board as string, cacheDir, arenaSize }));
    expect(err.message).toBe(`firmware for ${board} does not fit: needs ${needed} bytes of SRAM, board has ${sramBytes}` +
      ` (region SRAM overflowed by ${needed - (sramBytes as number)} bytes; sections: .arena)`);
  });

  it('a model image beyond the chip flash names the flash region', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcb-model-'));
    const image = path.join(dir, 'huge.mcbimg');
    fs.writeFileSync(image, Buffer.alloc(1024 * KB));
    const err = await buildErrorOf(buildFirmware({ board: 'emu-f412', cacheDir, modelImage: image }));
    const match = /^firmware for emu-f412 does not fit: needs (\d+) bytes of flash, board has 1048576 /.exec(err.message);
    expect(match).not.toBeNull();
    // Everything before .model (vectors, code, constants) plus the 1 MB image plus the .data initialisers.
    const base = built.get('emu-f412')!;
    const beforeModel = symbols(base.elf).get('mcb_model_image_start')!; // flash origin is 0 on mps2
    expect(Number(match![1])).toBe(beforeModel + 1024 * KB + base.sizes.data);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('buildFirmware: errors', () => {
  it('reports a compile error in an extra source with the compiler output tail', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcb-src-'));
    const source = path.join(dir, 'broken_extra.c');
    fs.writeFileSync(source, 'int mcb_extra(void) { return undeclared_name; }\n');
    const err = await buildErrorOf(buildFirmware({ board: 'emu-f746', cacheDir, extraSources: [source] }));
    expect(err.message).toMatch(/^building the firmware for emu-f746 failed/);
    expect(err.message).toMatch(/broken_extra\.c:1:\d+: error: 'undeclared_name' undeclared/);
    fs.rmSync(dir, { recursive: true });
  });

  it('refuses bad options before running cmake', async () => {
    expect((await buildErrorOf(buildFirmware({ board: 'emu-f746', cacheDir, arenaSize: 100 }))).message).toMatch(/multiple of 16/);
    expect((await buildErrorOf(buildFirmware({ board: 'emu-f746', cacheDir, modelImage: '/nonexistent/model.bin' }))).message)
      .toMatch(/\/nonexistent\/model\.bin does not exist/);
    await expect(buildFirmware({ board: 'emu-f999', cacheDir })).rejects.toBeInstanceOf(BoardError);
  });

  it('leaves no staging folders behind after failures', () => {
    expect(fs.readdirSync(cacheDir).filter((name) => name.startsWith('.tmp-'))).toEqual([]);
  });

  it('has firmware sources that exist where the cache key looks for them', () => {
    expect(fs.existsSync(path.join(REPO_ROOT, 'firmware', 'CMakeLists.txt'))).toBe(true);
  });
});
