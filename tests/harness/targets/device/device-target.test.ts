// The device target end to end without hardware: the hardware map from a real lab.json file, flashing through the
// ST-Link simulator, and the console opened by serialport on a real pty (socat) playing the ST-Link's COM port.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { SerialPort } from 'serialport';
import { loadBoard } from '../../../../harness/boards';
import { FlashError } from '../../../../harness/flash/probe';
import { StlinkFlasher } from '../../../../harness/flash/stlink/stlink-flasher';
import { DeviceTarget, launchTarget, locateBoard, targetKindFor } from '../../../../harness/targets';
import { LabError, saveLabMap, type LabEntry } from '../../../../harness/lab';
import { buildArmElf, type ArmElfFixture } from '../../flash/algorithms/arm-elf-fixture';
import { simBoard } from '../../flash/stlink/sim-fixture';
import { startWithConsole, type LaunchStage, type TargetWithConsole } from '../start-with-console';
import { PtyConsole } from './pty-console';

const BOARD = 'nucleo-f412zg';
const PROBE_SERIAL = '066DFF515049657187212345';
let fixture: ArmElfFixture;
const consoles: PtyConsole[] = [];
const boards: TargetWithConsole[] = [];

beforeAll(() => { fixture = buildArmElf(); });
afterEach(async () => {
  for (const board of boards.splice(0)) await board.stop();
  for (const pty of consoles.splice(0)) pty.close();
});

function labFile(entries: Array<Partial<LabEntry>>): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mcb-lab-')), 'lab.json');
  saveLabMap({ version: 1, boards: entries.map((e) => ({ boardId: BOARD, probeSerial: PROBE_SERIAL, serialPort: null, available: true, ...e })) }, file);
  return file;
}

async function openConsole(): Promise<PtyConsole> {
  const pty = await PtyConsole.open();
  consoles.push(pty);
  return pty;
}

function collect(port: SerialPort): { text: string } {
  const sink = { text: '' };
  port.on('data', (chunk: Buffer) => { sink.text += chunk.toString('latin1'); });
  return sink;
}

async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

type Sim = ReturnType<typeof simBoard>;

function launch(lab: string, sim: Sim | undefined, onStage?: (stage: LaunchStage) => void): Promise<TargetWithConsole> {
  return startWithConsole(loadBoard(BOARD), fixture.elf, { lab, flasher: sim && new StlinkFlasher(sim.factory) }, onStage);
}

describe('DeviceTarget (ST-Link simulator + pty console)', () => {
  it('flashes, opens the console while the core is halted, then starts the firmware; bytes flow both ways', async () => {
    const pty = await openConsole();
    const sim = simBoard(BOARD, { initialFlashByte: 0x00 });
    // The "firmware" prints a banner whenever the core comes out of reset running.
    const systemReset = sim.target.systemReset.bind(sim.target);
    sim.target.systemReset = () => {
      systemReset();
      if (!sim.target.halted) pty.send(`BOOT ${sim.target.resetCount}\n`);
    };
    const stages: Array<[LaunchStage, boolean, number]> = [];
    const board = await launch(labFile([{ serialPort: pty.path }]), sim, (stage) => stages.push([stage, sim.target.halted, sim.target.resetCount]));
    const target = board.target as DeviceTarget;
    boards.push(board);

    // Flashed and verified: flash holds exactly objcopy's image; halted at the reset vector until the port was open.
    const flat = fs.readFileSync(fixture.bin);
    expect(Buffer.from(sim.target.flashBytes(0x08000000, flat.length)).equals(flat)).toBe(true);
    expect(target.flash.erasedSectors).toEqual([0]);
    expect(stages).toEqual([['launched', true, 1], ['port-open', true, 1], ['running', false, 2]]);
    expect(sim.device.violations).toEqual([]);
    expect(sim.target.flash.violations).toEqual([]);

    // The console: serialport on the lab map's path at the board's UART rate (boards/nucleo-f412zg.json: 115200).
    expect(target.consolePath).toBe(pty.path);
    expect(target.latencyUnit).toBe('cycles');
    expect(board.port.isOpen).toBe(true);
    expect(board.port.baudRate).toBe(115200);
    expect(target.description).toBe(`${BOARD} (real board) via ST-Link V2-1 at bus 1 addr 5, serial ${PROBE_SERIAL}, console ${pty.path}`);
    const host = collect(board.port);
    await until(() => host.text.includes('BOOT 2\n'), 'the boot banner on the port');
    board.port.write(Buffer.from('HELLO\x00\xff', 'latin1'));
    await pty.waitFor(/HELLO\x00\xff/);

    // reset(): a third reset, core running, banner arrives on the same open port.
    await target.reset();
    expect([sim.target.resetCount, sim.target.halted]).toEqual([3, false]);
    await until(() => host.text.includes('BOOT 3\n'), 'the banner after reset()');
    expect(sim.device.mode).toBe(0x01); // every probe session ended with DEBUG_EXIT

    await board.stop();
    expect(board.port.isOpen).toBe(false);
    await board.stop(); // twice is harmless
    await expect(target.reset()).rejects.toThrow(/reset\(\) after stop\(\)/);
  });

  it('names the missing board and the scan command, before touching the probe', async () => {
    const sim = simBoard(BOARD);
    const file = labFile([]);
    const err = await launch(file, sim).catch((e: Error) => e);
    expect(err).toBeInstanceOf(LabError);
    expect((err as Error).message).toBe(
      `no entry for ${BOARD} in ${file} (boards listed: none); run \`mcubench boards --scan --write ${file}\` and set the board ids`);
    expect(sim.device.commands).toHaveLength(0);
  });

  it('uses the name the user typed for a lab.json in the working directory', () => {
    const file = labFile([]);
    const cwd = process.cwd();
    process.chdir(path.dirname(file));
    try {
      expect(() => locateBoard(BOARD, 'lab.json')).toThrow(`no entry for ${BOARD} in lab.json (boards listed: none); run \`mcubench boards --scan --write lab.json\``);
    } finally {
      process.chdir(cwd);
    }
  });

  it('refuses a missing map, an entry without a port, a port that is gone, or only unavailable entries', async () => {
    const missing = path.join(os.tmpdir(), 'mcb-no-such-dir', 'lab.json');
    expect(() => locateBoard(BOARD, missing)).toThrow(new LabError(
      `no hardware map ${missing}: launching ${BOARD} needs its ST-Link serial and serial port from it; run \`mcubench boards --scan --write ${missing}\` and set the board ids`));
    expect(() => locateBoard(BOARD, labFile([{ serialPort: null }]))).toThrow(/the nucleo-f412zg entry \(probe 066DFF515049657187212345\) has no serialPort; set it to/);
    expect(() => locateBoard(BOARD, labFile([{ serialPort: '/dev/serial/by-id/usb-gone-if02' }]))).toThrow(
      /serial port \/dev\/serial\/by-id\/usb-gone-if02 of nucleo-f412zg .* does not exist; is the board plugged in\?/);
    expect(() => locateBoard(BOARD, labFile([{ serialPort: '/dev/null', available: false }]))).toThrow(/every nucleo-f412zg entry in .* is marked "available": false/);
  });

  it('is the target of boards flashed over ST-Link; refuses a probe serial that is not attached', async () => {
    expect(targetKindFor(loadBoard(BOARD)).methods).toEqual(['stlink', 'openocd', 'st-flash', 'msd']);
    expect(targetKindFor(loadBoard('emu-f412')).methods).toEqual(['qemu']);
    expect(targetKindFor(loadBoard('emu-f412')).program).toBeUndefined();
    const pty = await openConsole();
    const sim = simBoard(BOARD, {}, { serial: 'OTHER' });
    const err = await launchTarget(loadBoard(BOARD), fixture.elf, { lab: labFile([{ serialPort: pty.path }]), flasher: new StlinkFlasher(sim.factory) }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(FlashError);
    expect((err as Error).message).toMatch(new RegExp(`^no ST-Link with serial '${PROBE_SERIAL}' is attached; attached: ST-Link V2-1 at bus 1 addr 5 \\(serial OTHER\\)`));
  });

  it('leaves a board whose console cannot be opened flashed but halted', async () => {
    const notATty = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mcb-lab-')), 'not-a-tty');
    fs.writeFileSync(notATty, '');
    const sim = simBoard(BOARD);
    const err = await launch(labFile([{ serialPort: notATty }]), sim).then(() => undefined, (e: Error) => e);
    expect(err?.message).toMatch(/./); // serialport's own error (from its native binding's realm)
    expect(sim.target.halted).toBe(true); // flashed but never started
  });

  it('closes the console again when the probe stops answering at the start reset', async () => {
    const pty = await openConsole();
    const sim = simBoard(BOARD);
    const err = await launch(labFile([{ serialPort: pty.path }]), sim, (stage) => { if (stage === 'port-open') sim.device.faults.hangOnInTransfer = 1; })
      .catch((e: Error) => e);
    expect(err).toBeInstanceOf(FlashError);
    expect((err as Error).message).toMatch(/^ST-Link V2-1 at bus 1 addr 5: .*/);
    expect(sim.target.halted).toBe(true);
    // The port was released: a second launch opens it (serialport locks a tty while it is open).
    // (The hung simulated probe still owes a reply, as a real one would until replugged: use a fresh one.)
    const fresh = simBoard(BOARD);
    const board = await launch(labFile([{ serialPort: pty.path }]), fresh);
    boards.push(board);
    expect(board.port.isOpen).toBe(true);
    expect(fresh.target.halted).toBe(false);
  });
});
