// `mcubench eval <model> --dataset <dir>`: accuracy / mAP of a model on the host reference (native addon), with a
// journal so a killed run continues where it stopped (`--resume <out dir>`).
import { Command } from 'commander';
import * as fs from 'fs';
import * as path from 'path';
import { UsageError } from '../../errors';
import { evaluate, loadTflite, modelNameOf } from '../../index';
import { JOURNAL_FILE } from '../../run/pipeline-manifest';
import { addReferenceFidelity, loadReference } from '../../run/reference-fidelity';
import { addDatasetOptions, datasetSettings, type DatasetCliOptions } from '../dataset-options';
import { addScheduleOptions, checkResumeOut, positiveInteger, scheduleRequest, timestamp, type ScheduleCliOptions } from '../options';
import { summaryText } from '../summary';

interface EvalCliOptions extends ScheduleCliOptions, DatasetCliOptions {
  dataset?: string; preset?: string; limit?: string; out?: string; threads?: string; resume?: string; int8Pixels?: boolean; reference?: string;
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
    .option('--resume <dir>', 'continue the run in this output folder, skipping samples already journalled');
  addScheduleOptions(command)
    .option('--int8-pixels', 'images store int8 values as bytes (TFLM person.bmp / no_person.bmp)')
    .option('--reference <run>', 'compare every output with the same sample\'s in another run\'s output folder: fidelity in results.json');
  addDatasetOptions(command)
    .action(async (modelFile: string, opts: EvalCliOptions) => {
      if (opts.dataset === undefined) throw new UsageError('--dataset <dir> is required (a folder of images with labels, a VOC devkit, or *.bin tensors)');
      checkResumeOut(opts);
      const limit = opts.limit === undefined ? undefined : positiveInteger('--limit', opts.limit);
      const data = datasetSettings(opts);
      const threads = opts.threads === undefined ? 2 : positiveInteger('--threads', opts.threads);
      const schedule = scheduleRequest(opts);
      if (opts.reference !== undefined) loadReference(opts.reference); // before the run, not after it
      const outDir = opts.resume ?? opts.out ?? path.join('out', `eval-${modelNameOf(modelFile)}-${timestamp(new Date())}`);
      process.stdout.write(`eval: output folder ${outDir}\n`);
      try {
        const outcome = await evaluate({
          modelFile, datasetDir: opts.dataset, schedule, preset: data.preset, int8Pixels: opts.int8Pixels, limit, outDir,
          limitOrder: data.limitOrder, seed: data.seed, datasetOptions: data.datasetOptions, resume: opts.resume !== undefined, threads,
        });
        if (opts.reference !== undefined) outcome.results.fidelity = addReferenceFidelity(outDir, opts.reference, loadTflite(modelFile, 'eval', 'for the output description')).fidelity;
        process.stdout.write(`${summaryText(outcome)}\nresults: ${outcome.resultsFile}\n`);
      } catch (err) {
        // A failure mid-run (not a bad command line) keeps every journalled sample: say how to continue.
        const journal = path.join(outDir, JOURNAL_FILE);
        if (!(err instanceof UsageError) && fs.existsSync(journal)) {
          const done = (fs.readFileSync(journal, 'utf8').match(/\n/g) ?? []).length;
          process.stderr.write(`eval: stopped with ${done} samples journalled; continue with: mcubench eval ${modelFile} --dataset ${opts.dataset} --resume ${outDir} (same --schedule options)\n`);
        }
        throw err;
      }
    });
}
