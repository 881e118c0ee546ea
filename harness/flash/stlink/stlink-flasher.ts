// Our ST-Link driver behind the Flasher seam: flashBoard to program, a probe opened just long enough to reset.
import type { ResolvedBoard } from '../../boards';
import type { Flasher, FlashReport, FlashRequest } from '../flasher';
import type { ProbeFactory } from '../probe';
import { flashBoard } from './flash-board';
import { StlinkProbeFactory } from './stlink-factory';

export class StlinkFlasher implements Flasher {
  readonly method = 'stlink';

  /** ST-Links on the real USB bus by default; tests and dry runs pass harness/flash/stlink/sim's factory. */
  constructor(private readonly probes: ProbeFactory = new StlinkProbeFactory(), private readonly boardsDir?: string) {}

  async flash(request: FlashRequest): Promise<FlashReport> {
    const result = await flashBoard({
      boardId: request.board.board.id, elfOrBin: request.firmware, probeFactory: this.probes, halt: request.halt,
      probeSelector: request.probeSerial === undefined ? undefined : { serial: request.probeSerial },
      onProgress: request.onProgress, boardsDir: this.boardsDir, modelSha256: request.modelSha256,
    });
    const verify = result.verifiedBy === 'crc'
      ? `ok (CRC-32 computed on the target equals the image's, ${result.bytesProgrammed} bytes)`
      : `ok (${result.bytesProgrammed} bytes read back equal the image)`;
    const how = result.method === 'loader' ? 'through the SRAM flash loader' : `by direct writes${result.loaderFallback ? ` (loader given up: ${result.loaderFallback})` : ''}`;
    return { ...result, probe: { label: result.probe.label, serial: result.probe.serial }, verify, details: [how] };
  }

  async reset(_board: ResolvedBoard, probeSerial?: string): Promise<void> {
    // The probe is opened per reset, not held: the USB device stays free for other tools between runs.
    const probe = await this.probes.open(probeSerial === undefined ? undefined : { serial: probeSerial });
    try {
      await probe.attach();
      await probe.reset(false);
    } finally {
      await probe.close().catch(() => undefined); // the reset happened or threw; a failed goodbye adds nothing
    }
  }
}
