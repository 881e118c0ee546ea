// The benchmark firmware for one model image: how much SRAM it will need (known before building) and the build
// itself (firmware/app/bench_main.c + the protocol endpoint + the shared C runtime, cached by content).
import * as fs from 'fs';
import * as path from 'path';
import type { ResolvedBoard } from '../boards';
import { mainSramBytes, type SramParts } from '../metrics/sram';
import { SECTION_IDS } from '../pack/image-ids';
import { inputIsStreamed, inputLivesInArena, outputLivesInArena, readImage, readImageSummary, type ImageRecords } from '../pack/read-image';
import { buildFirmware, type FirmwareBuild } from './build-firmware';
import { opsOnlyUsedDefines } from './ops-used';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const RUNTIME_DIR = path.join(REPO_ROOT, 'native', 'runtime');
const BENCH_APP = path.join(REPO_ROOT, 'firmware', 'app', 'bench_main.c');
/** The same model behind the MLPerf Tiny / EEMBC DUT command set instead of our link protocol. */
const MLPERF_APP = path.join(REPO_ROOT, 'firmware', 'app', 'mlperf_main.c');

/** Which serial protocol the bench firmware speaks: ours (docs/protocol.md) or MLPerf Tiny's DUT commands. */
export type DutProtocol = 'mcubench' | 'mlperf-tiny';
const LINK_SOURCES = ['link.c', 'protocol.c', 'link_port.c'].map((f) => path.join(REPO_ROOT, 'firmware', 'core', f));

/**
 * Main stack of the bench firmware (painted at boot; its high-water mark is reported per run). 10 KiB: the DSP
 * CONV_2D twin keeps 5.75 KiB of columns and tables on the stack, and under a stream schedule the segment executor
 * and the link's RUN path sit below it: mcunet-in3 --schedule stream measured 8,336 B, past the 8 KiB this was,
 * so the stack ran into the top of the arena (its high-water mark then read as the whole 8 KiB).
 */
export const BENCH_STACK_BYTES = 10240;
/**
 * .data + .bss of the bench firmware apart from its input/output buffers (link state with its two frame buffers,
 * the UART receive ring, the loaded model's pointers). Used to check the fit before building; the linker checks
 * the real figure afterwards. Measured: 3,936 B on emu-f746 (arm-none-eabi-gcc 12.2, -Os); rounded up.
 */
export const BENCH_STATIC_BASE_BYTES = 5 * 1024;

/** What the bench firmware holds in SRAM for one image, all known from the image alone. */
export interface BenchMemory extends SramParts {
  /** Arena + kernel scratch (mcb_model_arena_bytes), rounded to 16. */
  arenaBytes: number;
  /** Static input buffer: 16 when the input is received straight into the arena, none when it is streamed (see bench_main.c). */
  inputBufferBytes: number;
  /** The board asks the host for the input region by region and never holds it whole (no input buffer). */
  inputStreamed: boolean;
  /** Static output buffer: none when the output is read back straight from the arena (see bench_main.c). */
  outputBufferBytes: number;
  stackBytes: number;
  /** Estimated .data + .bss (base + input and output buffers). */
  staticBytes: number;
  /** arenaBytes + staticBytes + stackBytes. */
  totalBytes: number;
}

/** The figures of an image the bench firmware's memory follows from. */
export interface BenchImageFigures {
  arenaSize: number;
  scratchSize: number;
  inputBytes: number;
  outputBytes: number;
  /** The input is received straight into the arena (bench_main.c's input_home(); see inputLivesInArena). */
  inputInArena: boolean;
  /** The input is streamed region by region (bench_main.c's input_streamed(); see inputIsStreamed). */
  inputStreamed: boolean;
  /** The output is read back straight from the arena (bench_main.c's output_home(); see outputLivesInArena). */
  outputInArena?: boolean;
}

const align16 = (n: number): number => Math.ceil(n / 16) * 16;

/** The bench firmware's memory for an image's figures (bench_main.c's buffers, the linker script's arena and stack). */
export function benchMemoryFor(figures: BenchImageFigures): BenchMemory {
  const arenaBytes = align16(align16(figures.arenaSize) + figures.scratchSize);
  const inputBufferBytes = figures.inputStreamed ? 0 : figures.inputInArena ? 16 : align16(figures.inputBytes);
  const outputBufferBytes = figures.outputInArena ? 0 : align16(Math.max(figures.outputBytes, 16));
  const staticBytes = BENCH_STATIC_BASE_BYTES + inputBufferBytes + outputBufferBytes;
  const stackBytes = BENCH_STACK_BYTES;
  const parts = { arenaBytes, staticBytes, stackBytes };
  return { ...parts, inputBufferBytes, inputStreamed: figures.inputStreamed, outputBufferBytes, totalBytes: mainSramBytes(parts) };
}

/**
 * The bench firmware's memory for a packed image, read through the image reader. The MLPerf Tiny app keeps its
 * input outside the arena (it runs the model several times on one loaded input) and never streams it.
 */
export function benchMemory(image: Uint8Array | ImageRecords, dut: DutProtocol = 'mcubench'): BenchMemory {
  const records = image instanceof Uint8Array ? readImage(image) : image;
  const ours = dut === 'mcubench';
  return benchMemoryFor({
    ...records, inputInArena: ours && inputLivesInArena(records), inputStreamed: ours && inputIsStreamed(records), outputInArena: ours && outputLivesInArena(records),
  });
}

/** The runtime's C files from the one list the addon is built from too (native/addon-sources.js), minus the addon glue. */
function runtimeSourceFiles(): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { addonSources } = require(path.join(REPO_ROOT, 'native', 'addon-sources.js')) as { addonSources: () => string[] };
  return addonSources().filter((f) => f.startsWith('native/runtime/') && f.endsWith('.c')).map((f) => path.join(REPO_ROOT, f));
}

/** Per-operator latencies one STATS frame carries by default (firmware/core/link.h), and at most (1024-byte payload). */
const LINK_DEFAULT_OPS = 128;
const LINK_MOST_OPS = 247;

/**
 * STATS carries one latency per operator of the image: a model with more operators than the default gets room for
 * all of them (4 bytes of RAM each), up to what one frame holds; smaller ones keep the default.
 */
function linkOpsDefine(image: Uint8Array): Record<string, number> {
  const ops = readImageSummary(image).sections.find((s) => s.id === SECTION_IDS.OPS)?.count ?? 0;
  return ops > LINK_DEFAULT_OPS ? { MCB_LINK_MAX_OPS: Math.min(ops, LINK_MOST_OPS) } : {};
}

/** Which kernels a bench firmware links (defaults: only the image's ops, optimized twins on). */
export interface BenchKernels {
  /** false: every operator of the runtime, whatever the image uses. */
  opsOnlyUsed?: boolean;
  /** true: the portable reference kernels only (MCB_FORCE_REF), e.g. to measure what the twins gain. */
  forceRef?: boolean;
  /** Compiler optimization; default 'speed'. */
  optimize?: 'size' | 'speed';
}

/** Builds (or takes from the cache) the bench firmware with the image embedded in flash. */
export async function buildBenchFirmware(board: ResolvedBoard, imageFile: string, memory: BenchMemory, onLine?: (line: string) => void,
  kernels: BenchKernels = {}, dut: DutProtocol = 'mcubench'): Promise<FirmwareBuild> {
  const runtimeSources = runtimeSourceFiles();
  return buildFirmware({
    board: board.board.id,
    modelImage: imageFile,
    appSources: [dut === 'mlperf-tiny' ? MLPERF_APP : BENCH_APP],
    extraSources: [...(dut === 'mlperf-tiny' ? [] : LINK_SOURCES), ...runtimeSources],
    extraIncludeDirs: [path.join(RUNTIME_DIR, 'include'), path.join(RUNTIME_DIR, 'src'), path.join(RUNTIME_DIR, 'kernels')],
    arenaSize: memory.arenaBytes,
    stackSize: memory.stackBytes,
    defines: {
      MCB_BENCH_INPUT_BUFFER: memory.inputBufferBytes,
      MCB_BENCH_INPUT_STREAMED: memory.inputStreamed ? 1 : 0,
      MCB_BENCH_OUTPUT_BUFFER: memory.outputBufferBytes,
      MCB_QEMU_ICOUNT_SHIFT: board.board.qemu?.icountShift ?? 0,
      ...(kernels.opsOnlyUsed === false ? {} : opsOnlyUsedDefines(fs.readFileSync(imageFile))),
      ...(dut === 'mlperf-tiny' ? {} : linkOpsDefine(fs.readFileSync(imageFile))),
      ...(kernels.forceRef ? { MCB_FORCE_REF: 1 } : {}),
    },
    optimize: kernels.optimize,
    onLine,
  });
}
