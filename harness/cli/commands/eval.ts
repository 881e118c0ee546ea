// `mcubench eval <model> --dataset <dir>`: accuracy / mAP of a model on the host reference (native addon), with a
// journal so a killed run continues where it stopped (`--resume <out dir>`).
import { Command } from 'commander';
import * as fs from 'fs';
import * as path from 'path';
import { loadModel } from '../../model';
import { isModelImage } from '../../pack/read-image';
import { selectSchedule } from '../../pack/select-schedule';
import type { Results } from '../../report/results';
import { HostExecutor } from '../../run/host-executor';
import { EvalOutcome, runEvaluation } from '../../run/pipeline';
import { JOURNAL_FILE } from '../../run/pipeline-manifest';
import { addReferenceFidelity, loadReference } from '../../run/reference-fidelity';
import { UsageError } from '../errors';
import { addDatasetOptions, datasetSettings, type DatasetCliOptions } from '../dataset-options';
import { scheduleRequest } from './infer';

interface EvalCliOptions extends DatasetCliOptions {
  dataset?: string; preset?: string; limit?: string; out?: string; threads?: string; resume?: string;
  schedule?: string; split?: string; patches?: string; int8Pixels?: boolean; reference?: string;
}

function positiveInteger(flag: string, raw: string): number {
  if (!/^\s*\d+\s*$/.test(raw) || Number(raw) < 1) throw new UsageError(`${flag} ${raw}: expected a positive integer`);
  return Number(raw);
}

function timestamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

function toolInfo(): { name: string; version: string } {
  const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
  return { name: 'mcubench', version: pkg.version };
}

const pct = (f: number): string => `${(f * 100).toFixed(1)} %`;

/** The one-paragraph summary printed after a run. */
export function summaryText(outcome: EvalOutcome): string {
  const r: Results = outcome.results;
  const parts = [`${r.model} on ${r.dataset} (${r.board ?? 'host'}, ${r.schedule.kind} schedule): ${r.count} samples evaluated`];
  if (outcome.resumed > 0) parts[0] += ` (${outcome.resumed} from the earlier session)`;
  if (r.accuracy) {
    const correct = r.samples.filter((s) => s.label !== undefined && s.label === s.predicted).length;
    parts.push(`top-1 ${pct(r.accuracy.top1)} (${correct}/${r.count})${r.accuracy.top5 !== undefined ? `, top-5 ${pct(r.accuracy.top5)}` : ''}`);
  } else if (r.detection) {
    parts.push(`mAP ${pct(r.detection.map07)} (VOC07 11-point), ${pct(r.detection.map12)} (all-point) over ${Object.keys(r.detection.perClass).length} class${Object.keys(r.detection.perClass).length === 1 ? '' : 'es'}`);
  } else if (outcome.task.kind === 'raw') {
    parts.push(`no accuracy: ${outcome.task.reason}`);
  }
  if (r.fidelity && r.fidelity.reference !== 'host') { // board runs print their host agreement themselves
    const f = r.fidelity;
    parts.push(`bit-exact with ${f.reference ?? 'the reference'}: ${f.bitExactSamples ?? ''}${f.samples !== undefined ? `/${f.samples}` : pct(f.bitExactRate)}` +
      (f.bitExactRate < 1 ? ` (max abs error ${f.maxAbsError.toPrecision(3)}, RMSE ${f.rmse.toPrecision(3)}, cosine ${f.cosine.toFixed(4)})` : ''));
  }
  parts.push(`${r.skipped.length} skipped${r.skipped.length ? ` (first: ${r.skipped[0].file}: ${r.skipped[0].reason})` : ''}`);
  if (outcome.meanHostMs !== undefined) parts.push(`host ${outcome.meanHostMs.toFixed(1)} ms per inference`);
  return `${parts.join('; ')}.`;
}

export function registerEval(program: Command): void {
  const command = program
    .command('eval')
    .description('Evaluate a model on a dataset with the host reference runtime: accuracy or VOC mAP, resumable')
    .argument('<model>', 'a .tflite file')
    .option('--dataset <dir>', 'dataset folder (ImageNet synsets, labels CSV, VOC, class folders, or *.bin tensors)')
    .option('--preset <name>', 'preprocessing preset (default: the model\'s own, see harness/data/README.md)')
    .option('--limit <n>', 'evaluate only n samples (a stratified draw over classes; see --limit-order)')
    .option('--out <dir>', 'output folder (default out/eval-<model>-<timestamp>)')
    .option('--threads <n>', 'native worker threads (default 2)')
    .option('--resume <dir>', 'continue the run in this output folder, skipping samples already journalled')
    .option('--schedule <kind>', 'layer, patch or auto (default layer)')
    .option('--split <n>', 'patch schedule: run the first n operators patch by patch')
    .option('--patches <p>', 'patch schedule: p x p patches')
    .option('--int8-pixels', 'images store int8 values as bytes (TFLM person.bmp / no_person.bmp)')
    .option('--reference <run>', 'compare every output with the same sample\'s in another run\'s output folder: fidelity in results.json');
  addDatasetOptions(command)
    .action(async (modelFile: string, opts: EvalCliOptions) => {
      if (opts.dataset === undefined) throw new UsageError('--dataset <dir> is required (a folder of images with labels, a VOC devkit, or *.bin tensors)');
      if (opts.resume !== undefined && opts.out !== undefined && path.resolve(opts.resume) !== path.resolve(opts.out)) {
        throw new UsageError('--resume <dir> continues in that folder; drop --out (or give the same folder)');
      }
      const limit = opts.limit === undefined ? undefined : positiveInteger('--limit', opts.limit);
      const data = datasetSettings(opts);
      const threads = opts.threads === undefined ? 2 : positiveInteger('--threads', opts.threads);
      const request = scheduleRequest(opts);
      if (fs.existsSync(modelFile) && isModelImage(new Uint8Array(fs.readFileSync(modelFile)))) {
        throw new UsageError(`${modelFile}: is a packed model image; eval needs the .tflite (for the input/output description)`);
      }
      if (opts.reference !== undefined) loadReference(opts.reference); // before the run, not after it
      const graph = loadModel(modelFile);
      const model = path.basename(modelFile).replace(/\.tflite$/, '');
      const outDir = opts.resume ?? opts.out ?? path.join('out', `eval-${model}-${timestamp(new Date())}`);
      const executor = new HostExecutor(graph, selectSchedule(graph, request), threads, modelFile);
      process.stdout.write(`eval: output folder ${outDir}\n`);
      try {
        const outcome = await runEvaluation({
          graph, model, datasetDir: opts.dataset, preset: data.preset, limit, limitOrder: data.limitOrder, seed: data.seed,
          datasetOptions: data.datasetOptions, outDir, resume: opts.resume !== undefined,
          executor, batchSize: threads * 4, tool: toolInfo(), decodeOptions: opts.int8Pixels ? { int8Pixels: true } : undefined,
        });
        if (opts.reference !== undefined) {
          const f = addReferenceFidelity(outDir, opts.reference, graph).fidelity!;
          outcome.results.fidelity = f;
        }
        process.stdout.write(`${summaryText(outcome)}\nresults: ${outcome.resultsFile}\n`);
      } catch (err) {
        // A failure mid-run (not a bad command line) keeps every journalled sample: say how to continue.
        const journal = path.join(outDir, JOURNAL_FILE);
        if (!(err instanceof UsageError) && fs.existsSync(journal)) {
          const done = (fs.readFileSync(journal, 'utf8').match(/\n/g) ?? []).length;
          process.stderr.write(`eval: stopped with ${done} samples journalled; continue with: mcubench eval ${modelFile} --dataset ${opts.dataset} --resume ${outDir} (same --schedule options)\n`);
        }
        throw err;
      } finally {
        await executor.close();
      }
    });
}
