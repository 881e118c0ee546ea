// Flashing through our SRAM loader: the simulator's Thumb core executes the assembled routine itself against the
// simulated flash controller, so these tests exercise the real bytes, the double-buffer handshake and the CRC.
import { flashLoaderImage } from '../../../../harness/flash/loader/flash-loader';
import { hostCrc32 } from '../../../../harness/flash/algorithms/ram-loader';
import { flashBoard } from '../../../../harness/flash/stlink';
import { imageBytes, simBoard, writeTempFile } from '../stlink/sim-fixture';

const FLASH_BASE = 0x08000000;
const le32 = (c: Uint8Array, at: number) => Buffer.from(c).readUInt32LE(at);
/** 32-bit WRITEMEM (F2 08) and WRITEDEBUGREG (F2 35) commands, as [address, length or value]. */
const writes = (commands: Uint8Array[]) => commands.filter((c) => c[0] === 0xf2 && (c[1] === 0x08 || c[1] === 0x35)).map((c) => ({ op: c[1], address: le32(c, 2), arg: c[1] === 0x35 ? le32(c, 6) : c[6] | (c[7] << 8) }));

describe('the flash loader image', () => {
  it('is assembled from source on demand (Thumb-1 only), small, with PROGRAM at 0 and CRC at 2', () => {
    const image = flashLoaderImage();
    expect(image.code.length).toBeLessThanOrEqual(256);
    expect(image.code.length % 4).toBe(0);
    expect([image.programEntry, image.crcEntry]).toEqual([0, 2]);
    // Both entries are unconditional 16-bit branches (0xE000 | imm11): the source's two-branch table.
    expect(image.code[1] & 0xf8).toBe(0xe0);
    expect(image.code[3] & 0xf8).toBe(0xe0);
  });
});

describe('flashing through the loader (simulated Thumb core)', () => {
  it('programs a 20 KB image in 4 KB buffers taken in turn, writes no flash word over SWD, and verifies by the target\'s CRC-32', async () => {
    const sim = simBoard('nucleo-f412zg');
    const image = imageBytes(20 * 1024, 31);
    const result = await flashBoard({ boardId: 'nucleo-f412zg', elfOrBin: writeTempFile('fw.bin', image), probeFactory: sim.factory });
    expect(result.method).toBe('loader');
    expect(result.verifiedBy).toBe('crc');
    expect(Buffer.from(sim.target.flashBytes(FLASH_BASE, image.length)).equals(Buffer.from(image))).toBe(true);
    const all = writes(sim.device.commands);
    expect(all.filter((w) => w.op === 0x08 && w.address >= FLASH_BASE && w.address < FLASH_BASE + 0x100000)).toEqual([]);
    // Buffer flags at params + 0x08 and + 0x18 (SRAM 0x20000000 + 0x100): FULL handed over alternately 0,1,0,1,0.
    const flags = all.filter((w) => w.op === 0x35 && w.arg === 1 && (w.address === 0x20000108 || w.address === 0x20000118)).map((w) => (w.address - 0x20000108) / 16);
    expect(flags).toEqual([0, 1, 0, 1, 0]);
    expect(sim.target.instructions).toBeGreaterThan(0);
    expect(sim.target.violations).toEqual([]);
    expect(sim.device.violations).toEqual([]);
    expect(sim.target.flash.cr >>> 0).toBe(0x80000000);
  });

  it('computes the same CRC-32 as zlib on the target (the CRC entry run alone over flash)', async () => {
    const sim = simBoard('stm32f746g-disco');
    const image = imageBytes(3000, 32);
    sim.target.flashBytes(FLASH_BASE, image.length).set(image);
    const probe = await sim.factory.open();
    await probe.attach();
    const { RamFlashLoader } = await import('../../../../harness/flash/algorithms/ram-loader');
    const loader = new RamFlashLoader(probe, sim.chip, 'stm32f7');
    await loader.install();
    expect(await loader.crc(FLASH_BASE, 3000)).toBe(hostCrc32(image));
    expect(await loader.crc(FLASH_BASE + 1, 7)).toBe(hostCrc32(image.subarray(1, 8))); // byte granular, unaligned
    expect(hostCrc32(Buffer.from('123456789'))).toBe(0xcbf43926); // the standard check value
    await probe.close();
  });

  it('stops at the controller\'s error flag and names it (PGPERR from the word at 0x08001238)', async () => {
    const sim = simBoard('nucleo-f412zg', { programErrorAt: 0x08001238 });
    await expect(flashBoard({ boardId: 'nucleo-f412zg', elfOrBin: writeTempFile('fw.bin', imageBytes(8192, 33)), probeFactory: sim.factory }))
      .rejects.toThrow('ST-Link V2-1 at bus 1 addr 5: programming through the flash loader failed: FLASH_SR 0x00000040 PGPERR (programming parallelism error: access width does not match PSIZE)');
    expect(sim.target.flash.cr >>> 0).toBe(0x80000000);
  });

  it('masks interrupts (C_MASKINTS, set while still halted) so an old firmware\'s pending SysTick cannot run from flash being rewritten', async () => {
    const sim = simBoard('nucleo-f412zg', { interruptPending: true });
    const result = await flashBoard({ boardId: 'nucleo-f412zg', elfOrBin: writeTempFile('fw.bin', imageBytes(4096, 35)), probeFactory: sim.factory });
    expect(result.method).toBe('loader');
    expect(sim.target.violations).toEqual([]);
  });

  it('switches a Cortex-M7\'s L1 caches off first, so the CRC reads the new flash, not the old firmware\'s cached lines', async () => {
    const sim = simBoard('stm32f746g-disco', { cachesOn: true, initialFlashByte: 0x5a });
    const image = imageBytes(8192, 36);
    const result = await flashBoard({ boardId: 'stm32f746g-disco', elfOrBin: writeTempFile('fw.bin', image), probeFactory: sim.factory });
    expect(result.verifiedBy).toBe('crc');
    expect(Buffer.from(sim.target.flashBytes(FLASH_BASE, image.length)).equals(Buffer.from(image))).toBe(true);
  });

  it.each(['nucleo-f412zg', 'stm32f746g-disco'])('%s: flushes the ART caches the old firmware left on before the CRC, so it reads the new flash', async (boardId) => {
    const sim = simBoard(boardId, { artOn: true, initialFlashByte: 0x5a });
    const image = imageBytes(4096, 37);
    const result = await flashBoard({ boardId, elfOrBin: writeTempFile('fw.bin', image), probeFactory: sim.factory });
    expect(result.verifiedBy).toBe('crc');
    expect(sim.device.violations).toEqual([]);
    expect(sim.target.flash.violations).toEqual([]);
  });

  it('falls back to direct writes when the loader cannot run (SRAM execute-never), and still lands the image', async () => {
    const sim = simBoard('nucleo-f412zg', { sramExecuteFaults: true });
    const image = imageBytes(4096, 34);
    const result = await flashBoard({ boardId: 'nucleo-f412zg', elfOrBin: writeTempFile('fw.bin', image), probeFactory: sim.factory });
    expect(result.method).toBe('direct');
    expect(result.loaderFallback).toMatch(/^ST-Link V2-1 at bus 1 addr 5: the flash loader locked up \(DHCSR 0x\w+, PC 0x20000000\)$/);
    expect(result.verifiedBy).toBe('read-back');
    expect(Buffer.from(sim.target.flashBytes(FLASH_BASE, image.length)).equals(Buffer.from(image))).toBe(true);
  });
});
