// The seam between a real-board target (harness/targets/device) and the tool that puts firmware on the board. One
// implementation per kind (FLASHER_KINDS): our ST-Link driver (stlink/), OpenOCD, st-flash and the ST-Link drive
// (tools/); harness/targets/device/flashers.ts maps a board's `flash.method`, or --flasher, to one of them.
import type { ResolvedBoard } from '../boards';
import { checkFirmwareFor, type BuildInfo } from './algorithms/build-info';
import type { FlashProgress } from './algorithms/flash-image';
import { FlashError } from './probe';

export const FLASHER_KINDS = ['stlink', 'openocd', 'st-flash', 'msd'] as const;
export type FlasherKind = (typeof FLASHER_KINDS)[number];

export function parseFlasherKind(value: string): FlasherKind {
  if ((FLASHER_KINDS as readonly string[]).includes(value)) return value as FlasherKind;
  throw new FlashError(`unknown flasher '${value}'; choose one of ${FLASHER_KINDS.join(', ')}`);
}

export interface FlashRequest {
  board: ResolvedBoard;
  /** firmware.elf (segments at their load addresses) or firmware.bin (placed at the chip's flash base). */
  firmware: string;
  /** The probe (debugger) to use, by USB serial, as the hardware map or --probe names it; absent: the only one. */
  probeSerial?: string;
  /** Leave the core halted at the reset vector, so the caller can open the console before the first byte. */
  halt: boolean;
  onProgress?: (progress: FlashProgress) => void;
  /** The model image the firmware must carry (its .mcb_build_info), when the caller knows it (mcubench run). */
  modelSha256?: string;
}

/** What programming did, for the user's summary; fields a tool cannot report are absent. */
export interface FlashReport {
  /** The tool or probe that did it, e.g. "ST-Link V2-1 at bus 1 addr 5", and its USB serial. */
  probe: { label: string; serial: string | null };
  bytesProgrammed: number;
  erasedSectors: number[];
  /** DBGMCU_IDCODE's DEV_ID read from the target. */
  devId?: number;
  /** SW-DP IDCODE. */
  dpIdcode?: number;
  /** How the image was verified, in the tool's words, for the summary (e.g. "CRC-32 on the target"). */
  verify?: string;
  /** More lines for the summary: what the tool itself reported. */
  details?: string[];
}

/**
 * Every flasher calls this first: an ELF whose .mcb_build_info names another board (or model) is refused before
 * the tool starts, with both boards named. A .bin or a foreign ELF carries no identity (null).
 */
export function refuseForeignFirmware(request: Pick<FlashRequest, 'board' | 'firmware' | 'modelSha256'>): BuildInfo | null {
  return checkFirmwareFor(request.firmware, { boardId: request.board.board.id, modelSha256: request.modelSha256 });
}

export interface Flasher {
  /** The boards/<id>.json `flash.method` it serves. */
  readonly method: string;
  /** Programs and verifies the firmware; leaves the core halted or running as asked. */
  flash(request: FlashRequest): Promise<FlashReport>;
  /** Restarts the firmware from its reset vector and lets it run. */
  reset(board: ResolvedBoard, probeSerial?: string): Promise<void>;
}
