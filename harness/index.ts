// The programmatic entry of mcubench: every CLI command is a thin shell over these calls, and scripts (benchmarks,
// a lab's own tooling) use them directly. Data flows .tflite → model → plan → pack → build → targets → link → run
// → metrics → report; each step lives in its own folder, this file only strings them together.
import * as fs from 'fs';
import type { DecodeOptions } from './data/image';
import { UsageError } from './errors';
import { loadModel, type Graph } from './model';
import { imageForModel, planImage, type ModelImage } from './pack/image-for-model';
import { isModelImage } from './pack/read-image';
import type { ScheduleRequest } from './pack/select-schedule';
import { loadResults, resolveResultsPath } from './report/load-results';
import type { Results } from './report/results';
import { BoardExecutor, type BoardExecutorOptions } from './run/board-executor';
import { HostExecutor } from './run/host-executor';
import { runEvaluation, type EvalOutcome } from './run/pipeline';
import { modelNameOf, toolInfo } from './tool-info';

export { planModel, type PlanRequest } from './plan';
export { loadModel } from './model';
export { planImage, imageForModel, type ModelImage, type PlannedImage } from './pack/image-for-model';
export { prepareBoardFirmware, prepareBoardImage, type BoardFirmware, type BoardImage } from './build/board-firmware';
export { launchTarget, targetKindFor, type Target } from './targets';
export { writeMarkdownReport } from './report/markdown-writer';
export { writeHtmlReport } from './report/html-writer';
export { writeJunitReport } from './report/junit-writer';
export { writeJsonReport } from './report/json-writer';
export type { EvalOutcome } from './run/pipeline';
export { modelNameOf, toolInfo } from './tool-info';
export { UserError, UsageError } from './errors';

/** A model that a command needs as a .tflite (for its I/O description and to plan for a board), not a packed image. */
export function loadTflite(modelFile: string, command: string, why: string): Graph {
  if (fs.existsSync(modelFile) && isModelImage(new Uint8Array(fs.readFileSync(modelFile)))) {
    throw new UsageError(`${modelFile}: is a packed model image; ${command} needs the .tflite (${why})`);
  }
  return loadModel(modelFile);
}

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
      outDir: request.outDir, resume: request.resume, executor, batchSize: threads * 4, tool: toolInfo(),
      progress: request.progress, decodeOptions: decodeOptions(request),
    });
  } finally {
    await executor.close();
  }
}

export interface BoardRunRequest extends EvaluationRequest {
  board: string;
  verbose?: boolean;
  /** Real boards: hardware map and flasher; fault tests: a transport wrapper. */
  executor?: Pick<BoardExecutorOptions, 'target' | 'wrapTransport' | 'client' | 'maxRestarts'>;
}

/** Runs one model on one board through the evaluation pipeline (journal, resume, outputs, results.json). */
export async function runOnBoard(request: BoardRunRequest): Promise<EvalOutcome> {
  const { modelFile } = request;
  const graph = loadTflite(modelFile, 'run', 'the schedule is planned for the board');
  const model = modelNameOf(modelFile);
  const notes = request.progress === false ? undefined : (request.progress ?? process.stderr);
  const executor = await BoardExecutor.open({
    ...request.executor, board: request.board, graph, modelName: model, schedule: request.schedule,
    onNote: notes ? (note) => notes.write(`run: ${note}\n`) : undefined,
    onBuildLine: request.verbose && notes ? (line) => notes.write(`${line}\n`) : undefined,
  });
  try {
    return await runEvaluation({
      graph, model, datasetDir: request.datasetDir, preset: request.preset, limit: request.limit, outDir: request.outDir,
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
