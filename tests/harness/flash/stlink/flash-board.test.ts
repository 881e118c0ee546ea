// The whole flash flow (board JSON → probe → algorithm → simulated chip) for the F746 and F412 boards.
import * as fs from 'fs';
import { flashBoard } from '../../../../harness/flash/stlink';
import type { FlashProgress } from '../../../../harness/flash/algorithms/flash-image';
import { buildArmElf } from '../algorithms/arm-elf-fixture';
import { imageBytes, simBoard, writeTempFile } from './sim-fixture';

// Sector start addresses typed from the reference manuals, not from boards/chips:
// RM0385 "Flash memory organization" (STM32F746: 4×32 KB, 1×128 KB, 3×256 KB) and RM0402 "Flash module organization" (STM32F412: 4×16 KB, 1×64 KB, 7×128 KB).
const F746_SECTOR_STARTS = [0x08000000, 0x08008000, 0x08010000, 0x08018000, 0x08020000, 0x08040000, 0x08080000, 0x080c0000];
const F412_SECTOR_STARTS = [0x08000000, 0x08004000, 0x08008000, 0x0800c000, 0x08010000, 0x08020000, 0x08040000];

describe('flashBoard over a simulated ST-Link', () => {
  it('programs a 100 KB .bin on stm32f746g-disco: erases exactly sectors 0-3, bytes land, core runs', async () => {
    const image = imageBytes(100 * 1024, 746);
    const file = writeTempFile('firmware.bin', image);
    const sim = simBoard('stm32f746g-disco', { initialFlashByte: 0x00 }); // old firmware everywhere
    const progress: FlashProgress[] = [];
    const result = await flashBoard({ boardId: 'stm32f746g-disco', elfOrBin: file, probeFactory: sim.factory, onProgress: (p) => progress.push(p) });

    // 100 KB ends at 0x08019000: inside sector 3 (0x08018000..0x0801FFFF), so sectors 0..3 and nothing else.
    expect(0x08000000 + image.length).toBeGreaterThan(F746_SECTOR_STARTS[3]);
    expect(0x08000000 + image.length).toBeLessThanOrEqual(F746_SECTOR_STARTS[4]);
    expect(result.erasedSectors).toEqual([0, 1, 2, 3]);
    expect(sim.target.flash.eraseLog).toEqual([0, 1, 2, 3]);
    expect(Buffer.from(sim.target.flashBytes(0x08000000, image.length)).equals(Buffer.from(image))).toBe(true);
    // The rest of sector 3 is erased; sector 4 was never touched and keeps the old firmware.
    expect(sim.target.flashBytes(0x08000000 + image.length, F746_SECTOR_STARTS[4] - 0x08000000 - image.length).every((b) => b === 0xff)).toBe(true);
    expect(sim.target.flashBytes(F746_SECTOR_STARTS[4], 16).every((b) => b === 0x00)).toBe(true);
    expect(sim.target.flash.bytesProgrammed).toBe(image.length);
    expect(result.devId).toBe(0x449);
    expect(result.dpIdcode).toBe(0x5ba02477);
    expect(result.bytesProgrammed).toBe(image.length);
    // Left locked, reset, running.
    expect(sim.target.flash.cr >>> 0).toBe(0x80000000);
    expect(sim.target.halted).toBe(false);
    expect(sim.target.resetCount).toBe(1);
    expect(sim.device.violations).toEqual([]);
    expect(sim.target.flash.violations).toEqual([]);
    expect(sim.device.mode).toBe(0x01); // close() left debug mode
    // Progress: each phase ends at its total, and program/verify count the image's bytes.
    const last = (phase: string) => progress.filter((p) => p.phase === phase).pop();
    expect(last('erase')).toEqual({ phase: 'erase', done: 4 * 32 * 1024, total: 4 * 32 * 1024 });
    expect(last('program')).toEqual({ phase: 'program', done: image.length, total: image.length });
    expect(last('verify')).toEqual({ phase: 'verify', done: image.length, total: image.length });
  });

  it('programs a 70 KB .bin on nucleo-f412zg: sectors 0-4 (4×16 KB + 64 KB)', async () => {
    const image = imageBytes(70 * 1024, 412);
    const sim = simBoard('nucleo-f412zg', { initialFlashByte: 0x5a });
    const result = await flashBoard({ boardId: 'nucleo-f412zg', elfOrBin: writeTempFile('fw.bin', image), probeFactory: sim.factory });
    expect(0x08000000 + image.length).toBeGreaterThan(F412_SECTOR_STARTS[4]);
    expect(0x08000000 + image.length).toBeLessThanOrEqual(F412_SECTOR_STARTS[5]);
    expect(result.erasedSectors).toEqual([0, 1, 2, 3, 4]);
    expect(sim.target.flash.eraseLog).toEqual([0, 1, 2, 3, 4]);
    expect(Buffer.from(sim.target.flashBytes(0x08000000, image.length)).equals(Buffer.from(image))).toBe(true);
    expect(sim.target.flashBytes(F412_SECTOR_STARTS[5], 4)).toEqual(Uint8Array.of(0x5a, 0x5a, 0x5a, 0x5a));
    expect(result.devId).toBe(0x441);
    expect(sim.device.violations).toEqual([]);
    expect(sim.target.flash.violations).toEqual([]);
  });

  it('flashes a real arm-none-eabi-gcc ELF on nucleo-f412zg: flash equals objcopy -O binary, .data at its load address', async () => {
    const fixture = buildArmElf();
    const sim = simBoard('nucleo-f412zg', { initialFlashByte: 0x00 });
    const result = await flashBoard({ boardId: 'nucleo-f412zg', elfOrBin: fixture.elf, probeFactory: sim.factory });
    const flat = fs.readFileSync(fixture.bin);
    expect(Buffer.from(sim.target.flashBytes(0x08000000, flat.length)).equals(flat)).toBe(true);
    expect(result.erasedSectors).toEqual([0]); // a ~1.2 KB image fits in the first 16 KB sector
    const dataLoad = fixture.loads.find((l) => l.paddr !== 0x08000000)!;
    // .data's initial values (counter = 0x12345678 little-endian, tail = 7,8,9) sit at its load address in flash.
    const data = Buffer.from(sim.target.flashBytes(dataLoad.paddr, dataLoad.filesz));
    expect(data.includes(Buffer.from([0x78, 0x56, 0x34, 0x12]))).toBe(true);
    expect(data.includes(Buffer.from([7, 8, 9]))).toBe(true);
  });

  it('picks the probe by serial when two ST-Links are attached, and refuses to guess', async () => {
    const a = simBoard('nucleo-f412zg', {}, { serial: 'AAA', address: 5 });
    const b = simBoard('stm32f746g-disco', {}, { serial: 'BBB', address: 6 });
    const { simulatedProbeFactory } = await import('../../../../harness/flash/stlink/sim');
    const factory = simulatedProbeFactory([a.device, b.device]);
    const file = writeTempFile('fw.bin', imageBytes(4096, 1));
    await expect(flashBoard({ boardId: 'nucleo-f412zg', elfOrBin: file, probeFactory: factory }))
      .rejects.toThrow(/2 ST-Links are attached; choose one by serial: ST-Link V2-1 at bus 1 addr 5 \(serial AAA\); ST-Link V2-1 at bus 1 addr 6 \(serial BBB\)/);
    const result = await flashBoard({ boardId: 'stm32f746g-disco', elfOrBin: file, probeFactory: factory, probeSelector: { serial: 'BBB' } });
    expect(result.probe.serial).toBe('BBB');
    expect(b.target.flash.eraseLog).toEqual([0]);
    expect(a.target.flash.eraseLog).toEqual([]);
    await expect(flashBoard({ boardId: 'nucleo-f412zg', elfOrBin: file, probeFactory: factory, probeSelector: { serial: 'CCC' } }))
      .rejects.toThrow("no ST-Link with serial 'CCC' is attached");
  });

  it('refuses an emulated board and an image outside the chip flash', async () => {
    const sim = simBoard('nucleo-f412zg');
    const file = writeTempFile('fw.bin', imageBytes(64, 2));
    await expect(flashBoard({ boardId: 'emu-f412', elfOrBin: file, probeFactory: sim.factory })).rejects.toThrow(/board 'emu-f412' is emulated: there is no ST-Link to flash/);
    const tooBig = writeTempFile('big.bin', imageBytes(1024 * 1024 + 4, 3));
    await expect(flashBoard({ boardId: 'nucleo-f412zg', elfOrBin: tooBig, probeFactory: sim.factory }))
      .rejects.toThrow(/big\.bin: 1048580 bytes at 0x08000000 lie outside stm32f412's flash \(0x08000000\.\.0x080FFFFF\)/);
    expect(sim.target.flash.eraseLog).toEqual([]);
  });
});
