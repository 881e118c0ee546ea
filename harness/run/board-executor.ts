// The board executor: bench firmware (build/board-firmware.ts) → board (any target) → per-sample runs, each
// output compared with the host addon's for the same image and input. Plugs into the evaluation pipeline (executor.ts).
import { loadBoard, type ResolvedBoard } from '../boards';
import type { FirmwareBuild } from '../build';
import type { BenchMemory } from '../build/bench-firmware';
import { boardSramBytes } from '../build/board-fit';
import { prepareBoardFirmware } from '../build/board-firmware';
import type { BoardClientOptions } from '../link/protocol-client';
import { expectedInferenceMs, timeoutsFor, type LinkTimeouts } from '../link/timeouts';
import type { Transport } from '../link/transport';
import type { Graph } from '../model/graph';
import { NativeModel } from '../native';
import { mainSramBytes } from '../metrics/sram';
import { scheduleLabel, type Schedule } from '../pack/schedule';
import type { ScheduleRequest } from '../pack/select-schedule';
import type { PlanSummary, Results } from '../report/results';
import type { BenchKernels } from '../build/bench-firmware';
import { BoardSession, type BoardSessionOptions } from './board-session';
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
  /** Real boards: hardware map and flasher (see harness/targets). */
  target?: BoardSessionOptions['target'];
  /** Kernel selection of the firmware build (bench:device compares references with twins). */
  kernels?: BenchKernels;
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
  ) {}

  /** Plans, packs, checks the fit, builds and boots the board. Throws BuildError ("does not fit") before building. */
  static async open(options: BoardExecutorOptions): Promise<BoardExecutor> {
    const board = typeof options.board === 'string' ? loadBoard(options.board) : options.board;
    const { graph, modelName } = options;
    const { schedule, image, memory, firmware, graph: packedGraph } = await prepareBoardFirmware({
      board, graph, modelName, schedule: options.schedule, onBuildLine: options.onBuildLine, kernels: options.kernels,
    });
    // The same image in the host addon: the reference every board output is compared with.
    const host = new NativeModel(image.bytes, modelName);
    const session = await BoardSession.start({
      board, elf: firmware.elf, modelHash: image.modelHash, modelName, wrapTransport: options.wrapTransport,
      client: { ...linkTimeouts(board, schedule.plan.macs), ...options.client }, maxRestarts: options.maxRestarts, onNote: options.onNote, target: options.target,
    });
    return new BoardExecutor(board, schedule, memory, firmware, image.modelHash, host, session, planSummary(packedGraph, schedule));
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
      schedule: scheduleLabel(this.schedule),
      plannedPeakBytes: this.schedule.plan.peakBytes,
      plan: this.plan,
      sram: { staticBytes: this.staticBytes, boardBytes: boardSramBytes(this.board) },
      flash: { codeBytes: sizes.text + sizes.data - sizes.model, modelBytes: sizes.model, boardBytes: this.board.chip.flash.size },
      ...(hello.timeUnit === 'cycles' ? { clockHz: hello.coreClockHz } : {}),
      fingerprint: `board:${this.board.board.id}:image:${this.modelHash}:${scheduleLabel(this.schedule).kind}` +
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
        measuredPeakBytes: mainSramBytes({ staticBytes: this.staticBytes, stackBytes: stackPeakBytes, arenaBytes: arenaPeakBytes }),
        plannedPeakBytes: this.schedule.plan.peakBytes,
        boardBytes: boardSramBytes(this.board),
        // The bench firmware still receives the whole input into one buffer (streamed input is not built yet).
        inputStreamed: false,
      },
    };
  }

  async close(): Promise<void> {
    await this.session.close();
  }
}
