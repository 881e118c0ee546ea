// Boots the firmware on the three emulated boards in QEMU and talks to it through serialport over the pty.
import { randomBytes } from 'crypto';
import * as path from 'path';
import { BoardError, loadBoard, type ResolvedBoard } from '../../../../harness/boards';
import { buildFirmware, type FirmwareBuild } from '../../../../harness/build';
import { liveChildCount, QemuInstance, type QemuTarget } from '../../../../harness/targets';
import { startWithConsole, type TargetWithConsole } from '../start-with-console';
import { REPO_ROOT } from '../../../support/paths';
import { parseFields, SerialText } from './serial-text';

const APPS = path.join(REPO_ROOT, 'tests', 'firmware', 'apps');
interface Emulated extends TargetWithConsole { qemu: QemuInstance }
const running: Emulated[] = [];

async function boot(board: string | ResolvedBoard, elf: string): Promise<{ emu: Emulated; serial: SerialText }> {
  const started = await startWithConsole(typeof board === 'string' ? loadBoard(board) : board, elf);
  const emu = { ...started, qemu: (started.target as QemuTarget).qemu };
  running.push(emu);
  return { emu, serial: new SerialText(emu.port) };
}

afterEach(async () => {
  // Stop whatever a failed test left running, so no QEMU outlives the test.
  await Promise.all(running.splice(0).map((emu) => emu.stop()));
});

function pidIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function symbolsOf(elf: string): Map<string, number> {
  const out = require('child_process').execFileSync('arm-none-eabi-nm', [elf], { encoding: 'utf8' }) as string;
  return new Map(out.trim().split('\n').map((line) => line.split(' ')).map(([addr, , name]) => [name, parseInt(addr, 16)]));
}

describe.each([
  ['emu-f746', 'stm32f746', 25000000],
  ['emu-f412', 'stm32f412', 25000000],
  ['emu-f405', 'stm32f405', 168000000],
])('%s in QEMU', (board, chip, clockHz) => {
  let firmware: FirmwareBuild;
  beforeAll(async () => { firmware = await buildFirmware({ board }); });

  it('says hello with its board, clock and memory figures, echoes bytes, and stops cleanly', async () => {
    // guest_errors/unimp make QEMU log any access to missing memory or devices, e.g. .bss zeroes written into
    // netduinoplus2's read-only flash by the ELF loader (QEMU note, pitfall 11): there must be none.
    const resolved = loadBoard(board);
    resolved.board.qemu!.extraArgs.push('-d', 'guest_errors,unimp');
    const { emu, serial } = await boot(resolved, firmware.elf);
    const [line] = await serial.waitFor(/mcubench hello [^\r\n]*\r\n/);
    const hello = parseFields(line);
    expect(hello).toMatchObject({ board, chip, clock_hz: clockHz, stack_size: 8192, arena_size: 16384, arena_used: 0, model_size: 0 });
    // Figures the firmware computes from linker symbols agree with the ELF and the size tool.
    const sym = symbolsOf(firmware.elf);
    expect(hello.flash_used).toBe(sym.get('__mcb_flash_end')! - sym.get('mcb_vectors')!);
    expect(hello.static_ram).toBe(firmware.sizes.sections['.data'] + firmware.sizes.sections['.bss']);
    // Stack high-water at the hello: startup and main frames only, so well inside the 8 KB stack.
    expect(hello.stack_used).toBeGreaterThan(0);
    expect(hello.stack_used).toBeLessThan(1024);

    // Host-to-target bytes flow once QEMU's pty poll (about 1 s) notices the open port.
    const token = `ping-${randomBytes(6).toString('hex')}`;
    emu.port.write(token);
    await serial.waitFor(new RegExp(`\\r\\n${token}$`), 5000);

    const pid = emu.qemu.pid!;
    await emu.stop();
    expect(emu.qemu.exit).toEqual({ code: 0, signal: null });
    expect(emu.port.isOpen).toBe(false);
    expect(pidIsAlive(pid)).toBe(false);
    expect(emu.qemu.stderr).toBe('');
  });
});

describe('QEMU runs: measurement, faults and misuse', () => {
  it('measures a known stack and arena use, and times a fixed loop identically on every run (icount)', async () => {
    const fw = await buildFirmware({ board: 'emu-f746', appSources: [path.join(APPS, 'measure_main.c')] });
    const runs: Record<string, string | number>[] = [];
    for (let i = 0; i < 2; i++) {
      const { emu, serial } = await boot('emu-f746', fw.elf);
      runs.push(parseFields((await serial.waitFor(/measure [^\r\n]*\r\n/))[0]));
      await emu.stop();
    }
    const [first, second] = runs;
    // 12 live frames of 256 bytes each are on the stack at the deepest point.
    expect(first.stack_used).toBeGreaterThanOrEqual(12 * 256);
    expect(first.stack_used).toBeLessThan(first.stack_size as number);
    expect(first.arena_used).toBe(1000);
    // SysTick stands in for DWT (which QEMU reads as 0): a real count, the same on both runs.
    expect(first.cycles).toBeGreaterThan(0);
    expect(second).toEqual(first);
  });

  it.each(['emu-f746', 'emu-f405'])('%s: received bytes wake the core through the UART interrupt alone', async (board) => {
    const fw = await buildFirmware({ board, appSources: [path.join(APPS, 'irq_echo_main.c')] });
    const { emu, serial } = await boot(board, fw.elf);
    await serial.waitFor(/irq-only\r\n/);
    emu.port.write('interrupt-driven');
    await serial.waitFor(/irq-only\r\ninterrupt-driven$/, 5000);
  });

  it('reports a firmware that locks up as a BoardError naming the fault', async () => {
    const fw = await buildFirmware({ board: 'emu-f412', appSources: [path.join(APPS, 'lockup_main.c')] });
    // Its last line may or may not arrive: QEMU's exit discards pty output nobody has read yet (pitfall 2).
    const { emu } = await boot('emu-f412', fw.elf);
    const exit = await emu.qemu.exited;
    expect(exit.code === 134 || exit.signal === 'SIGABRT').toBe(true);
    expect(emu.qemu.describeExit(exit).message).toMatch(/QEMU for board 'emu-f412' exited with .*the firmware locked up[\s\S]*Lockup: can't escalate/);
  });

  it('reports QEMU ending at start-up with its stderr', async () => {
    const fw = await buildFirmware({ board: 'emu-f746' });
    const resolved = loadBoard('emu-f746');
    resolved.board.qemu!.extraArgs = ['-no-such-option'];
    await expect(QemuInstance.launch(resolved, fw.elf)).rejects.toThrow(/QEMU for board 'emu-f746' exited with status 1[\s\S]*-no-such-option/);
  });

  it('refuses an ELF linked for another board instead of letting QEMU lock up', async () => {
    const disco = await buildFirmware({ board: 'stm32f746g-disco' });
    const err = await QemuInstance.launch(loadBoard('emu-f746'), disco.elf).catch((e: Error) => e);
    expect(err).toBeInstanceOf(BoardError);
    expect((err as Error).message).toMatch(/was not built for board 'emu-f746': it loads \d+ bytes at 0x8000000, outside the board's memory/);
  });

  it('leaves no QEMU process behind', () => {
    expect(liveChildCount()).toBe(0);
  });
});
