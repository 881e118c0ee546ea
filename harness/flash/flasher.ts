// One interface over every way to put firmware on a real board: our ST-Link driver, OpenOCD, st-flash, and the
// ST-Link's mass-storage drive. The board's flash.method picks the default; --flasher (or a hardware-map entry)
// overrides it. Every flasher refuses a firmware built for another board before touching the target.
import type { ResolvedBoard } from '../boards';
import { checkFirmwareFor, type BuildInfo } from './algorithms/build-info';
import type { FlashProgress } from './algorithms/flash-image';
import { FlashError, type ProbeFactory } from './probe';
import { MsdFlasher, type DriveLookup } from './tools/msd-flasher';
import { OpenocdFlasher } from './tools/openocd-flasher';
import { StFlashFlasher } from './tools/st-flash-flasher';
import { StlinkFlasher } from './tools/stlink-flasher';

export const FLASHER_KINDS = ['stlink', 'openocd', 'st-flash', 'msd'] as const;
export type FlasherKind = (typeof FLASHER_KINDS)[number];

export interface FlashJob {
  board: ResolvedBoard;
  /** firmware.elf or firmware.bin from mcubench build. */
  firmware: string;
  /** USB serial of the ST-Link (required when several are attached). */
  probeSerial?: string;
  /** The model image the firmware must carry, when the caller knows it (mcubench run). */
  modelSha256?: string;
  onProgress?: (progress: FlashProgress) => void;
  /** Our driver only: the ST-Links to use (the simulator for --simulate). */
  probeFactory?: ProbeFactory;
}

export interface FlashReport {
  flasher: FlasherKind;
  /** Which probe or drive did the work, as the tool named it. */
  via: string;
  bytes: number;
  /** Lines for the summary (erased sectors, verify, the tool's own words). */
  details: string[];
  buildInfo: BuildInfo | null;
}

export interface Flasher {
  readonly kind: FlasherKind;
  flash(job: FlashJob): Promise<FlashReport>;
}

export function parseFlasherKind(value: string): FlasherKind {
  if ((FLASHER_KINDS as readonly string[]).includes(value)) return value as FlasherKind;
  throw new FlashError(`unknown flasher '${value}'; choose one of ${FLASHER_KINDS.join(', ')}`);
}

/** The flasher to use: the explicit choice, else the hardware-map entry's, else the board's flash.method. */
export function chooseFlasherKind(board: ResolvedBoard, explicit?: string, fromHardwareMap?: string): FlasherKind {
  const choice = explicit ?? fromHardwareMap ?? board.board.flash.method;
  if (choice === 'qemu') throw new FlashError(`board '${board.board.id}' is emulated: QEMU loads the ELF itself, there is nothing to flash`);
  return parseFlasherKind(choice);
}

/** Checks the firmware's build identity against the board, then runs the flasher. */
export async function flashWith(flasher: Flasher, job: FlashJob): Promise<FlashReport> {
  const buildInfo = checkFirmwareFor(job.firmware, { boardId: job.board.board.id, modelSha256: job.modelSha256 });
  const report = await flasher.flash(job);
  return { ...report, buildInfo };
}

/** The flasher object for a kind; `msd` takes its drive lookup (tests point it at a folder laid out like the drive). */
export function createFlasher(kind: FlasherKind, lookup?: DriveLookup): Flasher {
  switch (kind) {
    case 'stlink': return new StlinkFlasher();
    case 'openocd': return new OpenocdFlasher();
    case 'st-flash': return new StFlashFlasher();
    case 'msd': return new MsdFlasher(lookup);
  }
}
