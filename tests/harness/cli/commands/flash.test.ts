// `mcubench flash` as a user runs it (node bin/mcubench.js): --simulate dry runs on both real boards, and the
// refusals (emulated board, missing or broken firmware, absent probe) as one-line messages without a stack.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { flashProgress } from '../../../../harness/cli/commands/flash';
import { REPO_ROOT } from '../../../support/paths';
import { buildArmElf, type ArmElfFixture } from '../../flash/algorithms/arm-elf-fixture';
import { imageBytes } from '../../flash/stlink/sim-fixture';

const CLI = path.join(REPO_ROOT, 'bin', 'mcubench.js');

function mcubench(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile('node', [CLI, ...args], { cwd: REPO_ROOT, timeout: 60000 }, (error, out, err) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, out, err });
    });
  });
}

let fixture: ArmElfFixture;
let dir: string;
beforeAll(() => {
  fixture = buildArmElf();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcb-flash-cli-'));
});

describe('mcubench flash --simulate', () => {
  it('flashes a gcc-built ELF on nucleo-f412zg: sector 0 erased, every load segment programmed and verified', async () => {
    // Independent oracles: readelf's LOAD headers and objcopy's flat image. The loads are back to back, so the
    // programmed bytes are the flat image rounded up to whole 32-bit words (flash is written in words).
    const flat = fs.statSync(fixture.bin).size;
    const lastLoad = fixture.loads[fixture.loads.length - 1];
    expect(lastLoad.paddr + lastLoad.filesz - 0x08000000).toBe(flat);
    expect(fixture.loads.reduce((sum, l) => sum + l.filesz, 0)).toBe(flat);
    const programmed = Math.ceil(flat / 4) * 4;

    const { code, out, err } = await mcubench(['flash', '--board', 'nucleo-f412zg', fixture.elf, '--simulate']);
    expect(err).toBe(`flash: erase 16384/16384 bytes\nflash: program ${programmed}/${programmed} bytes\nflash: verify ${programmed}/${programmed} bytes\n`);
    expect(code).toBe(0);
    // RM0402: STM32F412 sector 0 is 16 KB; DEV_ID 0x441; the Cortex-M4 SW-DP IDCODE is 0x2BA01477.
    expect(out).toBe([
      'flashed fw.elf onto nucleo-f412zg (SIMULATED: no hardware touched) through ST-Link V2-1 at bus 1 addr 5, serial SIMULATED000000000000001',
      '  erased:     sector 0 (16384 bytes)',
      `  programmed: ${programmed} bytes (through the SRAM flash loader)`,
      `  verify:     ok (CRC-32 computed on the target equals the image's, ${programmed} bytes)`,
      '  target:     DEV_ID 0x441 (stm32f412), SW-DP IDCODE 0x2BA01477; reset, firmware running',
      '',
    ].join('\n'));
  });

  it('flashes a 40 KB .bin on stm32f746g-disco through the probe named by --probe: sectors 0 and 1 (2 x 32 KB)', async () => {
    const bin = path.join(dir, 'firmware.bin');
    fs.writeFileSync(bin, imageBytes(40 * 1024, 746));
    const { code, out } = await mcubench(['flash', '--board', 'stm32f746g-disco', bin, '--simulate', '--probe', '0670FF37']);
    expect(code).toBe(0);
    // RM0385: STM32F746 sectors 0-3 are 32 KB each, so 40 KB spans sectors 0 and 1; DEV_ID 0x449.
    expect(out).toMatch(/^flashed firmware\.bin onto stm32f746g-disco \(SIMULATED: no hardware touched\) through ST-Link V2-1 at bus 1 addr 5, serial 0670FF37\n/);
    expect(out).toContain('  erased:     sectors 0, 1 (65536 bytes)\n');
    expect(out).toContain('  programmed: 40960 bytes (through the SRAM flash loader)\n');
    expect(out).toContain('  target:     DEV_ID 0x449 (stm32f746), SW-DP IDCODE 0x5BA02477; reset, firmware running\n');
  });
});

describe('mcubench flash refusals', () => {
  const oneLine = (err: string): void => {
    expect(err.split('\n').filter(Boolean)).toHaveLength(1);
    expect(err).not.toMatch(/\n\s+at /); // no stack trace
  };

  it('explains that an emulated board is "flashed" by mcubench run launching QEMU', async () => {
    const { code, out, err } = await mcubench(['flash', '--board', 'emu-f412', fixture.elf]);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toBe(`mcubench: 'emu-f412': there is nothing to flash: an emulated board has no flash to program: it gets the ELF when QEMU ` +
      'is launched (mcubench run --board <id> builds the firmware and starts QEMU with it). mcubench flash is for: nucleo-f412zg, stm32f746g-disco\n');
  });

  it('names missing and malformed firmware', async () => {
    const missing = path.join(dir, 'nope.elf');
    const gone = await mcubench(['flash', '--board', 'nucleo-f412zg', missing, '--simulate']);
    expect(gone.code).toBe(1);
    expect(gone.err).toBe(`mcubench: firmware '${missing}' does not exist; build it with mcubench build --board nucleo-f412zg --out firmware.elf\n`);
    const truncated = path.join(dir, 'short.elf');
    fs.writeFileSync(truncated, Buffer.from('\x7fELF\x01\x01\x01\x00', 'latin1'));
    const bad = await mcubench(['flash', '--board', 'nucleo-f412zg', truncated, '--simulate']);
    expect(bad.code).toBe(1);
    expect(bad.err).toBe(`mcubench: ${truncated}: ELF header truncated (8 bytes, need 52)\n`);
    oneLine(bad.err);
  });

  it('reports an absent probe as a FlashError line (a serial no probe has, so a lab PC never gets flashed here)', async () => {
    const { code, out, err } = await mcubench(['flash', '--board', 'nucleo-f412zg', fixture.elf, '--probe', 'NO-SUCH-PROBE-SERIAL']);
    expect(code).toBe(1);
    expect(out).toBe('');
    // No USB bus (containers, CI) or a bus without that probe.
    expect(err).toMatch(/^mcubench: (cannot list USB devices: .+|no ST-Link with serial 'NO-SUCH-PROBE-SERIAL' is attached; attached: .+)\n$/);
    oneLine(err);
  });
});

describe('flash progress', () => {
  const fakeStream = (isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } => {
    let text = '';
    const stream = { isTTY, columns: 120, write: (chunk: string) => { text += chunk; return true; } } as unknown as NodeJS.WriteStream;
    return { stream, text: () => text };
  };

  it('writes one plain line per finished phase when not on a terminal', () => {
    const { stream, text } = fakeStream(false);
    const view = flashProgress(stream);
    view.update({ phase: 'program', done: 0, total: 4096 });
    view.update({ phase: 'program', done: 1024, total: 4096 });
    expect(text()).toBe('');
    view.update({ phase: 'program', done: 4096, total: 4096 });
    view.stop();
    expect(text()).toBe('flash: program 4096/4096 bytes\n');
  });

  it('draws a bar per phase on a terminal', () => {
    const { stream, text } = fakeStream(true);
    const view = flashProgress(stream);
    view.update({ phase: 'erase', done: 0, total: 16384 });
    view.update({ phase: 'erase', done: 16384, total: 16384 });
    view.update({ phase: 'program', done: 0, total: 2048 });
    view.update({ phase: 'program', done: 2048, total: 2048 });
    view.stop();
    expect(text()).toContain('flash erase   [');
    expect(text()).toContain('] 100% | 16384/16384 bytes');
    expect(text()).toContain('] 100% | 2048/2048 bytes');
    expect(text()).not.toContain('flash: '); // no plain lines mixed in
  });
});

describe('mcubench flash: wrong firmware and other flashers', () => {
  it('refuses a firmware built for another board before anything is erased, naming both boards (--simulate too)', async () => {
    const { buildFirmware } = await import('../../../../harness/build/build-firmware');
    const elf = (await buildFirmware({ board: 'nucleo-f412zg' })).elf;
    const { code, out, err } = await mcubench(['flash', '--board', 'stm32f746g-disco', elf, '--simulate']);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toBe(`mcubench: ${elf} was built for board 'nucleo-f412zg', not for 'stm32f746g-disco': refusing to flash it (nothing was erased); ` +
      'build one for this board with mcubench build --board stm32f746g-disco --out firmware.elf\n');
  }, 300000);

  it('--flasher st-flash runs the real st-flash and reports its failure without a probe; --simulate is only for our driver', async () => {
    const bin = path.join(dir, 'st.bin');
    fs.writeFileSync(bin, imageBytes(256, 8));
    const tool = await mcubench(['flash', '--board', 'nucleo-f412zg', bin, '--flasher', 'st-flash']);
    expect(tool.code).toBe(1);
    expect(tool.err).toMatch(/^mcubench: st-flash could not flash st\.bin onto nucleo-f412zg \(exit 255\): st-flash found no ST-Link/);
    const sim = await mcubench(['flash', '--board', 'nucleo-f412zg', bin, '--flasher', 'msd', '--simulate']);
    expect(sim.code).toBe(1);
    expect(sim.err).toBe('mcubench: --simulate runs our ST-Link driver against its simulator; it cannot stand in for msd\n');
  });
});
