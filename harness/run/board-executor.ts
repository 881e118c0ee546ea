// The board executor: bench firmware (board-firmware.ts) → board (QEMU or ST-Link) → per-sample runs, each
// output compared with the host addon's for the same input. Plugs into the evaluation pipeline (executor.ts).
import { loadBoard, type ResolvedBoard } from '../boards';
import type { FirmwareBuild } from '../build';
import type { BoardClientOptions } from '../link/protocol-client';
import type { Transport } from '../link/transport';
import type { Graph } from '../model/graph';
import { compareSampleOutputs, fidelitySection, type OutputLayout, type SampleComparison } from '../metrics/output-fidelity';
import { outputLayoutOf as outputLayout } from './reference-fidelity';
import { NativeModel } from '../native';
import type { Schedule as PackSchedule } from '../pack/schedule';
import type { ScheduleRequest } from '../pack/select-schedule';
import type { PlanSummary, Results, Schedule } from '../report/results';
import type { BenchMemory } from './bench-firmware';
import { boardSramBytes } from './board-fit';
import { prepareBoardFirmware } from './board-firmware';
import { BoardSession, type BoardSessionOptions } from './board-session';
import { boardEnvironment } from './environment';
import { planSummary } from './plan-summary';
import type { Executor, ExecutorDescription, ExecutorRun, JournalledRun } from './executor';

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
  /** Device vs host output: per tensor errors only when not bit-exact (keeps the journal small). */
  fidelity?: SampleComparison;
  top1Agrees?: boolean;
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
    private readonly outputs: OutputLayout[],
    private readonly opTypes: string[],
  ) {}

  /** Plans, packs, checks the fit, builds and boots the board. Throws BuildError ("does not fit") before building. */
  static async open(options: BoardExecutorOptions): Promise<BoardExecutor> {
    const board = typeof options.board === 'string' ? loadBoard(options.board) : options.board;
    const { graph, modelName } = options;
    const { schedule, image, host, memory, firmware } = await prepareBoardFirmware({
      board, graph, modelName, schedule: options.schedule, onBuildLine: options.onBuildLine,
    });
    const session = await BoardSession.start({
      board, elf: firmware.elf, modelHash: image.modelHash, modelName, wrapTransport: options.wrapTransport,
      client: { runTimeoutMs: runTimeoutMs(schedule.plan.macs), ...options.client }, maxRestarts: options.maxRestarts, onNote: options.onNote, device: options.device,
    });
    // Per-op latency entries: the patch stage reports as one entry (its first operator), then one per operator.
    const first = schedule.kind === 'patch' ? schedule.plan.split : 0;
    const opTypes = [...(first > 0 ? ['patch stage'] : []), ...graph.operators.slice(first).map((op) => op.type)];
    return new BoardExecutor(board, schedule, memory, firmware, image.modelHash, host, session, planSummary(graph, schedule), outputLayout(graph), opTypes);
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
      environment: boardEnvironment(this.board, this.firmware, hello),
      fingerprint: `board:${this.board.board.id}:image:${this.modelHash}:${resultsSchedule(this.schedule).kind}` +
        `${this.schedule.kind === 'patch' ? `:${this.schedule.plan.split}x${this.schedule.plan.patches}` : ''}`,
    };
  }

  async run(name: string, input: Uint8Array): Promise<ExecutorRun> {
    const reference = await this.host.runAsync(input);
    const { output, stats } = await this.session.runSample(this.nextSample++, name, input);
    const comparison = compareSampleOutputs(output, reference.output, this.outputs);
    const extra: BoardRunExtra = {
      matchesHost: comparison.bitExact,
      ...(comparison.bitExact ? {} : { fidelity: comparison }),
      ...(comparison.top1Agrees !== undefined ? { top1Agrees: comparison.top1Agrees } : {}),
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
    const exact = (e: BoardRunExtra): SampleComparison => ({ bitExact: true, mismatched: 0, elements: 0, outputs: [], ...(e.top1Agrees !== undefined ? { top1Agrees: e.top1Agrees } : {}) });
    const fidelity = fidelitySection(runs.flatMap((r) => {
      const e = r.extra as Partial<BoardRunExtra> | undefined;
      if (typeof e?.matchesHost !== 'boolean') return [];
      return [{ name: r.sample, comparison: e.fidelity ?? exact(e as BoardRunExtra) }];
    }), 'host');
    return {
      ...(compared.length > 0 ? { agreement: compared.filter((e) => e.matchesHost).length / compared.length } : {}),
      ...(fidelity ? { fidelity } : {}),
      ...this.opFigures(compared),
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

  /** Mean per-operator latency over the samples that reported every entry (a full STATS frame). */
  private opFigures(extras: readonly BoardRunExtra[]): Partial<Results> {
    const full = extras.filter((e) => Array.isArray(e.opLatency) && e.opLatency.length === this.opTypes.length);
    if (full.length === 0) return {};
    const first = this.schedule.kind === 'patch' ? this.schedule.plan.split : 0;
    const indexOf = (i: number): number => (first > 0 ? (i === 0 ? 0 : first + i - 1) : i);
    return {
      ops: this.opTypes.map((type, i) => ({ index: indexOf(i), type, latency: Math.round(full.reduce((s, e) => s + e.opLatency[i], 0) / full.length) })),
    };
  }

  async close(): Promise<void> {
    await this.session.close();
  }
}
