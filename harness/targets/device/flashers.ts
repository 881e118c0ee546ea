// Which Flasher programs a real board, by its boards/<id>.json `flash.method`. A new flasher (harness/flash/<kind>/,
// implementing harness/flash/flasher.ts) is one more entry here, plus its method in the board schema's enum and in
// deviceTargetKind.methods (device-target.ts).
import { BoardError, type ResolvedBoard } from '../../boards';
import type { Flasher } from '../../flash/flasher';
import { StlinkFlasher } from '../../flash/stlink/stlink-flasher';

const FLASHERS: Record<string, () => Flasher> = {
  stlink: () => new StlinkFlasher(),
};

export function flasherFor(board: ResolvedBoard): Flasher {
  const make = FLASHERS[board.board.flash.method];
  if (!make) {
    throw new BoardError(`board '${board.board.id}' is flashed with '${board.board.flash.method}', which no flasher serves ` +
      `(known: ${Object.keys(FLASHERS).join(', ')})`);
  }
  return make();
}
