// `mcubench plan <model | builtin:NAME?k=v>`: layer-based and MCUNetV2 patch-based memory plans.
import { Command } from 'commander';
import { loadModel } from '../../model';
import { DEFAULT_MAX_MAC_OVERHEAD, isBuiltinSpec, loadBuiltin, planModel, PlanRequest } from '../../plan';
import { planJson, planText } from '../../plan/report';
import { UsageError } from '../../errors';
import { patchesOption, positiveInteger, splitOption } from '../options';

interface PlanOptions { split?: string; patches?: string; search?: boolean; maxMacOverhead?: string; json?: boolean }

/** Turns the flags into one request; combinations that mean nothing are usage errors. */
export function planRequest(o: PlanOptions): PlanRequest {
  const manual = o.split !== undefined || o.patches !== undefined;
  if (manual && o.search) throw new UsageError('use either --split N --patches P or --search, not both');
  if (o.maxMacOverhead !== undefined && !o.search) throw new UsageError('--max-mac-overhead only applies with --search');
  if (manual) {
    if (o.split === undefined || o.patches === undefined) throw new UsageError('--split and --patches go together: give both (e.g. --split 13 --patches 4)');
    return { mode: 'patch', split: positiveInteger('--split', o.split), patches: positiveInteger('--patches', o.patches) };
  }
  if (o.search) {
    const raw = o.maxMacOverhead;
    const limit = raw === undefined ? DEFAULT_MAX_MAC_OVERHEAD : Number(raw);
    if (!Number.isFinite(limit) || limit < 0 || (raw !== undefined && raw.trim() === '')) {
      throw new UsageError(`--max-mac-overhead ${raw}: expected a fraction >= 0 (0.2 allows 20 % more MACs)`);
    }
    return { mode: 'search', maxMacOverhead: limit };
  }
  return { mode: 'layer' };
}

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('Plan activation memory: layer-based peak and arena, optionally MCUNetV2 patch-based inference')
    .argument('<model>', 'a .tflite file, or builtin:mobilenetv2?width=1.0&resolution=224 / builtin:mcunet?resolution=176')
    .addOption(splitOption('run the first n operators patch by patch (needs --patches)'))
    .addOption(patchesOption('p x p patch grid over the split output (needs --split)'))
    .option('--search', 'try every legal split and p = 1..8; pick the lowest peak within the MAC budget')
    .option('--max-mac-overhead <x>', `MAC budget of --search as a fraction (default ${DEFAULT_MAX_MAC_OVERHEAD})`)
    .option('--json', 'print one JSON object instead of the table')
    .action((model: string, opts: PlanOptions) => {
      const request = planRequest(opts);
      const graph = isBuiltinSpec(model) ? loadBuiltin(model) : loadModel(model);
      const report = planModel(graph, request);
      process.stdout.write(opts.json ? JSON.stringify(planJson(report)) + '\n' : planText(report));
    });
}
