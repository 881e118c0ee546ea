// `mcubench plan <model | builtin:NAME?k=v>`: layer-based and MCUNetV2 patch-based memory plans.
import { Command } from 'commander';
import { loadBoard } from '../../boards';
import { boardPlanReport, boardPlanText } from '../../build/schedule-fit';
import { loadModel } from '../../model';
import { NativeModel } from '../../native';
import { foldShapeOps, packImage, Schedule } from '../../pack';
import { DEFAULT_MAX_MAC_OVERHEAD, isBuiltinSpec, loadBuiltin, planModel, PlanReport, PlanRequest } from '../../plan';
import { planJson, planText } from '../../plan/report';
import { UsageError } from '../../errors';
import { patchesOption, positiveInteger, splitOption } from '../options';

interface PlanOptions {
  split?: string; patches?: string; search?: boolean; maxMacOverhead?: string; json?: boolean; schedule?: string; board?: string;
}

/** Turns the flags into one request; combinations that mean nothing are usage errors. */
export function planRequest(o: PlanOptions): PlanRequest {
  if (o.schedule !== undefined) return scheduleOption(o);
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

function budget(raw: string | undefined): number {
  const limit = raw === undefined ? DEFAULT_MAX_MAC_OVERHEAD : Number(raw);
  if (!Number.isFinite(limit) || limit < 0 || (raw !== undefined && raw.trim() === '')) {
    throw new UsageError(`--max-mac-overhead ${raw}: expected a fraction >= 0 (0.2 allows 20 % more MACs)`);
  }
  return limit;
}

/** `--schedule layer|patch|auto`, the spelling run/build/infer use: patch alone is the planner's choice, auto the search. */
function scheduleOption(o: PlanOptions): PlanRequest {
  const kind = o.schedule!;
  if (o.search) throw new UsageError('--search is --schedule auto; give one of them');
  if (kind === 'layer') {
    if (o.split !== undefined || o.patches !== undefined) throw new UsageError('--split/--patches only apply with --schedule patch');
    return { mode: 'layer' };
  }
  if (kind === 'auto') {
    if (o.split !== undefined || o.patches !== undefined) throw new UsageError('--split/--patches only apply with --schedule patch');
    return { mode: 'search', maxMacOverhead: budget(o.maxMacOverhead) };
  }
  if (kind === 'patch') {
    if (o.split === undefined && o.patches === undefined) return { mode: 'patch-choice', maxMacOverhead: budget(o.maxMacOverhead) };
    if (o.split === undefined || o.patches === undefined) throw new UsageError('--split and --patches go together: give both, or neither for the planner\'s choice');
    return { mode: 'patch', split: positiveInteger('--split', o.split), patches: positiveInteger('--patches', o.patches) };
  }
  if (kind === 'stream') {
    if (o.patches !== undefined) throw new UsageError('--patches only applies with --schedule patch; a stream plan has no patches');
    if (o.split !== undefined) return { mode: 'stream', split: positiveInteger('--split', o.split) };
    return o.maxMacOverhead === undefined ? { mode: 'stream' } : { mode: 'stream', maxMacOverhead: budget(o.maxMacOverhead) };
  }
  throw new UsageError(`--schedule ${kind}: expected layer, patch, stream or auto`);
}

/** Packs every plan the report shows and loads it in the host runtime: a graph the runtime refuses is refused here. */
function checkRunnable(report: PlanReport, graph: Parameters<typeof packImage>[0]): void {
  const schedules: Schedule[] = [{ kind: 'layer', plan: report.layer }];
  if (report.patch) schedules.push({ kind: 'patch', plan: report.patch });
  if (report.stream) schedules.push({ kind: 'stream', plan: report.stream });
  for (const schedule of schedules) void new NativeModel(packImage(graph, schedule).bytes, `${graph.source} (${schedule.kind}-based)`);
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
    .option('--schedule <kind>', 'layer, patch (the planner\'s patch plan unless --split/--patches), stream (row bands with rings; column strips within --max-mac-overhead, default 0.05) or auto (= --search)')
    .option('--board <id>', 'add what the bench firmware needs on this board beyond the arena; say per schedule whether it fits')
    .option('--json', 'print one JSON object instead of the table')
    .action((model: string, opts: PlanOptions) => {
      const request = planRequest(opts);
      const builtin = isBuiltinSpec(model);
      if (builtin && opts.board) throw new UsageError('--board needs a .tflite model (a builtin graph has no weights to pack)');
      const board = opts.board ? loadBoard(opts.board) : undefined;
      // The graph the packer sees: static shape arithmetic folded, as every command that packs does.
      const graph = builtin ? loadBuiltin(model) : foldShapeOps(loadModel(model)).graph;
      const report = planModel(graph, request);
      if (!builtin) checkRunnable(report, graph);
      const patch: Schedule | undefined = report.patch ? { kind: 'patch', plan: report.patch } : undefined;
      const stream: Schedule | undefined = report.stream ? { kind: 'stream', plan: report.stream } : undefined;
      const onBoard = board ? boardPlanReport(graph, board, patch, budget(opts.maxMacOverhead), stream) : undefined;
      if (opts.json) {
        process.stdout.write(JSON.stringify({ ...planJson(report), ...(onBoard ? { board: onBoard } : {}) }) + '\n');
      } else {
        const label = report.patch ? `patch split ${report.patch.split}, ${report.patch.patches}x${report.patch.patches}` : undefined;
        process.stdout.write(planText(report) + (onBoard ? '\n' + boardPlanText(onBoard, label, report.stream !== undefined) : ''));
      }
    });
}
