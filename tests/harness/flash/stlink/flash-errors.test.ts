// Failure paths of the flash flow: each must end in a FlashError that names the probe, address or chip.
import { flashBoard } from '../../../../harness/flash/stlink';
import { FlashError } from '../../../../harness/flash/probe';
import { imageBytes, simBoard, writeTempFile } from './sim-fixture';

const KEYR = [0x04, 0x3c, 0x02, 0x40]; // 0x40023C04 little-endian

/** WRITEDEBUGREG (F2 35) blocks aimed at FLASH_KEYR, as the values written. */
function keyWrites(commands: Uint8Array[]): number[] {
  return commands
    .filter((c) => c[0] === 0xf2 && c[1] === 0x35 && c.slice(2, 6).every((b, i) => b === KEYR[i]))
    .map((c) => Buffer.from(c).readUInt32LE(6));
}

describe('flash flow error paths (simulated)', () => {
  it('unlocks a locked FLASH_CR with the two keys in order (RM0090 3.5.1: 0x45670123 then 0xCDEF89AB)', async () => {
    const sim = simBoard('nucleo-f412zg');
    expect(sim.target.flash.cr >>> 0).toBe(0x80000000); // LOCK set out of reset
    await flashBoard({ boardId: 'nucleo-f412zg', elfOrBin: writeTempFile('fw.bin', imageBytes(512, 9)), probeFactory: sim.factory });
    expect(keyWrites(sim.device.commands)).toEqual([0x45670123, 0xcdef89ab]);
    expect(sim.target.flash.cr >>> 0).toBe(0x80000000); // locked again afterwards
  });

  it('recovers from a key lock-out (earlier wrong key sequence) by resetting the target and unlocking again', async () => {
    const sim = simBoard('nucleo-f412zg', { keyLockedOut: true });
    const image = imageBytes(2048, 10);
    await flashBoard({ boardId: 'nucleo-f412zg', elfOrBin: writeTempFile('fw.bin', image), probeFactory: sim.factory });
    expect(Buffer.from(sim.target.flashBytes(0x08000000, image.length)).equals(Buffer.from(image))).toBe(true);
    expect(sim.target.resetCount).toBe(2); // the recovery reset, then the final reset-and-run
  });

  it('names both chips when the board plugged in is not the board asked for', async () => {
    const sim = simBoard('stm32f746g-disco', { profile: 'stm32f412' });
    const error = await flashBoard({ boardId: 'stm32f746g-disco', elfOrBin: writeTempFile('fw.bin', imageBytes(64, 1)), probeFactory: sim.factory }).catch((e) => e);
    expect(error).toBeInstanceOf(FlashError);
    expect(error.name).toBe('FlashError');
    expect(error.message).toBe("board 'stm32f746g-disco' expects STM32F74x/75x (stm32f746, DEV_ID 0x449), but the attached target reports " +
      'DEV_ID 0x441 (STM32F412; DBGMCU_IDCODE 0x10010441); is the right board plugged into this probe?');
    expect(sim.target.flash.eraseLog).toEqual([]);
  });

  it('reports a verify mismatch with the word address and both values', async () => {
    const image = imageBytes(4096, 77);
    const address = 0x08000104;
    const sim = simBoard('nucleo-f412zg', { stuckBits: new Map([[address, 0x00000100]]) });
    const wrote = Buffer.from(image).readUInt32LE(0x104);
    expect(wrote & 0x100).toBe(0); // the seed makes bit 8 of this word 0, so the stuck 1 shows
    const read = (wrote | 0x100) >>> 0;
    const hex = (v: number) => `0x${v.toString(16).toUpperCase().padStart(8, '0')}`;
    await expect(flashBoard({ boardId: 'nucleo-f412zg', elfOrBin: writeTempFile('fw.bin', image), probeFactory: sim.factory }))
      .rejects.toThrow(`ST-Link V2-1 at bus 1 addr 5: verify failed at 0x08000104: wrote ${hex(wrote)}, read back ${hex(read)}`);
  });

  it('turns a probe that stops answering into a FlashError instead of a hang', async () => {
    const sim = simBoard('nucleo-f412zg');
    sim.device.faults.hangOnInTransfer = 20; // the whole flow needs about 35 replies: this one is mid-erase
    const started = Date.now();
    const error = await flashBoard({ boardId: 'nucleo-f412zg', elfOrBin: writeTempFile('fw.bin', imageBytes(1024, 4)), probeFactory: sim.factory }).catch((e) => e);
    expect(error).toBeInstanceOf(FlashError);
    expect(error.message).toMatch(/^ST-Link V2-1 at bus 1 addr 5: USB receive timed out after 300 ms$/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reports WRPERR for a write-protected sector', async () => {
    const sim = simBoard('stm32f746g-disco', { writeProtected: [1] });
    await expect(flashBoard({ boardId: 'stm32f746g-disco', elfOrBin: writeTempFile('fw.bin', imageBytes(40 * 1024, 5)), probeFactory: sim.factory }))
      .rejects.toThrow('ST-Link V2-1 at bus 1 addr 5: erase of sector 1 failed: FLASH_SR 0x00000010 WRPERR (write protection error: the sector is write-protected by option bytes)');
    expect(sim.target.flash.eraseLog).toEqual([0]);
    expect(sim.target.flash.cr >>> 0).toBe(0x80000000); // relocked on the way out
  });

  it('refuses to program below 2.7 V, where x32 parallelism is not allowed', async () => {
    const sim = simBoard('nucleo-f412zg', {}, { targetVolts: 1.8 });
    await expect(flashBoard({ boardId: 'nucleo-f412zg', elfOrBin: writeTempFile('fw.bin', imageBytes(64, 6)), probeFactory: sim.factory }))
      .rejects.toThrow('target supply is 1.80 V; 32-bit flash programming needs at least 2.7 V');
  });

  it('says so when no ST-Link is attached', async () => {
    const { simulatedProbeFactory } = await import('../../../../harness/flash/stlink/sim');
    await expect(flashBoard({ boardId: 'nucleo-f412zg', elfOrBin: writeTempFile('fw.bin', imageBytes(64, 6)), probeFactory: simulatedProbeFactory([]) }))
      .rejects.toThrow("no ST-Link is attached (USB vendor 0x0483); plug in the board's ST-Link USB port");
  });
});
