// `mcubench demo`: the bundled kit (demo/) end to end on an emulated STM32F746: person_detect on the two VWW
// images (layer-based, then patch-based) and mcunet-in3 on a few ImageNet images with a patch schedule, each
// output checked against the host reference; prints the markdown reports. The README's first command.
import { Command } from 'commander';
import * as fs from 'fs';
import * as path from 'path';
import { UsageError } from '../../errors';
import { runOnBoard, writeMarkdownReport, type EvalOutcome } from '../../index';
import type { ScheduleRequest } from '../../pack/select-schedule';
import { DEFAULT_BOARD, positiveInteger } from '../options';
import { sramText } from '../summary';

const DEMO_DIR = path.resolve(__dirname, '..', '..', '..', 'demo');

interface DemoStep {
  title: string;
  model: string;
  dataset: string;
  schedule: ScheduleRequest;
  int8Pixels?: boolean;
  limit?: number;
  out: string;
}

/** The TFLM BMPs as class folders (no_person = class 0, person = class 1, the model's output order). */
function vwwClassFolders(root: string): string {
  for (const name of ['no_person', 'person']) {
    const source = path.join(DEMO_DIR, 'vww', `${name}.bmp`);
    if (!fs.existsSync(source)) throw new UsageError(`demo kit incomplete: ${source} is missing`);
    fs.mkdirSync(path.join(root, name), { recursive: true });
    fs.copyFileSync(source, path.join(root, name, `${name}.bmp`));
  }
  return root;
}

export function demoSteps(outDir: string, imagenetLimit: number): DemoStep[] {
  const vww = vwwClassFolders(path.join(outDir, 'data', 'vww'));
  const model = (name: string) => path.join(DEMO_DIR, 'models', `${name}.tflite`);
  return [
    { title: 'person_detect, layer-based', model: model('person_detect'), dataset: vww, schedule: { schedule: 'layer' }, int8Pixels: true, out: 'person_detect-layer' },
    { title: 'person_detect, patch-based (the planner\'s patch plan)', model: model('person_detect'), dataset: vww, schedule: { schedule: 'patch' }, int8Pixels: true, out: 'person_detect-patch' },
    // Split 21 on 2×2 patches: the plan whose arena plus streamed input stays below the layer-based peak.
    {
      title: 'mcunet-in3, patch-based (split 21, 2×2)', model: model('mcunet-in3_320kb-1mb_imagenet'), dataset: path.join(DEMO_DIR, 'imagenet'),
      schedule: { schedule: 'patch', split: 21, patches: 2 }, limit: imagenetLimit, out: 'mcunet-in3-patch',
    },
  ];
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(`Run the bundled demo kit on the emulated ${DEFAULT_BOARD} and print the reports (needs no board and no ../shared)`)
    .option('--out <dir>', 'output folder (default out/demo)')
    .option('--limit <n>', 'ImageNet images for mcunet-in3 (default 3; each costs ~20 s in QEMU)')
    .action(async (opts: { out?: string; limit?: string }) => {
      const outDir = path.resolve(opts.out ?? path.join('out', 'demo'));
      const limit = opts.limit === undefined ? 3 : positiveInteger('--limit', opts.limit);
      const reports: string[] = [];
      const outcomes: EvalOutcome[] = [];
      for (const step of demoSteps(outDir, limit)) {
        process.stderr.write(`demo: ${step.title} on ${DEFAULT_BOARD}\n`);
        const stepOut = path.join(outDir, step.out);
        // A fresh folder each time: the demo is a showcase, not a resumable evaluation.
        fs.rmSync(stepOut, { recursive: true, force: true });
        const outcome = await runOnBoard({
          board: DEFAULT_BOARD, modelFile: step.model, datasetDir: step.dataset, schedule: step.schedule,
          int8Pixels: step.int8Pixels, limit: step.limit, outDir: stepOut,
        });
        outcomes.push(outcome);
        process.stderr.write(`demo: ${sramText(outcome)}\n`);
        reports.push(writeMarkdownReport(outcome.results));
      }
      process.stdout.write(`${reports.join('\n')}\n`);
      const mismatches = outcomes.flatMap((o) => o.results.samples.filter((s) => s.matchesHost === false).map((s) => `${o.results.model}/${s.name}`));
      if (mismatches.length > 0) {
        process.stderr.write(`demo: board outputs differ from the host reference for ${mismatches.join(', ')}\n`);
        process.exitCode = 1;
      }
      process.stderr.write(`demo: results in ${outDir}\n`);
    });
}
