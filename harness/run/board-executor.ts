// The board executor: plan → pack → fit check → firmware build (cached) → emulated board → per-sample runs, each
// output compared with the host addon's for the same input. Plugs into the evaluation pipeline (executor.ts).
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { loadBoard, type ResolvedBoard } from '../boards';
import { BuildError, type FirmwareBuild } from '../build';
import type { BoardClientOptions } from '../link/protocol-client';
import type { Transport } from '../link/transport';
import type { Graph } from '../model/graph';
import { NativeModel } from '../native';
import { packImage } from '../pack/pack-image';
import type { Schedule as PackSchedule } from '../pack/schedule';
import { selectSchedule, type ScheduleRequest } from '../pack/select-schedule';
import type { PlanSummary, Results, Schedule } from '../report/results';
import { benchMemory, buildBenchFirmware, type BenchMemory } from './bench-firmware';
import { bestFittingPatchPlan, boardSramBytes, checkSramFit } from './board-fit';
import { BoardSession, type BoardSessionOptions } from './board-session';
import { planSummary } from './plan-summary';
import type { Executor, ExecutorDescription, ExecutorRun, JournalledRun } from './executor';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const IMAGE_CACHE = path.join(REPO_ROOT, '.cache', 'images');
/** Packed images the firmware cache builds from (up to ~1 MB each); keep the most recently used. */
const IMAGES_KEPT = 32;
/** Code, vectors and constants of the bench firmware besides the model image (measured ~26 KB), rounded up. */
const BENCH_CODE_ESTIMATE_BYTES = 40 * 1024;
/**
 * How long the host waits for a RUN's result once the board has ACKed it, before retransmitting the RUN (which a
 * board that lost its STATS answers from its cache). Scaled by the model's MACs: the reference kernels take ~20-30
 * guest instructions per MAC and QEMU runs them at 100+ MIPS; 50 MIPS at 30 instructions/MAC leaves margin for a
 * loaded host.
 */
export function runTimeoutMs(macs: number): number {
  return Math.max(5_000, Math.ceil((macs * 30) / 50e6) * 1000);
}

export interface BoardExecutorOptions {
  /** Board id (boards/<id>.json) or an already loaded board. */
  board: string | ResolvedBoard;
  graph: Graph;
  /** Model name for messages and results (file stem). */
  modelName: string;
  schedule: ScheduleRequest;
  /** Fault-injection tests wrap the serial link. */
  wrapTransport?: (transport: Transport) => Transport;
  client?: BoardClientOptions;
  maxRestarts?: number;
  onNote?: (note: string) => void;
  onBuildLine?: (line: string) => void;
  /** Real boards: hardware map and probe factory for flashing over ST-Link (see harness/flash/device). */
  device?: BoardSessionOptions['device'];
}

/** What the board reports per sample; journalled with the sample, so a resumed run summarises the same. */
export interface BoardRunExtra {
  matchesHost: boolean;
  stackHighWater: number;
  arenaHighWater: number;
  /** Per-operator latency in the run's unit (patch stage as one entry). */
  opLatency: number[];
  [key: string]: unknown;
}

function resultsSchedule(schedule: PackSchedule): Schedule {
  return schedule.kind === 'layer' ? { kind: 'layer' } : { kind: 'patch', split: schedule.plan.split, patches: schedule.plan.patches };
}

export class BoardExecutor implements Executor {
  private nextSample = 0;

  private constructor(
    readonly board: ResolvedBoard,
    readonly schedule: PackSchedule,
    readonly memory: BenchMemory,
    readonly firmware: FirmwareBuild,
    readonly modelHash: string,
    private readonly host: NativeModel,
    private readonly session: BoardSession,
    private readonly plan: PlanSummary,
  ) {}

  /** Plans, packs, checks the fit, builds and boots the board. Throws BuildError ("does not fit") before building. */
  static async open(options: BoardExecutorOptions): Promise<BoardExecutor> {
    const board = typeof options.board === 'string' ? loadBoard(options.board) : options.board;
    const { graph, modelName } = options;
    const schedule = selectSchedule(graph, options.schedule);
    const image = packImage(graph, schedule);
    const host = new NativeModel(image.bytes, modelName);
    const memory = benchMemory(image.bytes, host.info);
    const label = schedule.kind === 'layer' ? { kind: 'layer' as const } : { kind: 'patch' as const, split: schedule.plan.split, patches: schedule.plan.patches };
    checkSramFit(modelName, board, label, memory, () => bestFittingPatchPlan(graph, board, host.info));
    checkFlashFit(modelName, board, image.bytes.length);

    fs.mkdirSync(IMAGE_CACHE, { recursive: true });
    const imageFile = path.join(IMAGE_CACHE, `${createHash('sha256').update(image.bytes).digest('hex').slice(0, 24)}.img`);
    if (!fs.existsSync(imageFile)) fs.writeFileSync(imageFile, image.bytes);
    else fs.utimesSync(imageFile, new Date(), new Date());
    pruneImages(IMAGE_CACHE, IMAGES_KEPT);
    let firmware: FirmwareBuild;
    try {
      firmware = await buildBenchFirmware(board, imageFile, memory, options.onBuildLine);
    } catch (err) {
      // The linker's verdict when the estimate above was too optimistic: name the model too.
      if (err instanceof BuildError && /does not fit/.test(err.message)) throw new BuildError(`model ${modelName}: ${err.message}`);
      throw err;
    }
    const session = await BoardSession.start({
      board, elf: firmware.elf, modelHash: image.modelHash, modelName, wrapTransport: options.wrapTransport,
      client: { runTimeoutMs: runTimeoutMs(schedule.plan.macs), ...options.client }, maxRestarts: options.maxRestarts, onNote: options.onNote, device: options.device,
    });
    return new BoardExecutor(board, schedule, memory, firmware, image.modelHash, host, session, planSummary(graph, schedule));
  }

  /** .data + .bss of the built firmware (the arena and stack have sections of their own). */
  get staticBytes(): number {
    const s = this.firmware.sizes.sections;
    return (s['.data'] ?? 0) + (s['.bss'] ?? 0);
  }

  /** The running board session (tests kill its QEMU to check recovery). */
  get boardSession(): BoardSession {
    return this.session;
  }

  describe(): ExecutorDescription {
    const { sizes } = this.firmware;
    const hello = this.session.hello;
    return {
      target: this.board.board.id,
      board: this.board.board.id,
      schedule: resultsSchedule(this.schedule),
      plannedPeakBytes: this.schedule.plan.peakBytes,
      plan: this.plan,
      sram: { staticBytes: this.staticBytes, boardBytes: boardSramBytes(this.board) },
      flash: { codeBytes: sizes.text + sizes.data - sizes.model, modelBytes: sizes.model, boardBytes: this.board.chip.flash.size },
      ...(hello.timeUnit === 'cycles' ? { clockHz: hello.coreClockHz } : {}),
      fingerprint: `board:${this.board.board.id}:image:${this.modelHash}:${resultsSchedule(this.schedule).kind}` +
        `${this.schedule.kind === 'patch' ? `:${this.schedule.plan.split}x${this.schedule.plan.patches}` : ''}`,
    };
  }

  async run(name: string, input: Uint8Array): Promise<ExecutorRun> {
    const reference = await this.host.runAsync(input);
    const { output, stats } = await this.session.runSample(this.nextSample++, name, input);
    const extra: BoardRunExtra = {
      matchesHost: Buffer.from(output).equals(reference.output),
      stackHighWater: stats.stackHighWater,
      arenaHighWater: stats.arenaHighWater,
      opLatency: stats.opLatency,
    };
    return { output, latency: stats.latencyTotal, unit: stats.timeUnit, extra };
  }

  /** Agreement with the host and the measured SRAM, from the journalled runs (so a resumed run reports the same). */
  summarize(runs: readonly JournalledRun[]): Partial<Results> {
    const extras = runs.map((r) => r.extra as Partial<BoardRunExtra> | undefined);
    const compared = extras.filter((e): e is BoardRunExtra => typeof e?.matchesHost === 'boolean');
    const peak = (key: 'stackHighWater' | 'arenaHighWater'): number => Math.max(0, ...compared.map((e) => e[key]));
    const stackPeakBytes = peak('stackHighWater');
    const arenaPeakBytes = peak('arenaHighWater');
    return {
      ...(compared.length > 0 ? { agreement: compared.filter((e) => e.matchesHost).length / compared.length } : {}),
      sram: {
        staticBytes: this.staticBytes,
        stackPeakBytes,
        arenaPeakBytes,
        measuredPeakBytes: this.staticBytes + stackPeakBytes + arenaPeakBytes,
        plannedPeakBytes: this.schedule.plan.peakBytes,
        boardBytes: boardSramBytes(this.board),
      },
    };
  }

  async close(): Promise<void> {
    await this.session.close();
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
