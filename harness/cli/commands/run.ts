// `mcubench run`: a model on a board (an emulated one by default): plan, pack, check the fit, build the firmware,
// run every input over the serial link, compare each output with the host reference, write <out>/results.json.
import { Command } from 'commander';
import * as fs from 'fs';
import * as path from 'path';
import { loadModel } from '../../model';
import type { Graph } from '../../model/graph';
import { isModelImage } from '../../pack/read-image';
import type { ScheduleRequest } from '../../pack/select-schedule';
import { BoardExecutor } from '../../run/board-executor';
import { runEvaluation, type EvalOutcome } from '../../run/pipeline';
import { UsageError } from '../errors';
import { addDatasetOptions, datasetSettings, type DatasetCliOptions } from '../dataset-options';
import type { DatasetOptions, LimitOrder } from '../../data';
import { summaryText } from './eval';
import { scheduleRequest } from './infer';

export const DEFAULT_BOARD = 'emu-f746';
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

interface RunCliOptions extends DatasetCliOptions {
  board?: string; model?: string; inputs?: string; dataset?: string; preset?: string; int8Pixels?: boolean;
  limit?: string; schedule?: string; split?: string; patches?: string; out?: string; resume?: string; verbose?: boolean;
}

export interface BoardRunRequest {
  board: string;
  modelFile: string;
  /** A folder of raw input tensors (*.bin) or any dataset layout `mcubench eval` reads. */
  datasetDir: string;
  schedule: ScheduleRequest;
  preset?: string;
  int8Pixels?: boolean;
  limit?: number;
  limitOrder?: LimitOrder;
  seed?: number;
  datasetOptions?: DatasetOptions;
  outDir: string;
  resume?: boolean;
  verbose?: boolean;
  /** Where progress and notes go (default stderr); false for none. */
  progress?: NodeJS.WriteStream | false;
}

function positiveInteger(flag: string, raw: string): number {
  if (!/^\s*\d+\s*$/.test(raw) || Number(raw) < 1) throw new UsageError(`${flag} ${raw}: expected a positive integer`);
  return Number(raw);
}

function timestamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

function toolInfo(): { name: string; version: string } {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  return { name: 'mcubench', version: pkg.version };
}

/** A model path, or a bare name found in demo/models/. */
export function resolveModelFile(model: string): string {
  if (fs.existsSync(model)) return model;
  const bundled = path.join(REPO_ROOT, 'demo', 'models', model.endsWith('.tflite') ? model : `${model}.tflite`);
  if (fs.existsSync(bundled)) return bundled;
  throw new UsageError(`--model ${model}: no such file (and no demo/models/${path.basename(bundled)}); pass a .tflite file`);
}

export const modelNameOf = (file: string): string => path.basename(file).replace(/\.tflite$/, '');

/** Runs one model on one board through the evaluation pipeline (journal, resume, outputs, results.json). */
export async function runOnBoard(request: BoardRunRequest): Promise<EvalOutcome> {
  const { modelFile } = request;
  if (isModelImage(new Uint8Array(fs.readFileSync(modelFile)))) {
    throw new UsageError(`${modelFile}: is a packed model image; run needs the .tflite (the schedule is planned for the board)`);
  }
  const graph: Graph = loadModel(modelFile);
  const model = modelNameOf(modelFile);
  const notes = request.progress === false ? undefined : (request.progress ?? process.stderr);
  const executor = await BoardExecutor.open({
    board: request.board, graph, modelName: model, schedule: request.schedule,
    onNote: notes ? (note) => notes.write(`run: ${note}\n`) : undefined,
    onBuildLine: request.verbose && notes ? (line) => notes.write(`${line}\n`) : undefined,
  });
  try {
    return await runEvaluation({
      graph, model, datasetDir: request.datasetDir, preset: request.preset, limit: request.limit, outDir: request.outDir,
      limitOrder: request.limitOrder, seed: request.seed, datasetOptions: request.datasetOptions,
      resume: request.resume, executor, tool: toolInfo(), progress: request.progress,
      decodeOptions: request.int8Pixels ? { int8Pixels: true } : undefined,
    });
  } finally {
    await executor.close();
  }
}

/** The SRAM line printed after a board run. */
export function sramText(outcome: EvalOutcome): string {
  const s = outcome.results.sram;
  if (!s || s.measuredPeakBytes === undefined) return '';
  return `SRAM: measured peak ${s.measuredPeakBytes} B (static ${s.staticBytes} + stack ${s.stackPeakBytes} + arena ${s.arenaPeakBytes})` +
    `, planned arena peak ${s.plannedPeakBytes} B${s.boardBytes ? `, board ${s.boardBytes} B` : ''}`;
}

export function registerRun(program: Command): void {
  const command = program
    .command('run')
    .description('Run a model on a board (default: the emulated emu-f746), output-by-output compared with the host reference')
    .option('--board <id>', `board id (see mcubench boards; default ${DEFAULT_BOARD})`)
    .option('--model <model>', 'a .tflite file (or the name of one in demo/models)')
    .option('--inputs <dir>', 'folder of raw input tensors (*.bin, the model input bytes)')
    .option('--dataset <dir>', 'dataset folder, as for mcubench eval (ImageNet synsets, labels CSV, VOC, class folders)')
    .option('--preset <name>', 'with --dataset: preprocessing preset (default: the model\'s own)')
    .option('--int8-pixels', 'with --dataset: images store int8 values as bytes (TFLM person.bmp / no_person.bmp)')
    .option('--limit <n>', 'run only n samples (a stratified draw over classes; see --limit-order)')
    .option('--schedule <kind>', 'layer, patch or auto (default layer)')
    .option('--split <n>', 'patch schedule: run the first n operators patch by patch')
    .option('--patches <p>', 'patch schedule: p x p patches')
    .option('--out <dir>', 'output folder (default out/run-<model>-<board>-<timestamp>)')
    .option('--resume <dir>', 'continue the run in this output folder, skipping samples already journalled')
    .option('--verbose', 'show the firmware build output');
  addDatasetOptions(command)
    .action(async (opts: RunCliOptions) => {
      if (opts.model === undefined) throw new UsageError('--model <model> is required');
      if ((opts.inputs === undefined) === (opts.dataset === undefined)) throw new UsageError('give exactly one of --inputs <dir of .bin> and --dataset <dir>');
      if (opts.inputs !== undefined && (opts.preset !== undefined || opts.int8Pixels || opts.preprocess !== undefined)) throw new UsageError('--preset, --preprocess and --int8-pixels only apply with --dataset');
      const data = datasetSettings(opts);
      if (opts.resume !== undefined && opts.out !== undefined && path.resolve(opts.resume) !== path.resolve(opts.out)) {
        throw new UsageError('--resume <dir> continues in that folder; drop --out (or give the same folder)');
      }
      const inputs = opts.inputs;
      if (inputs !== undefined && (!fs.existsSync(inputs) || !fs.readdirSync(inputs).some((f) => f.endsWith('.bin')))) {
        throw new UsageError(`--inputs ${inputs}: not a folder with *.bin input tensors`);
      }
      const board = opts.board ?? DEFAULT_BOARD;
      if (opts.board === undefined) process.stderr.write(`run: no --board given, using ${DEFAULT_BOARD}\n`);
      const modelFile = resolveModelFile(opts.model);
      const model = modelNameOf(modelFile);
      const outDir = opts.resume ?? opts.out ?? path.join('out', `run-${model}-${board}-${timestamp(new Date())}`);
      process.stdout.write(`run: output folder ${outDir}\n`);
      const outcome = await runOnBoard({
        board, modelFile, datasetDir: (inputs ?? opts.dataset)!, schedule: scheduleRequest(opts), preset: data.preset,
        limitOrder: data.limitOrder, seed: data.seed, datasetOptions: data.datasetOptions,
        int8Pixels: opts.int8Pixels, limit: opts.limit === undefined ? undefined : positiveInteger('--limit', opts.limit),
        outDir, resume: opts.resume !== undefined, verbose: opts.verbose,
      });
      const r = outcome.results;
      const agreement = r.agreement === undefined ? '' : `; outputs equal to the host reference: ${r.samples.filter((s) => s.matchesHost).length}/${r.count}`;
      process.stdout.write(`${summaryText(outcome).replace(/\.$/, '')}${agreement}.\n${sramText(outcome)}\nresults: ${outcome.resultsFile}\n`);
      if (r.agreement !== undefined && r.agreement < 1) process.exitCode = 1;
    });
}
