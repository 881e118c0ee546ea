// Programming through our flash loader (harness/flash/loader): the routine runs from SRAM and programs one buffer
// while the host fills the other, then computes CRC-32 over what it wrote, so verify costs one register read per
// block instead of reading the whole image back. Everything here goes through Probe memory access: core
// registers through DCRSR/DCRDR, run and halt through DHCSR (ARMv7-M C1.6), so any probe kind can use it.
import { crc32 } from 'crc';
import type { Chip } from '../../boards';
import { BufferFlag, flashLoaderImage, LoaderParams } from '../loader/flash-loader';
import { FlashError, hex32, type Probe } from '../probe';
import type { FlashBlock } from './firmware-image';
import { errorBits, FLASH_INTERFACE, type FlashFamily } from './stm32-flash-registers';

const DHCSR = 0xe000edf0;
const DCRSR = 0xe000edf4;
const DCRDR = 0xe000edf8;
const DBGKEY = 0xa05f0000;
const C_DEBUGEN = 1 << 0;
const C_HALT = 1 << 1;
/** Masks SysTick, PendSV and external interrupts while the loader runs: the old firmware's handlers live in the flash being rewritten. */
const C_MASKINTS = 1 << 3;
const S_REGRDY = 1 << 16;
const S_HALT = 1 << 17;
const S_LOCKUP = 1 << 19;
/** CCR (ARMv7-M B3.2.8): DC and IC are the Cortex-M7's L1 cache enables; on the M4 they are reserved, read as 0. */
const CCR = 0xe000ed14;
const CCR_DC = 1 << 16;
const CCR_IC = 1 << 17;
const REG_PC = 15;
const REG_XPSR = 16;
const XPSR_THUMB = 1 << 24;

/** SRAM layout from the chip's SRAM base: code, parameter block, two data buffers. */
const CODE_SPACE = 0x100;
const PARAMS_AT = 0x100;
const BUFFERS_AT = 0x400;
/** One buffer: 4 KB, about 16–100 ms of word programming on F4/F7, long enough to hide one USB round trip. */
export const LOADER_BUFFER_BYTES = 4096;

/** The loader could not be used (did not start, stalled, locked up): the caller may fall back to direct writes. */
export class LoaderUnusableError extends FlashError {}

export interface LoaderRun {
  onProgress?: (done: number, total: number) => void;
  /** Per buffer: how long the loader may take before it counts as stalled. */
  bufferTimeoutMs?: number;
}

export class RamFlashLoader {
  private readonly base: number;
  private readonly params: number;
  private readonly buffers: [number, number];

  constructor(private readonly probe: Probe, private readonly chip: Chip, private readonly family: FlashFamily) {
    this.base = chip.sram.base;
    this.params = this.base + PARAMS_AT;
    this.buffers = [this.base + BUFFERS_AT, this.base + BUFFERS_AT + LOADER_BUFFER_BYTES];
    if (BUFFERS_AT + 2 * LOADER_BUFFER_BYTES > chip.sram.size) throw new LoaderUnusableError(`${chip.id}: SRAM too small for the flash loader`);
  }

  private get label(): string {
    return this.probe.info.label;
  }

  /**
   * Places the code and an idle parameter block in SRAM; the core must be halted. A Cortex-M7 whose firmware left
   * its L1 caches on would read stale flash lines (the CRC) and stale buffer lines: the caches are switched off
   * first (the reset that starts the new firmware leaves them off, and its start-up code sets them up again).
   */
  async install(): Promise<void> {
    const ccr = await this.probe.readWord(CCR);
    if ((ccr & (CCR_DC | CCR_IC)) !== 0) await this.probe.writeWord(CCR, (ccr & ~(CCR_DC | CCR_IC)) >>> 0);
    const { code } = flashLoaderImage();
    if (code.length > CODE_SPACE) throw new LoaderUnusableError(`flash loader is ${code.length} bytes, more than the ${CODE_SPACE} reserved`);
    await this.probe.writeMemory32(this.base, code);
    const block = new Uint32Array(LoaderParams.SIZE / 4);
    block[LoaderParams.FLASH_IF / 4] = FLASH_INTERFACE;
    block[(LoaderParams.BUFFER0 + 12) / 4] = this.buffers[0];
    block[(LoaderParams.BUFFER0 + LoaderParams.BUFFER_STRIDE + 12) / 4] = this.buffers[1];
    await this.probe.writeMemory32(this.params, new Uint8Array(block.buffer));
  }

  /** Programs the blocks (already erased) buffer by buffer; the loader halts when done. */
  async program(blocks: FlashBlock[], run: LoaderRun = {}): Promise<void> {
    const total = blocks.reduce((sum, b) => sum + b.data.length, 0);
    await this.start(this.base + flashLoaderImage().programEntry, [[0, this.params]]);
    let index = 0;
    let done = 0;
    const timeoutMs = run.bufferTimeoutMs ?? 3000;
    for (const block of blocks) {
      for (let at = 0; at < block.data.length; at += LOADER_BUFFER_BYTES) {
        const piece = block.data.subarray(at, Math.min(at + LOADER_BUFFER_BYTES, block.data.length));
        await this.waitFree(index, timeoutMs);
        await this.probe.writeMemory32(this.buffers[index], piece);
        const descriptor = this.descriptor(index);
        await this.probe.writeMemory32(descriptor + 4, words(block.address + at, piece.length));
        await this.probe.writeWord(descriptor, BufferFlag.FULL);
        done += piece.length;
        run.onProgress?.(done, total);
        index ^= 1;
      }
    }
    await this.waitFree(index ^ 1, timeoutMs);
    await this.waitFree(index, timeoutMs);
    await this.probe.writeWord(this.descriptor(index), BufferFlag.STOP);
    await this.waitHalted(timeoutMs, 'stop after the last buffer');
  }

  /** CRC-32 (IEEE) of flash computed by the target; the core must be halted. */
  async crc(address: number, length: number): Promise<number> {
    await this.start(this.base + flashLoaderImage().crcEntry, [[0, address], [1, length]]);
    await this.waitHalted(2000 + length / 4, `CRC of ${length} bytes at ${hex32(address)}`);
    return this.readCoreRegister(0);
  }

  private descriptor(index: number): number {
    return this.params + LoaderParams.BUFFER0 + index * LoaderParams.BUFFER_STRIDE;
  }

  private async start(entry: number, registers: Array<[number, number]>): Promise<void> {
    for (const [register, value] of registers) await this.writeCoreRegister(register, value);
    await this.writeCoreRegister(REG_XPSR, XPSR_THUMB);
    await this.writeCoreRegister(REG_PC, entry);
    // C_MASKINTS may change only while halted (ARMv7-M C1.6.3): set it with C_HALT still set, then release the halt.
    await this.probe.writeWord(DHCSR, (DBGKEY | C_DEBUGEN | C_HALT | C_MASKINTS) >>> 0);
    await this.probe.writeWord(DHCSR, (DBGKEY | C_DEBUGEN | C_MASKINTS) >>> 0);
  }

  private async waitFree(index: number, timeoutMs: number): Promise<void> {
    const flag = this.descriptor(index);
    const deadline = Date.now() + timeoutMs;
    for (let poll = 1; ; poll++) {
      if ((await this.probe.readWord(flag)) === BufferFlag.FREE) return;
      // A loader that stopped (error BKPT, lockup) never frees the buffer: look every 8th poll, and before giving up.
      const dhcsr = poll % 8 === 0 || Date.now() > deadline ? await this.probe.readWord(DHCSR) : 0;
      if ((dhcsr & (S_HALT | S_LOCKUP)) !== 0) await this.stopped(dhcsr);
      if (Date.now() > deadline) {
        await this.halt();
        throw new LoaderUnusableError(`${this.label}: the flash loader made no progress on buffer ${index} within ${timeoutMs} ms`);
      }
    }
  }

  private async waitHalted(timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const dhcsr = await this.probe.readWord(DHCSR);
      if ((dhcsr & S_LOCKUP) !== 0) await this.stopped(dhcsr);
      if ((dhcsr & S_HALT) !== 0) {
        const status = await this.probe.readWord(this.params + LoaderParams.STATUS);
        if (status !== 0) this.flashFailure(status);
        return;
      }
      if (Date.now() > deadline) {
        await this.halt();
        throw new LoaderUnusableError(`${this.label}: the flash loader did not finish (${what}) within ${Math.round(timeoutMs)} ms`);
      }
    }
  }

  /** The loader halted or locked up while the host still expected it to work. */
  private async stopped(dhcsr: number): Promise<never> {
    if ((dhcsr & S_LOCKUP) !== 0) {
      await this.halt();
      throw new LoaderUnusableError(`${this.label}: the flash loader locked up (DHCSR ${hex32(dhcsr)}, PC ${hex32(await this.readCoreRegister(REG_PC))})`);
    }
    const status = await this.probe.readWord(this.params + LoaderParams.STATUS);
    if (status !== 0) this.flashFailure(status);
    throw new LoaderUnusableError(`${this.label}: the flash loader stopped early at PC ${hex32(await this.readCoreRegister(REG_PC))}`);
  }

  private flashFailure(sr: number): never {
    const named = errorBits(this.family).filter(([bit]) => (sr & bit) !== 0).map(([, name, meaning]) => `${name} (${meaning})`).join(', ');
    throw new FlashError(`${this.label}: programming through the flash loader failed: FLASH_SR ${hex32(sr)} ${named}`);
  }

  private async halt(): Promise<void> {
    await this.probe.writeWord(DHCSR, (DBGKEY | C_DEBUGEN | C_HALT) >>> 0).catch(() => undefined);
  }

  private async writeCoreRegister(register: number, value: number): Promise<void> {
    await this.probe.writeWord(DCRDR, value >>> 0);
    await this.probe.writeWord(DCRSR, (register | (1 << 16)) >>> 0);
    await this.waitRegisterReady();
  }

  private async readCoreRegister(register: number): Promise<number> {
    await this.probe.writeWord(DCRSR, register);
    await this.waitRegisterReady();
    return this.probe.readWord(DCRDR);
  }

  private async waitRegisterReady(): Promise<void> {
    for (let i = 0; i < 100; i++) if (((await this.probe.readWord(DHCSR)) & S_REGRDY) !== 0) return;
    throw new LoaderUnusableError(`${this.label}: core register transfer never completed (DHCSR.S_REGRDY stayed 0)`);
  }
}

/** CRC-32 of bytes, the same function the loader computes (IEEE 802.3, reflected, as zlib). */
export function hostCrc32(bytes: Uint8Array): number {
  return crc32(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) >>> 0;
}

function words(...values: number[]): Uint8Array {
  return new Uint8Array(Uint32Array.from(values).buffer);
}
