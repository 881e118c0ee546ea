// OpenOCD and st-flash as far as a machine without a probe allows: the real binaries parse our board configs,
// and fail without a probe with a message we recognise and pass on; progress parsing against transcripts in the
// tools' output format (not recorded on a board: none was attached).
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { loadBoard } from '../../../../harness/boards';
import { OPENOCD_SCRIPTS, openocdArgs, OpenocdFlasher, StFlashFlasher, stFlashArgs } from '../../../../harness/flash/tools';
import { flasherFor } from '../../../../harness/targets';
import { imageBytes, writeTempFile } from '../stlink/sim-fixture';

const REAL_BOARDS = ['nucleo-f412zg', 'stm32f746g-disco'];

/** A fake tool replaying a transcript in the format the real one prints on success or failure (written from its
 * source and documentation: no board was attached to record one), with its exit code. */
function replayTool(name: string, transcript: string, code: number): string {
  const file = writeTempFile(name, new Uint8Array(0));
  fs.writeFileSync(`${file}.txt`, transcript);
  fs.writeFileSync(file, `#!/bin/sh\necho "$@" > "${file}.args"\ncat "${file}.txt"\nexit ${code}\n`);
  fs.chmodSync(file, 0o755);
  return file;
}

describe('OpenOCD (Debian openocd 0.12)', () => {
  it.each(REAL_BOARDS)('%s: its stock config exists and parses (openocd -f <cfg> -c shutdown exits 0 without a probe)', (boardId) => {
    const config = loadBoard(boardId).board.flash.openocd!;
    expect(fs.existsSync(path.join(OPENOCD_SCRIPTS, config))).toBe(true);
    execFileSync('openocd', ['-f', config, '-c', 'shutdown'], { stdio: 'pipe', timeout: 20000 });
  });

  it('without a probe, fails with a message naming the cause and the command line to rerun', async () => {
    const elf = writeTempFile('firmware.bin', imageBytes(256, 1));
    const error = await new OpenocdFlasher().flash({ board: loadBoard('nucleo-f412zg'), firmware: elf, halt: false }).then(() => new Error("flashed without a probe"), (e: Error) => e);
    expect(error.name).toBe('FlashError');
    expect(error.message).toContain('openocd could not flash firmware.bin onto nucleo-f412zg (exit 1): OpenOCD found no ST-Link');
    expect(error.message).toContain('Error: open failed');
    expect(error.message).toContain(`command: openocd -f board/st_nucleo_f4.cfg -c 'program {${elf}} 0x8000000 verify reset exit'`);
  }, 30000);

  it('passes the probe serial and parses progress from a recorded transcript', async () => {
    const transcript = [
      'Open On-Chip Debugger 0.12.0', 'Info : STLINK V2J37M26 (API v2) VID:PID 0483:374B', 'Info : Target voltage: 3.245283',
      '[stm32f4x.cpu] halted due to debug-request, current mode: Thread', '** Programming Started **', 'Info : device id = 0x30006441',
      'Info : flash size = 1024 KiB', '** Programming Finished **', '** Verify Started **', '** Verified OK **', '** Resetting Target **',
      'shutdown command invoked',
    ].join('\n');
    const tool = replayTool('openocd', transcript, 0);
    const phases: string[] = [];
    const report = await new OpenocdFlasher(tool).flash({
      board: loadBoard('nucleo-f412zg'), firmware: writeTempFile('fw.bin', imageBytes(64, 2)), probeSerial: '0671FF515049657187212345', halt: false,
      onProgress: (p: { phase: string; done: number; total: number }) => phases.push(`${p.phase} ${p.done}/${p.total}`),
    });
    expect(phases).toEqual(['program 0/1', 'program 1/1', 'verify 0/1', 'verify 1/1']);
    expect(report.probe).toEqual({ label: 'OpenOCD (board/st_nucleo_f4.cfg)', serial: '0671FF515049657187212345' });
    expect(report.verify).toBe('ok (OpenOCD reported "Verified OK")');
    expect(fs.readFileSync(`${tool}.args`, 'utf8')).toContain('-c adapter serial 0671FF515049657187212345 -c program');
  });

  it('reports a verify failure from a recorded transcript even when openocd exits 0 without "Verified OK"', async () => {
    const tool = replayTool('openocd', '** Programming Started **\n** Programming Finished **\n** Verify Started **\nError: checksum mismatch - attempting binary compare\n** Verify Failed **\n', 0);
    await expect(new OpenocdFlasher(tool).flash({ board: loadBoard('stm32f746g-disco'), firmware: writeTempFile('fw.bin', imageBytes(64, 3)), halt: false }))
      .rejects.toThrow('openocd could not flash fw.bin onto stm32f746g-disco (exit 0): the flash did not read back as written');
  });

  it('builds the command line: a .bin at the flash base, an ELF at its own addresses, no reset when the run wants it halted', () => {
    expect(openocdArgs('board/st_nucleo_f4.cfg', '/x/fw.elf', 0x08000000)).toEqual(['-f', 'board/st_nucleo_f4.cfg', '-c', 'program {/x/fw.elf} verify reset exit']);
    expect(openocdArgs('board/st_nucleo_f4.cfg', '/x/fw.bin', 0x08000000, undefined, true)).toEqual(['-f', 'board/st_nucleo_f4.cfg', '-c', 'program {/x/fw.bin} 0x8000000 verify exit']);
  });

  it('resets through "init; reset run; shutdown", and says so when there is no probe', async () => {
    await expect(new OpenocdFlasher().reset(loadBoard('nucleo-f412zg'))).rejects.toThrow(/^openocd could not reset nucleo-f412zg \(exit 1\): OpenOCD found no ST-Link/);
  }, 30000);
});

describe('st-flash (Debian stlink-tools 1.7)', () => {
  it('is installed and reports its version', () => {
    expect(execFileSync('st-flash', ['--version'], { encoding: 'utf8' })).toMatch(/^v1\.\d+\.\d+/);
  });

  it('without a probe, fails with "no ST-Link" and the command line', async () => {
    const error = await new StFlashFlasher().flash({ board: loadBoard('stm32f746g-disco'), firmware: writeTempFile('fw.bin', imageBytes(128, 4)), halt: false }).then(() => new Error("flashed without a probe"), (e: Error) => e);
    expect(error.name).toBe('FlashError');
    expect(error.message).toMatch(/^st-flash could not flash fw\.bin onto stm32f746g-disco \(exit 255\): st-flash found no ST-Link/);
    expect(error.message).toContain("Couldn't find any ST-Link devices");
    expect(error.message).toMatch(/command: st-flash --reset write \S+fw\.bin 0x8000000/);
  }, 30000);

  it('parses page progress from a recorded transcript and flattens the image first', async () => {
    const transcript = 'st-flash 1.7.0\nINFO common.c: F4xx: 320 KiB SRAM, 1024 KiB flash in at least 16 KiB pages.\nfile fw.bin md5 checksum: 1234\n' +
      'INFO common.c: Attempting to write 2048 (0x800) bytes to stm32 address: 134217728 (0x8000000)\n\r1/2 pages written\r2/2 pages written\n' +
      'INFO common.c: Starting verification of write complete\nINFO common.c: Flash written and verified! jolly good!\n';
    const tool = replayTool('st-flash', transcript, 0);
    const phases: string[] = [];
    const report = await new StFlashFlasher(tool).flash({
      board: loadBoard('nucleo-f412zg'), firmware: writeTempFile('fw.bin', imageBytes(2048, 5)), probeSerial: 'ABC123', halt: false,
      onProgress: (p: { phase: string; done: number; total: number }) => phases.push(`${p.phase} ${p.done}/${p.total}`),
    });
    expect(phases).toEqual(['program 1/2', 'program 2/2', 'verify 0/1', 'verify 1/1']);
    expect(report.bytesProgrammed).toBe(2048);
    expect(fs.readFileSync(`${tool}.args`, 'utf8')).toMatch(/^--serial ABC123 --reset write \S+fw\.bin 0x8000000$/m);
    expect(stFlashArgs('/t/a.bin', 0x08000000)).toEqual(['--reset', 'write', '/t/a.bin', '0x8000000']);
  });
});

describe('choosing the flasher', () => {
  it('takes the choice (--flasher) over the board\'s flash.method, and refuses unknown names and emulated boards', () => {
    const board = loadBoard('nucleo-f412zg');
    expect(flasherFor(board).method).toBe('stlink');
    expect(flasherFor(board, 'msd').method).toBe('msd');
    expect(flasherFor(board, 'openocd').method).toBe('openocd');
    expect(flasherFor(board, 'st-flash').method).toBe('st-flash');
    expect(() => flasherFor(board, 'jlink')).toThrow("board 'nucleo-f412zg' is flashed with 'jlink', which no flasher serves (known: stlink, openocd, st-flash, msd)");
    expect(() => flasherFor(loadBoard('emu-f746'), 'stlink')).toThrow("board 'emu-f746' is emulated");
  });
});

describe('a hardware-map entry choosing its flasher', () => {
  it('launches the board with the entry\'s flasher (here the real openocd, which finds no probe) and refuses an unknown one', async () => {
    const { saveLabMap, loadLabMap } = await import('../../../../harness/lab');
    const { DeviceTarget } = await import('../../../../harness/targets');
    const lab = path.join(path.dirname(writeTempFile('x', new Uint8Array(0))), 'lab.json');
    saveLabMap({ version: 1, boards: [{ boardId: 'nucleo-f412zg', probeSerial: '0671FF515049657187212345', serialPort: '/dev/null', available: true, flasher: 'openocd' }] }, lab);
    const firmware = writeTempFile('fw.bin', imageBytes(256, 9));
    await expect(DeviceTarget.launch(loadBoard('nucleo-f412zg'), firmware, { lab }))
      .rejects.toThrow('openocd could not flash fw.bin onto nucleo-f412zg (exit 1): OpenOCD found no ST-Link');
    fs.writeFileSync(lab, JSON.stringify({ version: 1, boards: [{ boardId: 'nucleo-f412zg', probeSerial: 'X', serialPort: '/dev/null', available: true, flasher: 'jlink' }] }));
    expect(() => loadLabMap(lab)).toThrow(/flasher/);
  }, 30000);
});

describe('a flasher tool that is not installed', () => {
  it('names the Debian package to install', async () => {
    await expect(new StFlashFlasher('st-flash-not-installed').flash({ board: loadBoard('nucleo-f412zg'), firmware: writeTempFile('fw.bin', imageBytes(64, 10)), halt: false }))
      .rejects.toThrow("'st-flash-not-installed' is not installed or not on PATH; install the Debian package stlink-tools (scripts/setup.sh does)");
  });
});
