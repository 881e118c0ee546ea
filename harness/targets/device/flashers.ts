// Which Flasher programs a real board: --flasher when given, else its boards/<id>.json `flash.method`. A new
// flasher (implementing harness/flash/flasher.ts) is one more entry here, plus its kind in FLASHER_KINDS and the
// board schema's `flash.method` enum (deviceTargetKind serves every kind listed here).
import { BoardError, type ResolvedBoard } from '../../boards';
import { FLASHER_KINDS, parseFlasherKind, type Flasher, type FlasherKind } from '../../flash/flasher';
import { StlinkFlasher } from '../../flash/stlink/stlink-flasher';
import { MsdFlasher, OpenocdFlasher, StFlashFlasher } from '../../flash/tools';

const FLASHERS: Record<FlasherKind, () => Flasher> = {
  stlink: () => new StlinkFlasher(),
  openocd: () => new OpenocdFlasher(),
  'st-flash': () => new StFlashFlasher(),
  msd: () => new MsdFlasher(),
};

/** The flasher for a real board; `choice` (--flasher, a hardware-map entry) overrides the board's flash.method. */
export function flasherFor(board: ResolvedBoard, choice?: string): Flasher {
  const method = choice ?? board.board.flash.method;
  if (board.board.flash.method === 'qemu') {
    throw new BoardError(`board '${board.board.id}' is emulated: QEMU loads the ELF itself, so there is no flasher to choose`);
  }
  if (!(FLASHER_KINDS as readonly string[]).includes(method)) {
    throw new BoardError(`board '${board.board.id}' is flashed with '${method}', which no flasher serves (known: ${FLASHER_KINDS.join(', ')})`);
  }
  return FLASHERS[parseFlasherKind(method)]();
}

export const FLASHER_METHODS: readonly string[] = FLASHER_KINDS;
