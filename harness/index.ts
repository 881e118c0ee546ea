// The programmatic entry of mcubench: every CLI command is a thin shell over these calls, and scripts (benchmarks,
// a lab's own tooling) use them directly. Data flows .tflite → model → plan → pack → build → targets → link → run
// → metrics → report; each step lives in its own folder, this file only strings them together.
import * as fs from 'fs';
import type { DatasetOptions, LimitOrder } from './data';
import type { DecodeOptions } from './data/image';
import { UsageError } from './errors';
import { imageForModel, loadTflite, planImage, type ModelImage } from './pack/image-for-model';
import type { ScheduleRequest } from './pack/select-schedule';
import { loadResults, resolveResultsPath } from './report/load-results';
import type { Results } from './report/results';
import { BoardExecutor, type BoardExecutorOptions } from './run/board-executor';
import { BoardPool } from './run/board-pool';
import { HostExecutor } from './run/host-executor';
import { runEvaluation, type EvalOutcome } from './run/pipeline';
import { modelNameOf, toolInfo } from './tool-info';

export { planModel, type PlanRequest } from './plan';
export { loadModel } from './model';
export { planImage, imageForModel, loadTflite, type ModelImage, type PlannedImage } from './pack/image-for-model';
export { prepareBoardFirmware, prepareBoardImage, type BoardFirmware, type BoardImage } from './build/board-firmware';
export { launchTarget, targetKindFor, type Target } from './targets';
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

export interface EvaluationRequest {
  modelFile: string;
  /** A folder of raw input tensors (*.bin) or any dataset layout (ImageNet synsets, labels CSV, VOC, class folders). */
  datasetDir: string;
  schedule: ScheduleRequest;
  preset?: string;
  int8Pixels?: boolean;
  limit?: number;
  /** How `limit` picks samples (default: a stratified, seeded draw over classes) and the draw's seed. */
  limitOrder?: LimitOrder;
  seed?: number;
  /** What the dataset's layout cannot tell: synset list, VOC image set. */
  datasetOptions?: DatasetOptions;
  outDir: string;
  resume?: boolean;
  /** Where progress goes (default stderr); false for none. */
  progress?: NodeJS.WriteStream | false;
}

const decodeOptions = (r: { int8Pixels?: boolean }): DecodeOptions | undefined => (r.int8Pixels ? { int8Pixels: true } : undefined);

/** Accuracy (or mAP) of a model on the host reference, journaled per sample and resumable. */
export async function evaluate(request: EvaluationRequest & { threads?: number }): Promise<EvalOutcome> {
  const { modelFile } = request;
  const graph = loadTflite(modelFile, 'eval', 'for the input/output description');
  const threads = request.threads ?? 2;
  const executor = new HostExecutor(planImage(graph, request.schedule), threads, modelFile);
  try {
    return await runEvaluation({
      graph, model: modelNameOf(modelFile), datasetDir: request.datasetDir, preset: request.preset, limit: request.limit,
      limitOrder: request.limitOrder, seed: request.seed, datasetOptions: request.datasetOptions,
      outDir: request.outDir, resume: request.resume, executor, batchSize: threads * 4, tool: toolInfo(),
      progress: request.progress, decodeOptions: decodeOptions(request),
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
  executor?: Pick<BoardExecutorOptions, 'target' | 'wrapTransport' | 'client' | 'maxRestarts' | 'agent'>;
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
      graph, model, datasetDir: request.datasetDir, preset: request.preset, limit: request.limit, outDir: request.outDir,
      limitOrder: request.limitOrder, seed: request.seed, datasetOptions: request.datasetOptions,
      resume: request.resume, executor, tool: toolInfo(), progress: request.progress, decodeOptions: decodeOptions(request),
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
