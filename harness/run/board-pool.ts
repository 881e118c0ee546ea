// Several boards behind one executor: one sample queue, whichever board is free takes the next sample (the
// pipeline runs `lanes` samples at once), each board runs firmware built for it, and a board that keeps failing is
// taken out of the pool (reported) while the others go on. A sample a failing board gave up on is run again on
// another board, so every sample is journalled exactly once.
import { loadBoard, type ResolvedBoard } from '../boards';
import { LinkError } from '../link/link-errors';
import type { Transport } from '../link/transport';
import { summarizeLatency } from '../metrics/latency';
import type { BoardGroup, Results } from '../report/results';
import { BoardExecutor, type BoardExecutorOptions, type BoardRunExtra } from './board-executor';
import type { Executor, ExecutorDescription, ExecutorRun, JournalledRun } from './executor';

export interface BoardPoolOptions extends Omit<BoardExecutorOptions, 'board'> {
  /** Board ids (repeats allowed: several QEMU instances of one emulated board) or loaded boards. */
  boards: readonly (string | ResolvedBoard)[];
  /** Samples a board may give up on (each after its own restart and retry) before it leaves the pool. Default 2. */
  maxFailures?: number;
  /** Fault-injection tests: wraps the serial link of the board with this label ("emu-f746#2"). */
  wrapBoardTransport?: (transport: Transport, label: string) => Transport;
}

interface Member {
  /** "emu-f746#2": board id and its position in --board. */
  label: string;
  executor: BoardExecutor;
  failures: number;
}

/** A board taken out of the pool, and why. */
export interface RetiredBoard { label: string; reason: string }

export class BoardPool implements Executor {
  readonly retired: RetiredBoard[] = [];
  private readonly free: Member[];
  private readonly waiting: ((member: Member | undefined) => void)[] = [];
  /** Every board that started, retired ones included: their figures still summarise the samples they ran. */
  private readonly started: Member[];

  private constructor(private readonly members: Member[], private readonly options: BoardPoolOptions) {
    this.free = [...members];
    this.started = [...members];
  }

  /**
   * Builds the firmware for each kind of board (cached by content) and starts every board. A board that cannot
   * start is reported and left out; if none starts, the first error is thrown.
   */
  static async open(options: BoardPoolOptions): Promise<BoardPool> {
    const boards = options.boards.map((b) => (typeof b === 'string' ? loadBoard(b) : b));
    const seen = new Map<string, number>();
    const labels = boards.map((b) => {
      const n = (seen.get(b.board.id) ?? 0) + 1;
      seen.set(b.board.id, n);
      return `${b.board.id}#${n}`;
    });
    // One firmware build per kind of board first (the others then hit the cache), then the rest in parallel.
    const first = new Map<string, number>();
    boards.forEach((b, i) => { if (!first.has(b.board.id)) first.set(b.board.id, i); });
    const opened: (Member | Error)[] = new Array(boards.length);
    const openOne = async (i: number): Promise<void> => {
      try {
        const wrap = options.wrapBoardTransport;
        const executor = await BoardExecutor.open({
          ...options, board: boards[i], onNote: (note) => options.onNote?.(`${labels[i]}: ${note}`),
          wrapTransport: wrap ? (t) => wrap(t, labels[i]) : options.wrapTransport,
        });
        opened[i] = { label: labels[i], executor, failures: 0 };
      } catch (err) {
        opened[i] = err as Error;
      }
    };
    for (const i of first.values()) await openOne(i);
    await Promise.all(boards.map((_, i) => i).filter((i) => opened[i] === undefined).map(openOne));
    const members = opened.filter((m): m is Member => !(m instanceof Error));
    const failed = opened.map((m, i) => ({ m, i })).filter((x): x is { m: Error; i: number } => x.m instanceof Error);
    if (members.length === 0) throw failed[0].m;
    const pool = new BoardPool(members, options);
    for (const { m, i } of failed) pool.retire({ label: labels[i] }, `did not start: ${m.message}`);
    return pool;
  }

  get lanes(): number {
    return this.members.length;
  }

  /** The boards still in the pool. */
  get active(): string[] {
    return this.members.map((m) => m.label);
  }

  describe(): ExecutorDescription {
    const base = this.members[0].executor.describe();
    const ids = [...new Set(this.members.map((m) => m.executor.board.board.id))].sort();
    const one = ids.length === 1;
    return {
      ...base,
      target: this.options.boards.map((b) => (typeof b === 'string' ? b : b.board.id)).join(','),
      board: ids.join(','),
      // SRAM and flash are per kind of board: top-level only when there is one kind (else results.boards has them).
      sram: one ? base.sram : undefined,
      flash: one ? base.flash : undefined,
      clockHz: one ? base.clockHz : undefined,
      // The image and schedule, not which boards run them: a resumed run may use other boards.
      fingerprint: base.fingerprint.replace(/^board:[^:]+:/, 'boards:'),
    };
  }

  async run(name: string, input: Uint8Array): Promise<ExecutorRun> {
    for (;;) {
      const member = await this.acquire();
      if (!member) {
        const why = this.retired.map((r) => `${r.label}: ${r.reason}`).join('; ');
        throw new LinkError(`sample '${name}': no board left in the pool (${why}); finished samples are kept (rerun with --resume)`);
      }
      try {
        const run = await member.executor.run(name, input);
        member.failures = 0;
        this.release(member);
        return { ...run, extra: { ...run.extra, slot: member.label } };
      } catch (err) {
        // A board that answered with an error (not a link failure) would fail the same way anywhere: stop.
        if (!(err instanceof LinkError)) {
          this.release(member);
          throw err;
        }
        member.failures++;
        const max = this.options.maxFailures ?? 2;
        if (member.failures >= max) {
          this.retire(member, `gave up on ${member.failures} samples: ${err.message.split('\n')[0]}`);
          void member.executor.close().catch(() => undefined);
        } else {
          this.options.onNote?.(`${member.label}: ${err.message.split('\n')[0]}; sample '${name}' goes to the next free board`);
          this.release(member);
        }
      }
    }
  }

  /** Agreement over all samples; per kind of board, the figures each board's own executor reports. */
  summarize(runs: readonly JournalledRun[]): Partial<Results> {
    const byBoard = new Map<string, JournalledRun[]>();
    for (const run of runs) {
      const board = (run.extra as Partial<BoardRunExtra> | undefined)?.run?.board ?? '?';
      byBoard.set(board, [...(byBoard.get(board) ?? []), run]);
    }
    const executorFor = (board: string): BoardExecutor | undefined => this.started.find((m) => m.executor.board.board.id === board)?.executor;
    if (byBoard.size <= 1) {
      const [board] = [...byBoard.keys()];
      return (executorFor(board) ?? this.started[0].executor).summarize(runs);
    }
    const compared = runs.map((r) => (r.extra as Partial<BoardRunExtra> | undefined)?.matchesHost).filter((m): m is boolean => typeof m === 'boolean');
    const boards: BoardGroup[] = [...byBoard.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([board, group]) => {
      const own = executorFor(board)?.summarize(group) ?? {};
      const unit = group.find((r) => r.unit === 'cycles' || r.unit === 'instructions')?.unit as 'cycles' | 'instructions' | undefined;
      const latencies = group.filter((r) => r.unit === unit && r.latency !== undefined).map((r) => r.latency!);
      const instances = [...new Set(group.map((r) => (r.extra as Partial<BoardRunExtra> | undefined)?.run?.instance).filter((x): x is string => !!x))];
      const entry: BoardGroup = { board, count: group.length, instances };
      if (own.agreement !== undefined) entry.agreement = own.agreement;
      if (own.sram) entry.sram = own.sram;
      if (unit && latencies.length) {
        const s = summarizeLatency(latencies, unit);
        entry.latency = { unit, ...s.counts };
      }
      return entry;
    });
    return { ...(compared.length ? { agreement: compared.filter(Boolean).length / compared.length } : {}), boards };
  }

  async close(): Promise<void> {
    await Promise.all(this.members.map((m) => m.executor.close()));
  }

  private acquire(): Promise<Member | undefined> {
    const member = this.free.shift();
    if (member) return Promise.resolve(member);
    if (this.members.length === 0) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(member: Member): void {
    const waiter = this.waiting.shift();
    if (waiter) waiter(member);
    else this.free.push(member);
  }

  private retire(member: Pick<Member, 'label'> & Partial<Member>, reason: string): void {
    const at = this.members.findIndex((m) => m.label === member.label);
    if (at >= 0) this.members.splice(at, 1);
    this.retired.push({ label: member.label, reason });
    this.options.onNote?.(`${member.label} taken out of the pool: ${reason}; ${this.members.length} board(s) go on`);
    // With no board left, nobody will release one: tell every waiter.
    if (this.members.length === 0) for (const waiter of this.waiting.splice(0)) waiter(undefined);
  }
}
