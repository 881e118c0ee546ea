// flashBoard: put an ELF or .bin on a real board through its ST-Link: resolve the board, pick the probe, attach,
// program with the chip's algorithm, close the probe whatever happens.
import * as path from 'path';
import { loadBoard } from '../../boards';
import { flashImage, type FlashProgress, type FlashResult } from '../algorithms/flash-image';
import { checkFirmwareFor } from '../algorithms/build-info';
import { loadFirmwareImage } from '../algorithms/firmware-image';
import { prepareTarget } from '../algorithms/prepare-target';
import { FlashError, type ProbeFactory, type ProbeInfo, type ProbeSelector } from '../probe';
import { StlinkProbeFactory } from './stlink-factory';

export interface FlashBoardOptions {
  boardId: string;
  /** Path to firmware.elf (segments at their load addresses) or firmware.bin (placed at the chip's flash base). */
  elfOrBin: string;
  probeSelector?: ProbeSelector;
  /** Defaults to the ST-Links on the real USB bus; tests and dry runs pass a simulated one. */
  probeFactory?: ProbeFactory;
  onProgress?: (progress: FlashProgress) => void;
  /** 'loader' (default) or 'direct' word writes through the debug port (harness/flash/algorithms/flash-image.ts). */
  method?: 'loader' | 'direct';
  /** The model image this firmware must carry (its .mcb_build_info); checked before the probe is opened. */
  modelSha256?: string;
  /** Leave the core halted instead of starting the new firmware. */
  halt?: boolean;
  boardsDir?: string;
}

export interface FlashBoardResult extends FlashResult {
  probe: ProbeInfo;
  dpIdcode: number;
}

export async function flashBoard(options: FlashBoardOptions): Promise<FlashBoardResult> {
  const resolved = loadBoard(options.boardId, options.boardsDir);
  const { board, chip } = resolved;
  if (board.flash.method === 'qemu') {
    throw new FlashError(`board '${board.id}' is emulated: there is no ST-Link to flash; emulated boards start through harness/targets/qemu`);
  }
  checkFirmwareFor(options.elfOrBin, { boardId: board.id, modelSha256: options.modelSha256 });
  const segments = loadFirmwareImage(options.elfOrBin, chip.flash.base);
  const factory = options.probeFactory ?? new StlinkProbeFactory();
  const probe = await factory.open(options.probeSelector);
  try {
    const { dpIdcode } = await prepareTarget(probe, chip, board.id, board.flash.openocd);
    const result = await flashImage(probe, chip, segments, {
      imageName: path.basename(options.elfOrBin), boardId: board.id, onProgress: options.onProgress, run: !options.halt, method: options.method,
    });
    return { ...result, probe: probe.info, dpIdcode };
  } finally {
    await probe.close().catch(() => undefined); // the flash outcome matters more than a failed goodbye
  }
}
