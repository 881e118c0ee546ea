// --flasher stlink: our own driver (harness/flash/stlink) behind the Flasher interface.
import * as path from 'path';
import type { Flasher, FlashJob, FlashReport } from '../flasher';
import { flashBoard } from '../stlink/flash-board';

export class StlinkFlasher implements Flasher {
  readonly kind = 'stlink' as const;

  async flash(job: FlashJob): Promise<FlashReport> {
    const { board, chip } = job.board;
    const result = await flashBoard({
      boardId: board.id, elfOrBin: job.firmware, probeSelector: job.probeSerial === undefined ? undefined : { serial: job.probeSerial },
      probeFactory: job.probeFactory, onProgress: job.onProgress, modelSha256: job.modelSha256,
    });
    const sizes = chip.flash.sectors ?? [];
    const erased = result.erasedSectors.reduce((sum, s) => sum + (sizes[s] ?? 0), 0);
    return {
      flasher: this.kind, via: `${result.probe.label}, serial ${result.probe.serial ?? 'unreadable'}`, bytes: result.bytesProgrammed,
      details: [
        `erased sector${result.erasedSectors.length === 1 ? '' : 's'} ${result.erasedSectors.join(', ')} (${erased} bytes)`,
        `verify: ${result.bytesProgrammed} bytes read back equal ${path.basename(job.firmware)}`,
        `target DEV_ID 0x${result.devId.toString(16)} (${chip.id}), SW-DP IDCODE 0x${result.dpIdcode.toString(16).toUpperCase().padStart(8, '0')}; reset, firmware running`,
      ],
      buildInfo: null,
    };
  }
}
