// The shared evaluation pipeline: dataset → preset → input tensors → executor → per-sample task scoring →
// journal → results.json. Target-agnostic: `mcubench eval` passes the host executor, board runs pass theirs.
// Every finished sample is written to outputs/<name>.out and then journalled (fsync'd); the final results are
// computed from the journal alone, so a run killed at any point and resumed reports exactly what an
// uninterrupted run would.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_LIMIT_SEED, DatasetOptions, LimitOrder, PreparedSample, detectDataset, prepareSamples } from '../data';
import type { DecodeOptions } from '../data/image';
import { PRESETS, Preset, PreprocessSpecError, inputSpecFromIo, parsePreprocessSpec, presetForModel } from '../data/preprocess';
import { Graph } from '../model/graph';
import { writeJsonReport } from '../report/json-writer';
import type { Results, ToolInfo } from '../report/results';
import { UsageError } from '../errors';
import { Executor, ExecutorRun } from './executor';
import { Journal, JournalError, readJournal } from './journal';
import { JOURNAL_FILE, RESULTS_FILE, RunManifest, checkResumable, outputFile, readManifest, writeManifest } from './pipeline-manifest';
import { selectSamples } from './pipeline-samples';
import { Task, chooseTask, scoreSample } from './pipeline-task';
import { createProgress } from './progress';
import { runEnvironment } from './environment';
import { EvalRecord, buildResults } from './results-builder';

export interface EvalOptions {
  graph: Graph;
  /** Model name (file stem); picks the preset when `preset` is not given. */
  model: string;
  datasetDir: string;
  /**
   * Preset id (see harness/data/preprocess/presets.ts), or `custom:<spec>` for a `--preprocess` recipe;
   * default: the model's own.
   */
  preset?: string;
  decodeOptions?: DecodeOptions;
  limit?: number;
  /** How `limit` picks samples: a stratified seeded draw over classes (default) or the first N ('sorted'). */
  limitOrder?: LimitOrder;
  /** Seed of the stratified draw (default 1). */
  seed?: number;
  /** What the dataset's layout cannot tell: synset list, VOC image set. */
  datasetOptions?: DatasetOptions;
  outDir: string;
  /** Continue the run in `outDir` (its journal and run.json must exist). */
  resume?: boolean;
  executor: Executor;
  /** Samples handed to the executor at once when it can batch (default 8). */
  batchSize?: number;
  tool: ToolInfo;
  /** Progress on this stream (default stderr); false for none. */
  progress?: NodeJS.WriteStream | false;
  now?: () => Date;
}

export interface EvalOutcome {
  outDir: string;
  resultsFile: string;
  results: Results;
  task: Task;
  /** Samples taken from the journal of an earlier session / run in this one. */
  resumed: number;
  ran: number;
  /** Mean host wall time per inference (host executor), over every journalled sample. */
  meanHostMs?: number;
}

function resolvePreset(opts: EvalOptions, imageInput: boolean): Preset | undefined {
  if (opts.preset?.startsWith('custom:')) {
    const shape = opts.graph.io?.inputs[0]?.shape ?? [];
    try {
      const side = shape.length === 4 ? [...shape.slice(1)].sort((a, b) => b - a)[1] : undefined; // H or W, whatever the layout
      return parsePreprocessSpec(opts.preset.slice('custom:'.length), side);
    } catch (e) {
      if (e instanceof PreprocessSpecError) throw new UsageError(e.message);
      throw e;
    }
  }
  if (opts.preset !== undefined) {
    const preset = PRESETS[opts.preset];
    if (!preset) throw new UsageError(`--preset ${opts.preset}: unknown; choose one of ${Object.keys(PRESETS).join(', ')}`);
    return preset;
  }
  if (!imageInput) return undefined;
  try {
    return presetForModel(opts.model);
  } catch (e) {
    throw new UsageError(`${(e as Error).message} (pass --preset NAME)`);
  }
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Pulls up to `n` prepared samples from the generator. */
async function take(source: AsyncGenerator<PreparedSample>, n: number): Promise<PreparedSample[]> {
  const out: PreparedSample[] = [];
  while (out.length < n) {
    const next = await source.next();
    if (next.done) break;
    out.push(next.value);
  }
  return out;
}

async function execute(executor: Executor, chunk: PreparedSample[]): Promise<ExecutorRun[]> {
  if (executor.runBatch) return executor.runBatch(chunk.map((p) => ({ name: p.sample.name, input: p.tensor })));
  const runs: ExecutorRun[] = [];
  for (const p of chunk) runs.push(await executor.run(p.sample.name, p.tensor));
  return runs;
}

/**
 * One worker per lane pulls the next sample (or batch, when the executor batches) and runs it; whichever lane is
 * free takes the next. On a failure the other lanes finish what they hold (it is journalled) and take no more;
 * then the first error is thrown.
 */
async function runLanes(executor: Executor, source: AsyncGenerator<PreparedSample>, batchSize: number,
  record: (sample: PreparedSample['sample'], run: ExecutorRun) => void): Promise<void> {
  let failure: unknown;
  const lane = async (): Promise<void> => {
    while (failure === undefined) {
      const chunk = await take(source, executor.runBatch ? batchSize : 1);
      if (chunk.length === 0) return;
      try {
        const runs = await execute(executor, chunk);
        chunk.forEach(({ sample }, i) => record(sample, runs[i]));
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: executor.lanes ?? 1 }, lane));
  if (failure !== undefined) throw failure;
}

function openRun(opts: EvalOptions, manifest: RunManifest): Journal<EvalRecord> {
  const journalFile = path.join(opts.outDir, JOURNAL_FILE);
  if (opts.resume) {
    checkResumable(readManifest(opts.outDir), manifest, opts.outDir);
  } else {
    if (fs.existsSync(journalFile)) {
      throw new UsageError(`${opts.outDir} already holds an evaluation; continue it with --resume ${opts.outDir} or choose another --out`);
    }
    writeManifest(opts.outDir, manifest);
  }
  try {
    return Journal.open<EvalRecord>(journalFile);
  } catch (e) {
    // A corrupt journal is a problem with the user's folder, not a bug: report it without a stack trace.
    if (e instanceof JournalError) throw new UsageError(e.message);
    throw e;
  }
}

/** On resume, settings not given again are taken from the saved run (given ones must match it). */
function withSavedSettings(opts: EvalOptions): EvalOptions {
  if (!opts.resume) return opts;
  const saved = readManifest(opts.outDir);
  return {
    ...opts,
    limit: opts.limit ?? saved.limit ?? undefined,
    limitOrder: opts.limitOrder ?? saved.limitOrder ?? undefined,
    seed: opts.seed ?? saved.seed ?? undefined,
    preset: opts.preset ?? saved.preset ?? undefined,
    decodeOptions: opts.decodeOptions ?? (saved.int8Pixels ? { int8Pixels: true } : undefined),
  };
}

export async function runEvaluation(options: EvalOptions): Promise<EvalOutcome> {
  const opts = withSavedSettings(options);
  const io = opts.graph.io;
  if (!io || io.inputs.length !== 1) throw new UsageError(`${opts.graph.source}: evaluation needs a model with exactly one input`);
  const dataset = detectDataset(opts.datasetDir, opts.datasetOptions);
  const preset = resolvePreset(opts, dataset.layout !== 'tensor-folder');
  const task = chooseTask(opts.graph, dataset, preset?.labelOffset ?? 0);
  const description = opts.executor.describe();
  const manifest: RunManifest = {
    model: opts.model, fingerprint: description.fingerprint, target: description.target, dataset: dataset.root,
    preset: preset?.id ?? null, limit: opts.limit ?? null, int8Pixels: !!opts.decodeOptions?.int8Pixels,
    ...(opts.limit !== undefined ? { limitOrder: opts.limitOrder ?? 'stratified', seed: opts.seed ?? DEFAULT_LIMIT_SEED } : {}),
    ...(opts.datasetOptions?.imageSet ? { imageSet: opts.datasetOptions.imageSet } : {}),
    startedAt: (opts.now?.() ?? new Date()).toISOString(),
  };
  const journal = openRun(opts, manifest);
  try {
    const selection = selectSamples(dataset, task, journal.existing.done, opts.limit, { order: opts.limitOrder, seed: opts.seed });
    if (selection.total === 0) {
      const why = dataset.skipped.length ? ` (${dataset.skipped.length} skipped; first: ${dataset.skipped[0].file}: ${dataset.skipped[0].reason})` : '';
      throw new UsageError(`${dataset.root}: no usable samples for this model${why}`);
    }
    const progress = opts.progress === false ? undefined : createProgress({ total: selection.total, already: selection.done, stream: opts.progress, phase: description.board ? 'run' : 'eval' });
    const source = prepareSamples(selection.pending, preset, inputSpecFromIo(io.inputs[0]), opts.decodeOptions);
    let finished = selection.done;
    let ran = 0;
    // Each finished sample: output file first, then the journal line (fsync'd), so a journalled sample always has its output.
    const record = (sample: PreparedSample['sample'], run: ExecutorRun): void => {
      const { output, latency, unit, extra } = run;
      const file = outputFile(opts.outDir, sample.name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, output);
      journal.append({
        sample: sample.name, index: selection.indexOf.get(sample.name)!, outputSha256: sha256(output),
        ...scoreSample(task, sample, output),
        ...(latency !== undefined ? { latency, unit } : {}),
        ...(extra ? { extra } : {}),
      });
      finished++;
      ran++;
      progress?.update(finished);
    };
    const batchSize = Math.max(1, opts.batchSize ?? 8);
    if ((opts.executor.lanes ?? 1) > 1) {
      await runLanes(opts.executor, source, batchSize, record);
    } else {
      let chunk = await take(source, opts.executor.runBatch ? batchSize : 1);
      while (chunk.length > 0) {
        const running = execute(opts.executor, chunk);
        // Decode the next images while the executor works on this chunk.
        const upcoming = take(source, opts.executor.runBatch ? batchSize : 1);
        upcoming.catch(() => undefined); // surfaced when awaited below; avoids an unhandled rejection if `running` fails first
        const runs = await running;
        chunk.forEach(({ sample }, i) => record(sample, runs[i]));
        chunk = await upcoming;
      }
    }
    progress?.stop();
    return finish(opts, task, description, dataset.skipped, ran);
  } finally {
    journal.close();
  }
}

function finish(opts: EvalOptions, task: Task, description: ReturnType<Executor['describe']>, skipped: { file: string; reason: string }[], ran: number): EvalOutcome {
  const records = readJournalRecords(opts.outDir);
  const resultsFile = path.join(opts.outDir, RESULTS_FILE);
  const results = buildResults({
    model: opts.model, dataset: path.basename(path.resolve(opts.datasetDir)), description, task, records, skipped,
    tool: opts.tool, createdAt: (opts.now?.() ?? new Date()).toISOString(), summarize: opts.executor.summarize?.bind(opts.executor), file: resultsFile,
    environment: runEnvironment(opts.graph.source),
  });
  fs.writeFileSync(resultsFile, writeJsonReport(results));
  const hostNs = records.filter((r) => r.unit === 'ns' && r.latency !== undefined).map((r) => r.latency!);
  return {
    outDir: opts.outDir, resultsFile, results, task, resumed: records.length - ran, ran,
    meanHostMs: hostNs.length ? hostNs.reduce((a, b) => a + b, 0) / hostNs.length / 1e6 : undefined,
  };
}

function readJournalRecords(outDir: string): EvalRecord[] {
  // Re-read from disk: the journal, not this session's memory, is the source of truth.
  return readJournal<EvalRecord>(path.join(outDir, JOURNAL_FILE)).records;
}
