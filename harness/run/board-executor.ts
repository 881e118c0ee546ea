// The board executor: bench firmware (build/board-firmware.ts) → board (any target) → per-sample runs, each
// output compared with the host addon's for the same image and input. Plugs into the evaluation pipeline (executor.ts).
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import { loadBoard, type ResolvedBoard } from '../boards';
import type { FirmwareBuild } from '../build';
import type { BenchMemory } from '../build/bench-firmware';
import { boardSramBytes } from '../build/board-fit';
import { prepareBoardFirmware } from '../build/board-firmware';
import { linkBaudFor } from '../link/baud-rates';
import type { BoardClientOptions } from '../link/protocol-client';
import { LinkError } from '../link/link-errors';
import { expectedInferenceMs, timeoutsFor, type LinkTimeouts } from '../link/timeouts';
import type { Transport } from '../link/transport';
import type { Graph } from '../model/graph';
import { compareSampleOutputs, fidelitySection, type OutputLayout, type SampleComparison } from '../metrics/output-fidelity';
import { outputLayoutOf as outputLayout } from './reference-fidelity';
import { NativeModel } from '../native';
import { mainSramBytes } from '../metrics/sram';
import { opMacsUnder } from '../plan';
import { scheduleLabel, type Schedule } from '../pack/schedule';
import type { ScheduleRequest } from '../pack/select-schedule';
import type { PlanSummary, Results, SampleProvenance } from '../report/results';
import type { BenchKernels } from '../build/bench-firmware';
import { BoardSession, type BoardSessionOptions } from './board-session';
import { boardEnvironment } from './environment';
import { planSummary } from './plan-summary';
import type { Executor, ExecutorDescription, ExecutorRun, JournalledRun } from './executor';

/**
 * The link's waits for this board and model (harness/link/timeouts.ts): reply and per-byte waits from the board's
 * UART (a QEMU pty ignores the baud rate), the RUN wait from the model's MACs.
 */
export function linkTimeouts(board: ResolvedBoard, macs: number): LinkTimeouts {
  const emulated = board.board.flash.method === 'qemu';
  const inferenceMs = expectedInferenceMs(macs, emulated ? { emulated } : { emulated, clockHz: board.board.clockHz });
  return timeoutsFor({ emulated, inferenceMs, ...(emulated ? {} : { baudRate: board.board.uart.baud }) });
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
  /** One line per phase as the board gets ready: 'build' (firmware, from the cache or built), 'flash' (boot). */
  onPhase?: (phase: 'build' | 'flash', text: string) => void;
  /** Real boards: hardware map and flasher (see harness/targets). */
  target?: BoardSessionOptions['target'];
  /** The queue agent running this executor, recorded with every sample (mcubench agent). */
  agent?: string;
  /** Kernel selection of the firmware build (bench:device compares references with twins). */
  kernels?: BenchKernels;
}

/** The figures of a board run that do not change per sample: from the firmware build and the plan. */
export interface BoardRunFigures {
  /** .data + .bss of the firmware. */
  staticBytes: number;
  plannedPeakBytes: number;
  /** The board's SRAM. */
  boardBytes: number;
  /** The board asked for the input region by region and never held it whole. */
  inputStreamed: boolean;
  /** The image's operators, one per per-op latency entry the board reports (patch-stage ops each on their own). */
  ops?: OpIdentity[];
}

/** Which operator a per-op latency entry stands for, and the MACs it ran under the schedule (patch halos included). */
export type OpIdentity = { index: number; type: string; macs: number };

/**
 * Agreement with the host and the measured SRAM, from the journalled runs (so a resumed run reports the same);
 * shared by a local board run and one spread over queue agents.
 */
export function summarizeBoardRuns(runs: readonly JournalledRun[], figures: BoardRunFigures): Partial<Results> {
  const extras = runs.map((r) => r.extra as Partial<BoardRunExtra> | undefined);
  const compared = extras.filter((e): e is BoardRunExtra => typeof e?.matchesHost === 'boolean');
  const peak = (key: 'stackHighWater' | 'arenaHighWater'): number => Math.max(0, ...compared.map((e) => e[key]));
  const stackPeakBytes = peak('stackHighWater');
  const arenaPeakBytes = peak('arenaHighWater');
  const exact = (e: BoardRunExtra): SampleComparison => ({ bitExact: true, mismatched: 0, elements: 0, outputs: [], ...(e.top1Agrees !== undefined ? { top1Agrees: e.top1Agrees } : {}) });
  const fidelity = fidelitySection(runs.flatMap((r) => {
    const e = r.extra as Partial<BoardRunExtra> | undefined;
    if (typeof e?.matchesHost !== 'boolean') return [];
    return [{ name: r.sample, comparison: e.fidelity ?? exact(e as BoardRunExtra) }];
  }), 'host');
  return {
    ...(compared.length > 0 ? { agreement: compared.filter((e) => e.matchesHost).length / compared.length } : {}),
    ...(fidelity ? { fidelity } : {}),
    ...opFigures(compared, figures),
    sram: {
      staticBytes: figures.staticBytes,
      stackPeakBytes,
      arenaPeakBytes,
      measuredPeakBytes: mainSramBytes({ staticBytes: figures.staticBytes, stackBytes: stackPeakBytes, arenaBytes: arenaPeakBytes }),
      plannedPeakBytes: figures.plannedPeakBytes,
      boardBytes: figures.boardBytes,
      inputStreamed: figures.inputStreamed,
    },
  };
}

/**
 * Mean per-operator latency over the samples that reported one entry per image operator (a full STATS frame from a
 * firmware that times each op; an older firmware's lumped patch-stage entry does not count).
 */
function opFigures(extras: readonly BoardRunExtra[], figures: BoardRunFigures): Partial<Results> {
  const ops = figures.ops ?? [];
  const full = extras.filter((e) => Array.isArray(e.opLatency) && e.opLatency.length === ops.length);
  if (ops.length === 0 || full.length === 0) return {};
  return {
    ops: ops.map((op, i) => ({ ...op, latency: Math.round(full.reduce((sum, e) => sum + e.opLatency[i], 0) / full.length) })),
  };
}

/** What the board reports per sample; journalled with the sample, so a resumed run summarises the same. */
export interface BoardRunExtra {
  matchesHost: boolean;
  stackHighWater: number;
  arenaHighWater: number;
  /** Per-operator latency in the run's unit, entry i for image operator i (summed over its patches or rows). */
  opLatency: number[];
  /** Device vs host output: per tensor errors only when not bit-exact (keeps the journal small). */
  fidelity?: SampleComparison;
  top1Agrees?: boolean;
  /** Which host, board instance and firmware ran the sample, and when. */
  run: SampleProvenance;
  [key: string]: unknown;
}

export class BoardExecutor implements Executor {
  private nextSample = 0;

  private constructor(
    readonly board: ResolvedBoard,
    readonly schedule: Schedule,
    readonly memory: BenchMemory,
    readonly firmware: FirmwareBuild,
    readonly modelHash: string,
    private readonly host: NativeModel,
    private readonly session: BoardSession,
    private readonly plan: PlanSummary,
    /** SHA-256 of the ELF on the board. */
    readonly firmwareSha256: string,
    private readonly agent?: string,
    private readonly outputs: OutputLayout[] = [],
    /** The image's operators, one per per-op latency entry. */
    readonly ops: OpIdentity[] = [],
    /** The firmware's compiler goal (build-firmware.ts: speed unless asked otherwise). */
    readonly optimize: 'size' | 'speed' = 'speed',
  ) {}

  /** Plans, packs, checks the fit, builds and boots the board. Throws BuildError ("does not fit") before building. */
  static async open(options: BoardExecutorOptions): Promise<BoardExecutor> {
    const board = typeof options.board === 'string' ? loadBoard(options.board) : options.board;
    const { graph, modelName } = options;
    options.onPhase?.('build', `${modelName} for ${board.board.id}: plan, pack, firmware`);
    const { schedule, image, memory, firmware, graph: packedGraph } = await prepareBoardFirmware({
      board, graph, modelName, schedule: options.schedule, onBuildLine: options.onBuildLine, kernels: options.kernels,
    });
    options.onPhase?.('build', `firmware ${firmware.hash.slice(0, 12)} ${firmware.cached ? 'from the cache' : 'built'}: ` +
      `${firmware.sizes.text + firmware.sizes.data} B flash (model ${firmware.sizes.model} B)`);
    options.onPhase?.('flash', `${board.board.id}: ${board.board.type === 'qemu' ? 'booting the firmware in QEMU' : 'programming the board'}`);
    // The same image in the host addon: the reference every board output is compared with.
    const host = new NativeModel(image.bytes, modelName);
    const session = await BoardSession.start({
      board, elf: firmware.elf, modelHash: image.modelHash, modelName, wrapTransport: options.wrapTransport,
      client: { ...linkTimeouts(board, schedule.plan.macs), ...linkOptions(board), ...options.client }, maxRestarts: options.maxRestarts, onNote: options.onNote, target: options.target,
    });
    if (session.hello.inputStreamed !== memory.inputStreamed) {
      await session.close();
      throw new LinkError(`${board.board.id} says its input is ${session.hello.inputStreamed ? 'streamed' : 'uploaded'}, but the firmware ` +
        `was built to ${memory.inputStreamed ? 'stream' : 'upload'} it: rebuild the firmware (rm -r .cache/firmware) and retry`);
    }
    const firmwareSha256 = createHash('sha256').update(fs.readFileSync(firmware.elf)).digest('hex');
    // One per-op latency entry per image operator (the packed graph's, in order), whatever the schedule.
    const macs = opMacsUnder(packedGraph, schedule.kind === 'patch' ? schedule.plan : undefined);
    const ops = packedGraph.operators.map((op, i) => ({ index: op.index, type: op.type, macs: macs[i] }));
    return new BoardExecutor(board, schedule, memory, firmware, image.modelHash, host, session, planSummary(packedGraph, schedule), firmwareSha256, options.agent,
      outputLayout(packedGraph), ops, options.kernels?.optimize ?? 'speed');
  }

  /** .data + .bss of the built firmware (the arena and stack have sections of their own). */
  get staticBytes(): number {
    const s = this.firmware.sizes.sections;
    return (s['.data'] ?? 0) + (s['.bss'] ?? 0);
  }

  /** The board asks the host for the input region by region (patch windows, stream rows) and holds no input buffer. */
  get inputStreamed(): boolean {
    return this.memory.inputStreamed;
  }

  /** Which operator each per-op latency entry stands for. */
  get opLayout(): Pick<BoardRunFigures, 'ops'> {
    return { ops: this.ops };
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
      schedule: scheduleLabel(this.schedule),
      plannedPeakBytes: this.schedule.plan.peakBytes,
      plan: this.plan,
      sram: { staticBytes: this.staticBytes, boardBytes: boardSramBytes(this.board) },
      flash: { codeBytes: sizes.text + sizes.data - sizes.model, modelBytes: sizes.model, boardBytes: this.board.chip.flash.size },
      ...(hello.timeUnit === 'cycles' ? { clockHz: hello.coreClockHz } : {}),
      environment: boardEnvironment(this.board, this.firmware, hello, this.optimize),
      fingerprint: `board:${this.board.board.id}:image:${this.modelHash}:${scheduleLabel(this.schedule).kind}` +
        `${this.schedule.kind === 'patch' ? `:${this.schedule.plan.split}x${this.schedule.plan.patches}` : ''}${this.optimize === 'size' ? ':Os' : ''}`,
    };
  }

  async run(name: string, input: Uint8Array): Promise<ExecutorRun> {
    const reference = await this.host.runAsync(input);
    const startedAt = new Date().toISOString();
    const { output, stats } = await this.session.runSample(this.nextSample++, name, input);
    const comparison = compareSampleOutputs(output, reference.output, this.outputs);
    const extra: BoardRunExtra = {
      matchesHost: comparison.bitExact,
      ...(comparison.bitExact ? {} : { fidelity: comparison }),
      ...(comparison.top1Agrees !== undefined ? { top1Agrees: comparison.top1Agrees } : {}),
      stackHighWater: stats.stackHighWater,
      arenaHighWater: stats.arenaHighWater,
      opLatency: stats.opLatency,
      run: {
        host: os.hostname(), ...(this.agent ? { agent: this.agent } : {}), board: this.board.board.id,
        // The instance that answered: after a restart it is the new one.
        instance: this.session.target?.instance ?? 'stopped', firmwareSha256: this.firmwareSha256, startedAt, endedAt: new Date().toISOString(),
      },
    };
    return { output, latency: stats.latencyTotal, unit: stats.timeUnit, extra };
  }

  /** Agreement with the host and the measured SRAM, from the journalled runs (so a resumed run reports the same). */
  summarize(runs: readonly JournalledRun[]): Partial<Results> {
    return summarizeBoardRuns(runs, {
      staticBytes: this.staticBytes, plannedPeakBytes: this.schedule.plan.peakBytes, boardBytes: boardSramBytes(this.board),
      inputStreamed: this.inputStreamed, ...this.opLayout,
    });
  }


  async close(): Promise<void> {
    await this.session.close();
  }
}

/**
 * Real boards switch to their fastest usable rate after HELLO (harness/link/baud-rates.ts). Emulated ones keep it
 * (the pty ignores baud), and their UART models back-pressure, so input windows need not fit the receive ring.
 */
function linkOptions(board: ResolvedBoard): Pick<BoardClientOptions, 'baud' | 'flowControlled'> {
  if (board.board.type === 'qemu') return { flowControlled: true };
  const plan = linkBaudFor(board);
  return plan ? { baud: { boot: plan.boot, fast: plan.fast } } : {};
}
