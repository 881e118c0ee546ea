// Shared pieces of the emulated-board (QEMU) end-to-end tests: golden inputs copied to a scratch folder, one board
// run through the same executor + pipeline as `mcubench run`, and the checks every run must pass.
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadBoard } from '../../harness/boards';
import { BENCH_STACK_BYTES } from '../../harness/build/bench-firmware';
import { loadModel } from '../../harness/model';
import type { ScheduleRequest } from '../../harness/pack/select-schedule';
import type { Results } from '../../harness/report/results';
import type { Transport, Unsubscribe } from '../../harness/link/transport';
import { BoardExecutor, type BoardExecutorOptions } from '../../harness/run/board-executor';
import { JOURNAL_FILE } from '../../harness/run/pipeline-manifest';
import { runEvaluation, type EvalOutcome } from '../../harness/run/pipeline';
import { SHARED_GOLDEN, sharedModel } from '../support/paths';

export const PERSON_DETECT = { model: 'person_detect', golden: 'person_detect' };
export const MCUNET_IN3 = { model: 'mcunet-in3_320kb-1mb_imagenet', golden: 'mcunet-in3_320kb-1mb_imagenet' };
export type ModelCase = typeof PERSON_DETECT;

const scratchDirs: string[] = [];

/** A fresh temporary folder, removed by removeScratchDirs() (call it from afterAll). */
export function scratchDir(tag: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `mcb-hil-${tag}-`));
  scratchDirs.push(dir);
  return dir;
}

export function removeScratchDirs(): void {
  for (const dir of scratchDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** A folder holding copies of the named golden inputs (<name>.bin). */
export function goldenInputs(model: ModelCase, names: string[]): string {
  const dir = scratchDir(`${model.model.slice(0, 12)}-in`);
  for (const name of names) fs.copyFileSync(path.join(SHARED_GOLDEN, model.golden, `${name}.bin`), path.join(dir, `${name}.bin`));
  return dir;
}

export const goldenOutput = (model: ModelCase, name: string): Buffer => fs.readFileSync(path.join(SHARED_GOLDEN, model.golden, `${name}.out`));

export interface BoardRun {
  outcome: EvalOutcome;
  results: Results;
  outDir: string;
  /** .data + .bss of the ELF that ran, read with arm-none-eabi-size. */
  elfStaticBytes: number;
  arenaBufferBytes: number;
  restarts: number;
  /** Requests the link had to send again (after damage or loss), over every boot. */
  retransmissions: number;
}

export interface BoardRunOptions extends Partial<Pick<BoardExecutorOptions, 'wrapTransport' | 'client' | 'maxRestarts'>> {
  board: string;
  model: ModelCase;
  inputsDir: string;
  schedule: ScheduleRequest;
  outDir?: string;
  resume?: boolean;
  /** Called once the board is up (tests that kill QEMU need the executor). */
  onOpen?: (executor: BoardExecutor) => void;
}

export async function runBoard(options: BoardRunOptions): Promise<BoardRun> {
  const graph = loadModel(sharedModel(options.model.model));
  const executor = await BoardExecutor.open({
    board: options.board, graph, modelName: options.model.model, schedule: options.schedule,
    wrapTransport: options.wrapTransport, client: options.client, maxRestarts: options.maxRestarts,
  });
  options.onOpen?.(executor);
  const outDir = options.outDir ?? scratchDir('out');
  let outcome: EvalOutcome;
  try {
    outcome = await runEvaluation({
      graph, model: options.model.model, datasetDir: options.inputsDir, outDir, resume: options.resume, executor,
      tool: { name: 'mcubench', version: 'test' }, progress: false,
    });
  } finally {
    await executor.close();
  }
  const session = executor.boardSession;
  return {
    outcome, results: outcome.results, outDir, elfStaticBytes: elfStaticBytes(executor.firmware.elf),
    arenaBufferBytes: session.hello.arenaSize, restarts: session.restarts, retransmissions: session.linkCounters.retransmissions,
  };
}

export function elfStaticBytes(elf: string): number {
  const out = execFileSync('arm-none-eabi-size', ['-A', '-d', elf], { encoding: 'utf8' });
  const size = (name: string): number => Number(new RegExp(`^\\${name}\\s+(\\d+)`, 'm').exec(out)?.[1] ?? 0);
  return size('.data') + size('.bss');
}

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Sample names of the journal's complete lines, in file order (duplicates kept, so a test can see them). */
export function journalSamples(outDir: string): string[] {
  const text = fs.readFileSync(path.join(outDir, JOURNAL_FILE), 'utf8');
  return text.split('\n').filter((line) => line.trim() !== '').map((line) => (JSON.parse(line) as { sample: string }).sample);
}

/** Every output equals the golden TFLM output and the host addon's, and is stored once. */
export function expectGoldenOutputs(run: BoardRun, model: ModelCase, names: string[]): void {
  const { results, outDir } = run;
  expect(results.samples.map((s) => s.name).sort()).toEqual([...names].sort());
  expect(results.count).toBe(names.length);
  for (const sample of results.samples) {
    const golden = goldenOutput(model, sample.name);
    const written = fs.readFileSync(path.join(outDir, 'outputs', `${sample.name}.out`));
    expect(written.equals(golden)).toBe(true);
    expect(sample.outputSha256).toBe(sha256(golden));
    expect(sample.matchesHost).toBe(true);
  }
  expect(results.agreement).toBe(1);
  expect(journalSamples(outDir).sort()).toEqual([...names].sort());
}

/** SRAM and latency figures of a board run hang together and match the ELF. */
export function expectConsistentMeasurements(run: BoardRun): void {
  const { results } = run;
  const sram = results.sram!;
  expect(sram.staticBytes).toBe(run.elfStaticBytes);
  expect(sram.stackPeakBytes).toBeGreaterThan(0);
  // Below the stack's size: a high-water mark at the very bottom means the stack ran into the arena.
  expect(sram.stackPeakBytes).toBeLessThan(BENCH_STACK_BYTES);
  // The arena's high-water mark spans at least the planner's peak of simultaneously live bytes, and no more than the buffer.
  expect(sram.arenaPeakBytes).toBeGreaterThanOrEqual(sram.plannedPeakBytes);
  expect(sram.arenaPeakBytes).toBeLessThanOrEqual(run.arenaBufferBytes);
  expect(sram.measuredPeakBytes).toBe(sram.staticBytes! + sram.stackPeakBytes! + sram.arenaPeakBytes!);
  expect(results.latency?.unit).toBe('instructions');
  for (const sample of results.samples) {
    expect(sample.instructions).toBeGreaterThan(0);
    expect(sample.cycles).toBeUndefined();
  }
}

/** What the board reported per sample (the journal keeps it): whole-inference latency and one entry per operator. */
export function journalOpLatencies(outDir: string): { sample: string; latency: number; opLatency: number[] }[] {
  const text = fs.readFileSync(path.join(outDir, JOURNAL_FILE), 'utf8');
  return text.split('\n').filter((line) => line.trim() !== '').map((line) => {
    const entry = JSON.parse(line) as { sample: string; latency: number; extra: { opLatency: number[] } };
    return { sample: entry.sample, latency: entry.latency, opLatency: entry.extra.opLatency };
  });
}

/**
 * Instructions per tick of the emulated board's timer: the firmware reads SysTick at the board clock, which QEMU
 * -icount drives from virtual time (2^shift ns per instruction), so every latency is a multiple of this.
 */
export function instructionsPerTick(boardId: string): number {
  const { board } = loadBoard(boardId);
  return 1e9 / (board.clockHz * 2 ** (board.qemu?.icountShift ?? 0));
}

/**
 * Per-operator latency of a board run that hangs together: one entry per operator of the packed image in every
 * sample, each a whole number of timer ticks, their sum within the inference. What no operator owns is copying
 * the input in (per patch tile or streamed row) and the output out, and the walk between kernel calls: under 1 %
 * of the inference. (With streamed input the firmware leaves its waits for the host's regions out of the
 * inference, as the runtime leaves them out of every operator.)
 */
export function expectPerOpLatency(run: BoardRun, types: string[], tick: number): void {
  // With streamed input the inference's total has the waits for the host taken out. Seen only on a loaded machine:
  // across such a wait (the CPU asleep while QEMU's virtual clock jumps) the SysTick clock has misplaced one
  // millisecond, in either direction, so one millisecond (1e6 in these nanosecond units) is allowed then.
  const waitSlack = run.results.sram?.inputStreamed ? 1e6 : 0;
  expect(run.results.ops!.map((o) => o.type)).toEqual(types);
  expect(run.results.ops!.map((o) => o.index)).toEqual(types.map((_, i) => i));
  for (const s of journalOpLatencies(run.outDir)) {
    expect(s.opLatency).toHaveLength(types.length);
    for (const v of [s.latency, ...s.opLatency]) expect(v % tick).toBe(0);
    const sum = s.opLatency.reduce((a, b) => a + b, 0);
    expect(sum).toBeLessThanOrEqual(s.latency + waitSlack);
    expect(s.latency - sum).toBeLessThan(0.01 * s.latency + waitSlack);
  }
}

/** Passes bytes through; kills the board's QEMU once this boot has written more than `killAfter` bytes. */
export class KillSwitch implements Transport {
  private written = 0;
  private fired = false;
  constructor(private readonly inner: Transport, private readonly killAfter: number | undefined, private readonly kill: () => void) {}
  get name(): string { return this.inner.name; }
  get isOpen(): boolean { return this.inner.isOpen; }
  open(): Promise<void> { return this.inner.open(); }
  write(data: Uint8Array): Promise<void> {
    this.written += data.length;
    if (this.killAfter !== undefined && !this.fired && this.written > this.killAfter) {
      this.fired = true;
      this.kill();
    }
    return this.inner.write(data);
  }
  drain(): Promise<void> { return this.inner.drain(); }
  close(): Promise<void> { return this.inner.close(); }
  onData(listener: (chunk: Uint8Array) => void): Unsubscribe { return this.inner.onData(listener); }
  onClose(listener: (reason?: Error) => void): Unsubscribe { return this.inner.onClose(listener); }
}

/** Kills QEMU mid-transfer on the boots whose threshold is given (boot 0 is the first). */
export function killer(thresholds: (number | undefined)[]): { wrap: (t: Transport) => Transport; bind: (e: BoardExecutor) => void; kills: number } {
  let executor: BoardExecutor | undefined;
  let boot = 0;
  const state = {
    kills: 0,
    bind: (e: BoardExecutor) => { executor = e; },
    wrap: (t: Transport): Transport => new KillSwitch(t, thresholds[boot++], () => {
      const pid = executor?.boardSession.target?.pid;
      if (pid === undefined) throw new Error('no QEMU to kill');
      state.kills++;
      process.kill(pid, 'SIGKILL');
    }),
  };
  return state;
}
