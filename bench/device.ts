// `npm run bench:device`: guest instructions per inference on the emulated boards (QEMU -icount, deterministic),
// the bench firmware built with the portable reference kernels only (MCB_FORCE_REF) and with the Cortex-M DSP
// twins, in one run; per operator type instructions per MAC, twins/references, and the ratio against TFLM +
// CMSIS-NN measured on the same QEMU machines with the same method (fixed figures: ../shared/research/
// peer-baselines.md). Then, with the twins, patch vs layer on the boards that fit both (bench/patch-vs-layer.ts).
// Every board output must equal TFLM's golden output and the host's, or the bench fails.
//   npm run bench:device
//   npm run bench:device -- --boards emu-f746 --models person_detect --variants twins [--ops] [--no-patch]
import * as fs from 'fs';
import * as path from 'path';
import { loadBoard } from '../harness/boards';
import { opTypesInImage } from '../harness/build';
import { loadModel, type Graph } from '../harness/model';
import { packImage, readImageSummary } from '../harness/pack';
import { OP_CODES, SECTION_IDS } from '../harness/pack/image-ids';
import { OP_RECORD_BYTES } from '../harness/pack/image-layout';
import { planLayers } from '../harness/plan';
import { BoardExecutor } from '../harness/run/board-executor';
import { prepareBoardFirmware, prepareBoardImage } from '../harness/build/board-firmware';
import type { BenchKernels } from '../harness/build/bench-firmware';
import type { ScheduleRequest } from '../harness/pack/select-schedule';
import { selectSchedule } from '../harness/pack/select-schedule';
import { atLayerRates, compare, formatComparison, PATCH_COMPARISONS, patchCandidates } from './patch-vs-layer';

const REPO_ROOT = path.resolve(__dirname, '..');
const SHARED = process.env.MCUBENCH_SHARED ?? path.resolve(REPO_ROOT, '..', 'shared');

/** TFLM 90b983c2 + CMSIS-NN 4ab83cc3, gcc 12.2 -O2, QEMU -icount shift=0 (peer-baselines.md); M7 = emu-f746, M4 = emu-f412. */
const CMSIS_NN: Record<string, Partial<Record<string, number>>> = {
  person_detect: { 'emu-f746': 22_716_320, 'emu-f412': 22_928_840 },
  'mcunet-in3_320kb-1mb_imagenet': { 'emu-f746': 387_968_080, 'emu-f412': 395_307_920 },
  mlperf_tiny_vww_96_int8: { 'emu-f746': 24_026_000 },
  mlperf_tiny_ic_pretrainedResnet_quant: { 'emu-f746': 30_024_080 },
};
const DEFAULT_MODELS = Object.keys(CMSIS_NN);
const DEFAULT_BOARDS = ['emu-f746', 'emu-f412'];
const VARIANTS: Record<string, BenchKernels> = { reference: { forceRef: true }, twins: {} };
/** The issue's target: at most half of TFLM + CMSIS-NN's instructions. */
const TARGET_RATIO = 0.5;

interface Options { boards: string[]; models: string[]; variants: string[]; ops: boolean; patch: boolean }

function parseArgs(argv: string[]): Options {
  const opts: Options = { boards: DEFAULT_BOARDS, models: DEFAULT_MODELS, variants: Object.keys(VARIANTS), ops: false, patch: true };
  for (let i = 0; i < argv.length; i++) {
    const value = (): string[] => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${argv[i - 1]} needs a value`);
      return v.split(',');
    };
    const arg = argv[i];
    if (arg === '--boards') opts.boards = value();
    else if (arg === '--models') opts.models = value();
    else if (arg === '--variants') opts.variants = value();
    else if (arg === '--ops') opts.ops = true;
    else if (arg === '--no-patch') opts.patch = false;
    else throw new Error(`unknown option ${arg}; use --boards a,b --models a,b --variants reference,twins --ops --no-patch`);
  }
  for (const v of opts.variants) if (!VARIANTS[v]) throw new Error(`unknown variant ${v}; known: ${Object.keys(VARIANTS).join(', ')}`);
  return opts;
}

/** The model's first golden vector (input and TFLM's output). */
function goldenVector(model: string): { name: string; input: Uint8Array; output: Uint8Array } {
  const dir = path.join(SHARED, 'golden');
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { models: Record<string, { vectors: string[] }> };
  const entry = manifest.models[model];
  if (!entry) throw new Error(`${model}: no golden vectors in ${dir}/manifest.json`);
  const name = entry.vectors[0];
  return { name, input: fs.readFileSync(path.join(dir, model, `${name}.bin`)), output: fs.readFileSync(path.join(dir, model, `${name}.out`)) };
}

/** Operator type and MACs of each image operator, in execution order (the board reports one latency per image op). */
function imageOps(graph: Graph, image: Uint8Array): { type: string; macs: number; graphIndex: number }[] {
  const plan = planLayers(graph);
  const names = new Map(Object.entries(OP_CODES).map(([name, code]) => [code, name]));
  const ops = readImageSummary(image).sections.find((s) => s.id === SECTION_IDS.OPS);
  if (!ops) return [];
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  return Array.from({ length: ops.count }, (_, i) => {
    const at = ops.offset + i * OP_RECORD_BYTES;
    const graphIndex = view.getUint32(at + 20, true);
    return { type: names.get(view.getUint16(at, true)) ?? '?', macs: plan.ops[graphIndex]?.macs ?? 0, graphIndex };
  });
}

interface Measured {
  instructions: number;
  perType: Map<string, { instructions: number; macs: number }>;
  perOp: { type: string; macs: number; graphIndex: number; instructions: number }[];
  exact: boolean;
  text: number;
  /** The schedule that ran. */
  schedule: string;
}

/** The layer schedule, or the best-fitting patch plan the fit check names when the layer plan does not fit the board. */
function boardSchedule(board: string, model: string, graph: Graph): ScheduleRequest {
  try {
    prepareBoardImage({ board: loadBoard(board), graph, modelName: model, schedule: { schedule: 'layer' } });
    return { schedule: 'layer' };
  } catch (err) {
    // The fit check names the best-fitting patch plan: "try --schedule patch --split N --patches P".
    const hint = /--split (\d+) --patches (\d+)/.exec((err as Error).message);
    if (!/does not fit/.test((err as Error).message) || !hint) throw err;
    return { schedule: 'patch', split: Number(hint[1]), patches: Number(hint[2]) };
  }
}

/** Runs the first golden vector on the board under `request` (default: the board's schedule, boardSchedule). */
async function measure(board: string, model: string, graph: Graph, kernels: BenchKernels, request?: ScheduleRequest): Promise<Measured> {
  const vector = goldenVector(model);
  const executor = await BoardExecutor.open({ board, graph, modelName: model, schedule: request ?? boardSchedule(board, model, graph), kernels });
  const s = executor.schedule;
  const schedule = s.kind === 'patch' ? `patch (split ${s.plan.split}, ${s.plan.patches}x${s.plan.patches}${request ? '' : ': the layer plan does not fit'})` : s.kind;
  try {
    const run = await executor.run(vector.name, vector.input);
    const extra = run.extra as { matchesHost: boolean; opLatency: number[] };
    // One entry per image operator, a patch-stage op timed over all its patches: its MACs are the schedule's
    // (halo recomputation included), so instructions per MAC stay right under a patch schedule.
    // The graph operator behind each image operator, for the patch-vs-layer prediction at layer rates.
    const graphIndex = imageOps(graph, packImage(graph, executor.schedule).bytes).map((op) => op.graphIndex);
    const ops = executor.ops.map((op, i) => ({ type: op.type, macs: op.macs, graphIndex: graphIndex[i] ?? -1 }));
    if (extra.opLatency.length !== ops.length) {
      throw new Error(`${board} ${model}: the board reported ${extra.opLatency.length} per-op latencies for ${ops.length} operators (firmware older than the per-op timing?)`);
    }
    const perType = new Map<string, { instructions: number; macs: number }>();
    extra.opLatency.forEach((latency, i) => {
      const op = ops[i] ?? { type: '?', macs: 0, graphIndex: -1 };
      const entry = perType.get(op.type) ?? { instructions: 0, macs: 0 };
      entry.instructions += latency;
      entry.macs += op.macs;
      perType.set(op.type, entry);
    });
    const exact = extra.matchesHost && Buffer.from(run.output).equals(Buffer.from(vector.output));
    if (run.latency === undefined) throw new Error(`${board} reported no latency`);
    const perOp = extra.opLatency.map((instructions, i) => ({ ...(ops[i] ?? { type: '?', macs: 0, graphIndex: -1 }), instructions }));
    return { instructions: run.latency, perType, perOp, exact, text: executor.firmware.sizes.text, schedule };
  } finally {
    await executor.close();
  }
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const per = (a: number, b: number): string => (b > 0 ? (a / b).toFixed(2) : '-');

/** Flash code of the person_detect bench firmware with every operator against only the model's (op_table.c). */
async function flashSaved(board: string): Promise<void> {
  const model = 'person_detect';
  const graph = loadModel(path.join(SHARED, 'models', `${model}.tflite`));
  const resolved = loadBoard(board);
  const build = (opsOnlyUsed: boolean) => prepareBoardFirmware({ board: resolved, graph, modelName: model, schedule: { schedule: 'layer' }, kernels: { opsOnlyUsed } });
  const all = await build(false);
  const used = await build(true);
  const ops = opTypesInImage(used.image.bytes);
  console.log(`\nper-model operator table (${board}, ${model}: ${ops.join(', ')}): .text ${int(all.firmware.sizes.text)} B with every operator, ` +
    `${int(used.firmware.sizes.text)} B with the model's only: ${int(all.firmware.sizes.text - used.firmware.sizes.text)} B of flash saved`);
}

/**
 * Where patching costs, per operator (both runs report one entry per image operator, a stage op summed over its
 * patches): the stage's operators against the same operators run once, the worst of them, and the ops after it.
 */
function stageBreakdown(layer: Measured['perOp'], patch: Measured['perOp'], split: number): string {
  const total = (ops: Measured['perOp'], key: 'instructions' | 'macs', from: number, to: number): number =>
    ops.slice(from, to).reduce((sum, op) => sum + op[key], 0);
  const pct = (after: number, before: number): string => {
    if (!(before > 0)) return '-';
    const change = (after / before - 1) * 100;
    return Math.abs(change) < 0.05 ? '±0.0 %' : `${change > 0 ? '+' : ''}${change.toFixed(1)} %`;
  };
  const worst = Array.from({ length: split }, (_, i) => i)
    .reduce((a, b) => (patch[b].instructions / Math.max(1, layer[b].instructions) > patch[a].instructions / Math.max(1, layer[a].instructions) ? b : a), 0);
  return `    ops 0-${split - 1} (the stage): ${int(total(layer, 'instructions', 0, split))} -> ${int(total(patch, 'instructions', 0, split))} instructions ` +
    `(${pct(total(patch, 'instructions', 0, split), total(layer, 'instructions', 0, split))}) for ${pct(total(patch, 'macs', 0, split), total(layer, 'macs', 0, split))} MACs; ` +
    `worst op ${worst} ${patch[worst].type} x${(patch[worst].instructions / Math.max(1, layer[worst].instructions)).toFixed(2)}; ` +
    `ops after the stage ${pct(total(patch, 'instructions', split, patch.length), total(layer, 'instructions', split, layer.length))}`;
}

/**
 * Patch vs layer with the twins, on the boards that fit the layer schedule (PATCH_COMPARISONS within --boards and
 * --models): the planner's patch plan, and the plan a smaller board runs the model with. Returns false when a
 * run is not bit-exact (a missed latency target is printed, not fatal: the section reports where patching costs).
 */
async function patchVsLayer(opts: Options, measured: Map<string, Measured>): Promise<boolean> {
  const pairs = PATCH_COMPARISONS.filter((p) => opts.boards.includes(p.board) && opts.models.includes(p.model));
  if (pairs.length === 0) return true;
  console.log(`\npatch vs layer (twins): latency overhead = patch / layer instructions - 1, MAC overhead from the planner`);
  let ok = true;
  for (const { board, model } of pairs) {
    const graph = loadModel(path.join(SHARED, 'models', `${model}.tflite`));
    if (boardSchedule(board, model, graph).schedule !== 'layer') {
      console.log(`${board}  ${model}: the layer plan does not fit, nothing to compare`);
      continue;
    }
    const layer = measured.get(`${board} ${model} twins`) ?? await measure(board, model, graph, VARIANTS.twins, { schedule: 'layer' });
    const elsewhere = DEFAULT_BOARDS.filter((b) => b !== board).map((b) => ({ board: b, schedule: boardSchedule(b, model, graph) }));
    console.log(`${board}  ${model}  layer ${int(layer.instructions)} instructions${layer.exact ? '  bit-exact' : '  DIFFERS'}`);
    for (const candidate of patchCandidates(graph, elsewhere)) {
      const patch = await measure(board, model, graph, VARIANTS.twins, { schedule: 'patch', split: candidate.split, patches: candidate.patches });
      if (!patch.exact || !layer.exact) {
        ok = false;
        console.error(`ERROR: ${board} ${model} patch split ${candidate.split}, ${candidate.patches}x${candidate.patches}: the board output differs from TFLM's golden output or the host's`);
      }
      const plan = selectSchedule(graph, { schedule: 'patch', split: candidate.split, patches: candidate.patches });
      const predicted = plan.kind === 'patch' ? atLayerRates(graph, plan.plan, layer.perOp) : layer.instructions;
      const row = compare(candidate, layer.instructions, patch.instructions, predicted);
      console.log(`${formatComparison(row)}${patch.exact ? '  bit-exact' : '  DIFFERS'}`);
      console.log(stageBreakdown(layer.perOp, patch.perOp, candidate.split));
    }
  }
  return ok;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  console.log('mcubench bench:device — QEMU -icount shift=0: guest instructions per inference (not cycles), first golden vector, ' +
    'layer schedule (the best-fitting patch plan where it does not fit the board)');
  let ok = true;
  const measured = new Map<string, Measured>();
  for (const board of opts.boards) {
    for (const model of opts.models) {
      const graph = loadModel(path.join(SHARED, 'models', `${model}.tflite`));
      const macs = planLayers(graph).macs;
      const results = new Map<string, Measured>();
      for (const variant of opts.variants) {
        const m = await measure(board, model, graph, VARIANTS[variant]);
        results.set(variant, m);
        measured.set(`${board} ${model} ${variant}`, m);
        if (!m.exact) {
          ok = false;
          console.error(`ERROR: ${board} ${model} ${variant}: the board output differs from TFLM's golden output or the host's`);
        }
      }
      const peer = CMSIS_NN[model]?.[board];
      console.log(`\n${board}  ${model}  (${int(macs)} MACs)`);
      for (const [variant, m] of results) {
        const vsPeer = peer ? `  ${(m.instructions / peer).toFixed(3)}x TFLM+CMSIS-NN (${int(peer)})${variant === 'twins' ? (m.instructions <= peer * TARGET_RATIO ? ' target met' : ' TARGET MISSED') : ''}` : '';
        if (m.schedule !== 'layer') console.log(`  ${variant}: ${m.schedule}`);
        console.log(`  ${variant.padEnd(9)}  ${int(m.instructions).padStart(14)} instructions  ${per(m.instructions, macs).padStart(6)} / MAC  .text ${int(m.text)} B${m.exact ? '  bit-exact' : '  DIFFERS'}${vsPeer}`);
      }
      const ref = results.get('reference');
      const twins = results.get('twins');
      if (ref && twins) console.log(`  twins / reference: ${(twins.instructions / ref.instructions).toFixed(3)}`);
      const types = [...new Set([...results.values()].flatMap((m) => [...m.perType.keys()]))]
        .sort((a, b) => (twins ?? ref)!.perType.get(b)!.instructions - (twins ?? ref)!.perType.get(a)!.instructions);
      console.log(`  ${'op type'.padEnd(24)} ${'MACs'.padStart(12)}  ${opts.variants.map((v) => `${v} instr (/MAC)`.padStart(28)).join('')}${ref && twins ? '  twins/ref' : ''}`);
      for (const type of types) {
        const cells = opts.variants.map((v) => {
          const e = results.get(v)!.perType.get(type);
          return e ? `${int(e.instructions)} (${per(e.instructions, e.macs)})`.padStart(28) : '-'.padStart(28);
        });
        const macsOfType = (twins ?? ref)!.perType.get(type)?.macs ?? 0;
        const r = ref?.perType.get(type);
        const t = twins?.perType.get(type);
        console.log(`  ${type.padEnd(24)} ${int(macsOfType).padStart(12)}  ${cells.join('')}${r && t ? `  ${(t.instructions / r.instructions).toFixed(3)}` : ''}`);
      }
      if (opts.ops) {
        for (const [variant, m] of results) {
          console.log(`  per operator (${variant}):`);
          m.perOp.forEach((op, i) => console.log(`    ${String(i).padStart(3)} ${op.type.padEnd(22)} ${int(op.macs).padStart(11)} MACs ${int(op.instructions).padStart(12)} instr ${per(op.instructions, op.macs).padStart(6)} / MAC`));
        }
      }
    }
  }
  if (opts.patch && opts.variants.includes('twins')) ok = (await patchVsLayer(opts, measured)) && ok;
  if (opts.boards.includes('emu-f746')) await flashSaved('emu-f746');
  if (!ok) process.exit(1);
}

main().catch((err: unknown) => {
  console.error(`bench:device: ${(err as Error).message}`);
  process.exit(1);
});
