// The bench firmware for one board and model: plan and pack (planImage, as every command) → fit check (before
// building, naming both figures) → firmware build with the image in flash (cached by content). `mcubench run`
// boots it; `mcubench build` writes it out.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { ResolvedBoard } from '../boards';
import type { Graph } from '../model/graph';
import { planImage, planImageFor, type PlannedImage } from '../pack/image-for-model';
import { DEFAULT_MAX_MAC_OVERHEAD } from '../plan';
import { autoScheduleForBoard } from './schedule-fit';
import { readImage } from '../pack/read-image';
import { scheduleLabel } from '../pack/schedule';
import type { ScheduleRequest } from '../pack/select-schedule';
import { benchMemory, buildBenchFirmware, type BenchKernels, type BenchMemory, type DutProtocol } from './bench-firmware';
import { bestFittingPatchPlan, checkSramFit } from './board-fit';
import { BuildError } from './build-error';
import type { FirmwareBuild } from './build-firmware';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const IMAGE_CACHE = path.join(REPO_ROOT, '.cache', 'images');
/** Packed images the firmware cache builds from (up to ~1 MB each); keep the most recently used. */
const IMAGES_KEPT = 32;
/** Code, vectors and constants of the bench firmware besides the model image (measured ~26 KB), rounded up. */
const BENCH_CODE_ESTIMATE_BYTES = 40 * 1024;

export interface BoardFirmwareRequest {
  board: ResolvedBoard;
  graph: Graph;
  /** Model name for messages (file stem). */
  modelName: string;
  schedule: ScheduleRequest;
  onBuildLine?: (line: string) => void;
  /** Kernel selection of the build (default: the model's ops only, optimized twins). */
  kernels?: BenchKernels;
  /** The serial protocol the firmware speaks (default ours). */
  dut?: DutProtocol;
}

export interface BoardImage extends PlannedImage {
  memory: BenchMemory;
}

export interface BoardFirmware extends BoardImage {
  firmware: FirmwareBuild;
}

/** Plans and packs for the board and checks the fit; throws BuildError ("does not fit ...") when it cannot fit. */
export function prepareBoardImage(request: Omit<BoardFirmwareRequest, 'onBuildLine'>): BoardImage {
  const { board, modelName } = request;
  // auto on a board: the least MAC overhead that fits it, not only the lowest peak.
  const planned = request.schedule.schedule === 'auto'
    ? planImageFor(request.graph, (graph) => autoScheduleForBoard(graph, board, request.schedule.schedule === 'auto' ? request.schedule.maxMacOverhead ?? DEFAULT_MAX_MAC_OVERHEAD : DEFAULT_MAX_MAC_OVERHEAD).schedule)
    : planImage(request.graph, request.schedule);
  const { graph, schedule, image } = planned;
  const records = readImage(image.bytes);
  const memory = benchMemory(records, request.dut);
  checkSramFit(modelName, board, scheduleLabel(schedule), memory, () => bestFittingPatchPlan(graph, board,
    { inputBytes: records.inputBytes, outputBytes: records.outputBytes, inputs: records.io.filter((x) => x.direction === 'input').length, outputInArena: memory.outputBufferBytes === 0 }));
  checkFlashFit(modelName, board, image.bytes.length);
  return { ...planned, memory };
}

/** Throws BuildError ("does not fit ...") before building when the plan cannot fit the board's SRAM or flash. */
export async function prepareBoardFirmware(request: BoardFirmwareRequest): Promise<BoardFirmware> {
  const { board, modelName } = request;
  const prepared = prepareBoardImage(request);
  const { image, memory } = prepared;

  fs.mkdirSync(IMAGE_CACHE, { recursive: true });
  const imageFile = path.join(IMAGE_CACHE, `${createHash('sha256').update(image.bytes).digest('hex').slice(0, 24)}.img`);
  if (!fs.existsSync(imageFile)) fs.writeFileSync(imageFile, image.bytes);
  else fs.utimesSync(imageFile, new Date(), new Date());
  pruneImages(IMAGE_CACHE, IMAGES_KEPT);
  try {
    const firmware = await buildBenchFirmware(board, imageFile, memory, request.onBuildLine, request.kernels, request.dut);
    return { ...prepared, firmware };
  } catch (err) {
    // The linker's verdict when the estimate above was too optimistic: name the model too.
    if (err instanceof BuildError && /does not fit/.test(err.message)) throw new BuildError(`model ${modelName}: ${err.message}`);
    throw err;
  }
}

function checkFlashFit(modelName: string, board: ResolvedBoard, imageBytes: number): void {
  const need = imageBytes + BENCH_CODE_ESTIMATE_BYTES;
  const have = board.chip.flash.size;
  if (need > have) {
    throw new BuildError(`model ${modelName} does not fit ${board.board.id}: the model image (${imageBytes} B) and the firmware code ` +
      `(~${BENCH_CODE_ESTIMATE_BYTES} B) need ${need} B of flash, the board has ${have} B`);
  }
}

/** Removes the least recently used images beyond `keep` (the firmware embeds a copy, so none is needed after its build). */
function pruneImages(dir: string, keep: number): void {
  const images = fs.readdirSync(dir).filter((f) => f.endsWith('.img'))
    .map((f) => ({ file: path.join(dir, f), used: fs.statSync(path.join(dir, f)).mtimeMs }))
    .sort((a, b) => b.used - a.used);
  for (const stale of images.slice(keep)) fs.rmSync(stale.file, { force: true });
}
