// The seam between a real-board target (harness/targets/device) and the tool that puts firmware on the board. One
// implementation per `flash.method` of boards/<id>.json; harness/targets/device/flashers.ts maps methods to them.
// A new flasher (OpenOCD, st-flash, a mass-storage copy) implements this interface in its own folder beside
// stlink/ and adds one line to that map; nothing else in the run path changes.
import type { ResolvedBoard } from '../boards';
import type { FlashProgress } from './algorithms/flash-image';

export interface FlashRequest {
  board: ResolvedBoard;
  /** firmware.elf (segments at their load addresses) or firmware.bin (placed at the chip's flash base). */
  firmware: string;
  /** The probe (debugger) to use, by USB serial, as the hardware map or --probe names it; absent: the only one. */
  probeSerial?: string;
  /** Leave the core halted at the reset vector, so the caller can open the console before the first byte. */
  halt: boolean;
  onProgress?: (progress: FlashProgress) => void;
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
}

export interface Flasher {
  /** The boards/<id>.json `flash.method` it serves. */
  readonly method: string;
  /** Programs and verifies the firmware; leaves the core halted or running as asked. */
  flash(request: FlashRequest): Promise<FlashReport>;
  /** Restarts the firmware from its reset vector and lets it run. */
  reset(board: ResolvedBoard, probeSerial?: string): Promise<void>;
}
