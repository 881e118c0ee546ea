// The programmatic entry of mcubench: every CLI command is a thin shell over these calls, and scripts (benchmarks,
// a lab's own tooling) use them directly. Data flows .tflite → model → plan → pack → build → targets → link → run
// → metrics → report; each step lives in its own folder, this file only strings them together.
import type { DecodeOptions } from './data/image';
import { loadBoard } from './boards';
import { DutExecutor, outputCodecs } from './dut/dut-executor';
import { MlperfDut } from './dut/mlperf-tiny';
import { UsageError } from './errors';
import { expectedInferenceMs } from './link/timeouts';
import { SerialTransport } from './link/serial-transport';
import { NativeModel } from './native';
import { readImage } from './pack/read-image';
import { scheduleLabel } from './pack/schedule';
import { launchTarget, type Target } from './targets';
import { imageForModel, loadTflite, planImage, type ModelImage } from './pack/image-for-model';
import type { ScheduleRequest } from './pack/select-schedule';
import { loadResults, resolveResultsPath } from './report/load-results';
import type { Results } from './report/results';
import { BoardExecutor, type BoardExecutorOptions } from './run/board-executor';
import { BoardPool } from './run/board-pool';
import { HostExecutor } from './run/host-executor';
import { runEvaluation, type EvalOptions, type EvalOutcome } from './run/pipeline';
import { modelNameOf, toolInfo } from './tool-info';

export { planModel, type PlanRequest } from './plan';
export { loadModel } from './model';
export { planImage, imageForModel, loadTflite, type ModelImage, type PlannedImage } from './pack/image-for-model';
export { prepareBoardFirmware, prepareBoardImage, type BoardFirmware, type BoardImage } from './build/board-firmware';
export { launchTarget, targetKindFor } from './targets';
export type { Target } from './targets';
export { writeMarkdownReport } from './report/markdown-writer';
export { writeHtmlReport } from './report/html-writer';
export { writeJunitReport } from './report/junit-writer';
export { writeJsonReport } from './report/json-writer';
export type { EvalOutcome } from './run/pipeline';
export { modelNameOf, toolInfo } from './tool-info';
export { UserError, UsageError } from './errors';

/** The image the host reference runs for `infer`: a packed image as-is, or the .tflite planned and packed. */
export function packModel(modelFile: string, schedule: ScheduleRequest): ModelImage {
  return imageForModel(modelFile, schedule);
}

/** The pipeline's own settings (documented on EvalOptions), plus the model file, schedule and pixel format. */
export interface EvaluationRequest
  extends Pick<EvalOptions, 'datasetDir' | 'preset' | 'limit' | 'limitOrder' | 'seed' | 'datasetOptions' | 'outDir' | 'resume' | 'progress'> {
  modelFile: string;
  schedule: ScheduleRequest;
  /** Images store int8 values as bytes (TFLM person.bmp / no_person.bmp). */
  int8Pixels?: boolean;
}

const decodeOptions = (r: { int8Pixels?: boolean }): DecodeOptions | undefined => (r.int8Pixels ? { int8Pixels: true } : undefined);

/** What every entry hands the evaluation pipeline from its request: dataset, sample choice, output folder, progress. */
function pipelineSettings(request: EvaluationRequest) {
  return {
    datasetDir: request.datasetDir, preset: request.preset, limit: request.limit, limitOrder: request.limitOrder, seed: request.seed,
    datasetOptions: request.datasetOptions, outDir: request.outDir, resume: request.resume, progress: request.progress,
    decodeOptions: decodeOptions(request), tool: toolInfo(),
  };
}

/** Accuracy (or mAP) of a model on the host reference, journaled per sample and resumable. */
export async function evaluate(request: EvaluationRequest & { threads?: number }): Promise<EvalOutcome> {
  const { modelFile } = request;
  const graph = loadTflite(modelFile, 'eval', 'for the input/output description');
  const threads = request.threads ?? 2;
  const executor = new HostExecutor(planImage(graph, request.schedule), threads, modelFile);
  try {
    return await runEvaluation({
      ...pipelineSettings(request), graph, model: modelNameOf(modelFile), executor, batchSize: threads * 4,
    });
  } finally {
    await executor.close();
  }
}

export interface BoardRunRequest extends EvaluationRequest {
  /** A board id, or several separated by commas (repeats allowed: several QEMU instances of one emulated board). */
  board: string;
  verbose?: boolean;
  /** Real boards: hardware map and flasher; fault tests: a transport wrapper. */
  executor?: Pick<BoardExecutorOptions, 'target' | 'wrapTransport' | 'client' | 'maxRestarts' | 'agent' | 'kernels'>;
}

/** "emu-f746,emu-f746,emu-f412" → the ids, in order; empty entries are refused. */
export function parseBoardList(list: string): string[] {
  const ids = list.split(',').map((id) => id.trim());
  if (ids.some((id) => id === '')) throw new UsageError(`--board ${list}: an empty board id; separate ids with single commas (emu-f746,emu-f412)`);
  return ids;
}

/** Build output: every line with --verbose, else CMake's percentage as it passes each quarter, so a build shows progress. */
function buildLineReporter(stream: NodeJS.WritableStream, verbose: boolean): (line: string) => void {
  let shown = -1;
  return (line) => {
    if (verbose) { stream.write(`${line}\n`); return; }
    const percent = /^\[\s*(\d+)%\]/.exec(line);
    if (percent && Number(percent[1]) >= shown + 25) {
      shown = Number(percent[1]);
      stream.write(`build: ${shown} %\n`);
    }
  };
}

/** Runs one model on one board through the evaluation pipeline (journal, resume, outputs, results.json). */
export async function runOnBoard(request: BoardRunRequest): Promise<EvalOutcome> {
  const { modelFile } = request;
  const graph = loadTflite(modelFile, 'run', 'the schedule is planned for the board');
  const model = modelNameOf(modelFile);
  const notes = request.progress === false ? undefined : (request.progress ?? process.stderr);
  const boards = parseBoardList(request.board);
  const options = {
    ...request.executor, graph, modelName: model, schedule: request.schedule,
    onNote: notes ? (note: string) => notes.write(`run: ${note}\n`) : undefined,
    onBuildLine: notes ? buildLineReporter(notes, request.verbose === true) : undefined,
    onPhase: notes ? (phase: string, text: string) => notes.write(`${phase}: ${text}\n`) : undefined,
  };
  // One board: its own executor (and fingerprint, so runs resume as before); several: one sample queue over all.
  const executor = boards.length === 1 ? await BoardExecutor.open({ ...options, board: boards[0] }) : await BoardPool.open({ ...options, boards });
  try {
    return await runEvaluation({
      ...pipelineSettings(request), graph, model, executor,
    });
  } finally {
    await executor.close();
  }
}

export interface DutRunRequest extends EvaluationRequest {
  /** The DUT: a serial port of a running board … */
  port?: string;
  baudRate?: number;
  /** … or a board to launch with this firmware (QEMU for an emulated board, flashed for a real one). */
  board?: string;
  elf?: string;
  /** Real boards: hardware map and flasher. */
  target?: BoardExecutorOptions['target'];
}

/**
 * Runs a model on a device that speaks the MLPerf Tiny DUT protocol (its own firmware, or ours built with
 * `--dut mlperf-tiny`) through the evaluation pipeline: the same journal, resume and results.json as `run`, every
 * output compared with our host reference for the model.
 */
export async function runDut(request: DutRunRequest): Promise<EvalOutcome> {
  const { modelFile } = request;
  const graph = loadTflite(modelFile, 'run --dut', 'its inputs, outputs and host reference come from it');
  const planned = planImage(graph, request.schedule);
  const host = new NativeModel(planned.image.bytes, modelFile);
  let target: Target | undefined;
  let boardId = 'dut';
  let transport: SerialTransport;
  if (request.port !== undefined) {
    transport = new SerialTransport({ path: request.port, baudRate: request.baudRate ?? 115200 });
    await transport.open();
  } else {
    if (request.board === undefined || request.elf === undefined) throw new UsageError('--dut mlperf-tiny needs --port <tty>, or --board <id> with --elf <firmware>');
    const board = loadBoard(request.board);
    boardId = board.board.id;
    target = await launchTarget(board, request.elf, { paused: true, ...request.target });
    transport = new SerialTransport({ path: target.consolePath, baudRate: request.baudRate ?? board.board.uart.baud });
    try {
      await transport.open();
      await target.resume();
    } catch (err) {
      await transport.close().catch(() => undefined);
      await target.stop().catch(() => undefined);
      throw err;
    }
  }
  const dut = new MlperfDut(transport, { inferTimeoutMs: Math.max(60_000, 3 * expectedInferenceMs(planned.schedule.plan.macs, { emulated: true })) });
  const stop = async (): Promise<void> => {
    await transport.close().catch(() => undefined);
    await target?.stop().catch(() => undefined);
  };
  let executor: DutExecutor;
  try {
    if (target) await dut.waitReady();
    const name = await dut.name();
    const label = scheduleLabel(planned.schedule);
    // The DUT is named by what it answers to name% (and the board, when we launched it), not by its port: a DUT
    // replugged onto another tty is the same DUT, and --resume must accept it.
    executor = new DutExecutor(dut, outputCodecs(readImage(planned.image.bytes)), {
      target: `mlperf-tiny:${target ? boardId : name}`, ...(target ? { board: boardId } : {}), schedule: label,
      plannedPeakBytes: planned.schedule.plan.peakBytes,
      fingerprint: `dut:mlperf-tiny:${name}:${target ? boardId : 'port'}:image:${planned.image.modelHash}:${label.kind}`,
    }, host, stop);
  } catch (err) {
    dut.dispose();
    await stop();
    throw err;
  }
  try {
    return await runEvaluation({
      ...pipelineSettings(request), graph, model: modelNameOf(modelFile), executor,
    });
  } finally {
    await executor.close();
  }
}

/** results.json from a file or an eval/run output folder. */
export function loadResultsAt(fileOrDir: string): { file: string; results: Results } {
  const file = resolveResultsPath(fileOrDir);
  return { file, results: loadResults(file) };
}
