// Programs an image onto an attached STM32F4/F7 through any Probe: identify, unlock, erase only the sectors
// touched, program, lock, verify by read-back, reset and run (probe-rs's flashing/ beside probe/).
import type { Chip } from '../../boards';
import { FlashError, hex32, type Probe } from '../probe';
import { chipIdentity, expectDevId } from './chip-identity';
import { toWordBlocks, type FlashBlock, type ImageSegment } from './firmware-image';
import { hostCrc32, LoaderUnusableError, RamFlashLoader } from './ram-loader';
import { sectorsToErase } from './sector-plan';
import { Stm32Flash, type Stm32FlashOptions } from './stm32-flash';
import { DBGMCU_IDCODE, MIN_VOLTS_X32 } from './stm32-flash-registers';

export interface FlashProgress {
  phase: 'erase' | 'program' | 'verify';
  /** Bytes (for erase: sector bytes) finished so far in this phase, and the phase's total. */
  done: number;
  total: number;
}

export interface FlashImageOptions extends Stm32FlashOptions {
  /** Names the image and board in errors. */
  imageName: string;
  boardId: string;
  onProgress?: (progress: FlashProgress) => void;
  /** Start the new firmware afterwards (default true); false leaves the core halted. */
  run?: boolean;
  /** 'loader' (default): our SRAM routine programs and checks CRCs; 'direct': word writes through the debug port. */
  method?: 'loader' | 'direct';
}

export interface FlashResult {
  devId: number;
  erasedSectors: number[];
  bytesProgrammed: number;
  /** How the bytes went in, and why the loader was given up if it was. */
  method: 'loader' | 'direct';
  loaderFallback?: string;
  /** 'crc' when the target's CRC-32 matched every block, 'read-back' when the bytes were read and compared. */
  verifiedBy: 'crc' | 'read-back';
}

/** Bytes per program step: one ST-Link transfer, then a BSY/error check. */
const PROGRAM_STEP = 1024;

/** The probe must be attached (core halted). */
export async function flashImage(probe: Probe, chip: Chip, segments: ImageSegment[], options: FlashImageOptions): Promise<FlashResult> {
  const { family } = chipIdentity(chip);
  const idcode = await probe.readWord(DBGMCU_IDCODE);
  expectDevId(chip, idcode, options.boardId);
  if (probe.targetVoltage) {
    const volts = await probe.targetVoltage();
    if (volts < MIN_VOLTS_X32) {
      throw new FlashError(`${probe.info.label}: target supply is ${volts.toFixed(2)} V; 32-bit flash programming needs at least ${MIN_VOLTS_X32} V`);
    }
  }
  const blocks = toWordBlocks(segments, options.imageName);
  const sectors = sectorsToErase(chip, blocks, options.imageName);
  const flash = new Stm32Flash(probe, family, options);
  let method = options.method ?? 'loader';
  let loader: RamFlashLoader | null = null;
  let loaderFallback: string | undefined;
  if (!(await flash.unlock())) {
    // A wrong key sequence earlier (another tool, a crash mid-unlock) locks FLASH_CR until reset: reset once, retry.
    await probe.reset(true);
    if (!(await flash.unlock())) throw new FlashError(`${probe.info.label}: FLASH_CR stays locked after writing the KEYR keys, even after a reset`);
  }
  const report = (phase: FlashProgress['phase'], done: number, total: number): void => options.onProgress?.({ phase, done, total });
  try {
    const eraseTotal = sectors.reduce((sum, s) => sum + s.size, 0);
    let erased = 0;
    report('erase', 0, eraseTotal);
    for (const sector of sectors) {
      await flash.eraseSector(sector.index);
      erased += sector.size;
      report('erase', erased, eraseTotal);
    }
    const total = blocks.reduce((sum, b) => sum + b.data.length, 0);
    report('program', 0, total);
    if (method === 'loader') {
      try {
        loader = new RamFlashLoader(probe, chip, family);
        await loader.install();
        await loader.program(blocks, { onProgress: (done) => report('program', done, total) });
      } catch (err) {
        if (!(err instanceof LoaderUnusableError)) throw err;
        // As OpenOCD does without a work area: program word by word through the debug port instead.
        method = 'direct';
        loader = null;
        loaderFallback = err.message;
      }
    }
    if (method === 'direct') {
      let done = 0;
      for (const block of blocks) {
        for (let at = 0; at < block.data.length; at += PROGRAM_STEP) {
          const piece = block.data.subarray(at, Math.min(at + PROGRAM_STEP, block.data.length));
          await flash.program(block.address + at, piece);
          done += piece.length;
          report('program', done, total);
        }
      }
    }
  } catch (err) {
    // Relock if the probe still answers, but never let that hide the original failure.
    await flash.lock().catch(() => undefined);
    throw err;
  }
  await flash.lock();
  // The CRC runs on the core, which reads flash through the ART caches: empty them of pre-erase lines first.
  if (loader) await flash.flushCaches();
  const verifiedBy = await verifyBlocks(probe, blocks, loader, (done, total) => report('verify', done, total));
  await probe.reset(options.run === false);
  return {
    devId: idcode & 0xfff, erasedSectors: sectors.map((s) => s.index), bytesProgrammed: blocks.reduce((sum, b) => sum + b.data.length, 0),
    method, ...(loaderFallback ? { loaderFallback } : {}), verifiedBy,
  };
}

/** CRC-32 on the target per block when the loader is there; any mismatch (or no loader) reads the bytes back. */
async function verifyBlocks(probe: Probe, blocks: FlashBlock[], loader: RamFlashLoader | null,
  report: (done: number, total: number) => void): Promise<'crc' | 'read-back'> {
  if (loader) {
    const total = blocks.reduce((sum, b) => sum + b.data.length, 0);
    let done = 0;
    let allMatch = true;
    report(0, total);
    for (const block of blocks) {
      if ((await loader.crc(block.address, block.data.length)) !== hostCrc32(block.data)) {
        allMatch = false;
        break;
      }
      done += block.data.length;
      report(done, total);
    }
    if (allMatch) return 'crc';
  }
  // Reading back is the authority: a CRC mismatch that the read-back does not confirm (e.g. stale core cache
  // lines) still passes, verified by read-back.
  await verify(probe, blocks, report);
  return 'read-back';
}

async function verify(probe: Probe, blocks: FlashBlock[], report: (done: number, total: number) => void): Promise<void> {
  const total = blocks.reduce((sum, b) => sum + b.data.length, 0);
  let done = 0;
  report(0, total);
  for (const block of blocks) {
    const actual = await probe.readMemory32(block.address, block.data.length);
    for (let i = 0; i < block.data.length; i++) {
      if (actual[i] !== block.data[i]) {
        const word = i - (i % 4);
        const view = (bytes: Uint8Array): string => hex32(new DataView(bytes.buffer, bytes.byteOffset + word, 4).getUint32(0, true));
        throw new FlashError(`${probe.info.label}: verify failed at ${hex32(block.address + word)}: wrote ${view(block.data)}, read back ${view(actual)}`);
      }
    }
    done += block.data.length;
    report(done, total);
  }
}
