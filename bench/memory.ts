// `npm run bench:memory`: peak SRAM of every shared model on the emulated boards under the layer schedule, the
// planner's patch plan (at most +20 % MACs) and the stream plan (rings, no recomputation): the planned peak and
// the measured total (static + stack high-water + arena high-water, read from the board), the reductions against
// the layer schedule measured in the same run, MAC overheads, and bit-exactness against the host. Targets are
// printed, not asserted. A schedule that does not fit a board (SRAM or flash) says so with the need.
//   npm run bench:memory
//   npm run bench:memory -- --boards emu-f746 --models person_detect,mcunet-in3_320kb-1mb_imagenet
import * as fs from 'fs';
import * as path from 'path';
import { loadModel, type Graph } from '../harness/model';
import { foldShapeOps, packImage } from '../harness/pack';
import { readImage } from '../harness/pack/read-image';
import type { ScheduleRequest } from '../harness/pack/select-schedule';
import { selectSchedule } from '../harness/pack/select-schedule';
import { loadBuiltin, planPatches } from '../harness/plan';
import { mainSramBytes } from '../harness/metrics/sram';
import { BoardExecutor } from '../harness/run/board-executor';

const REPO_ROOT = path.resolve(__dirname, '..');
const SHARED = process.env.MCUBENCH_SHARED ?? path.resolve(REPO_ROOT, '..', 'shared');
const SCHEDULES: { name: 'layer' | 'patch' | 'stream'; request: ScheduleRequest }[] = [
  { name: 'layer', request: { schedule: 'layer' } },
  { name: 'patch', request: { schedule: 'patch', maxMacOverhead: 0.2 } },
  { name: 'stream', request: { schedule: 'stream' } },
];

interface Options { boards: string[]; models: string[] }

function parseArgs(argv: string[]): Options {
  const models = fs.readdirSync(path.join(SHARED, 'models')).filter((f) => f.endsWith('.tflite')).map((f) => f.replace(/\.tflite$/, '')).sort();
  const opts: Options = { boards: ['emu-f746', 'emu-f412'], models };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1];
    if (argv[i] === '--boards' && v) { opts.boards = v.split(','); i++; } else if (argv[i] === '--models' && v) { opts.models = v.split(','); i++; } else {
      throw new Error(`unknown option ${argv[i]}; use --boards a,b --models a,b`);
    }
  }
  return opts;
}

/** The first golden input of the model, or deterministic bytes of the right size. */
function inputFor(model: string, bytes: number): { name: string; data: Uint8Array } {
  const dir = path.join(SHARED, 'golden', model);
  const bin = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.bin')).sort()[0] : undefined;
  if (bin) {
    const data = fs.readFileSync(path.join(dir, bin));
    if (data.length === bytes) return { name: bin.replace(/\.bin$/, ''), data };
  }
  const data = new Uint8Array(bytes);
  let x = 1;
  for (let i = 0; i < bytes; i++) { x = (x * 1103515245 + 12345) >>> 0; data[i] = x >>> 24; }
  return { name: 'pseudo-random', data };
}

interface Row { model: string; board: string; schedule: string; planned?: number; measured?: number; macOverhead?: number; exact?: boolean; inputStreamed?: boolean; note?: string }

async function measure(board: string, model: string, graph: Graph, s: (typeof SCHEDULES)[number]): Promise<Row> {
  const row: Row = { model, board, schedule: s.name };
  let executor: BoardExecutor | undefined;
  try {
    const schedule = selectSchedule(graph, s.request);
    row.planned = schedule.plan.peakBytes;
    row.macOverhead = schedule.kind === 'layer' ? 0 : schedule.plan.macOverhead;
    if (schedule.kind === 'patch') row.schedule = `patch ${schedule.plan.split}/${schedule.plan.patches}x${schedule.plan.patches}`;
    if (schedule.kind === 'stream') row.schedule = `stream (input..op ${schedule.plan.split - 1}, +${schedule.plan.segments.length - (schedule.plan.split > 0 ? 1 : 0)} blocks)`;
    executor = await BoardExecutor.open({ board, graph, modelName: model, schedule: s.request });
    const input = inputFor(model, readImage(packImage(graph, schedule).bytes).inputBytes);
    const run = await executor.run(input.name, input.data);
    const extra = run.extra as { matchesHost: boolean; stackHighWater: number; arenaHighWater: number };
    row.measured = mainSramBytes({ staticBytes: executor.staticBytes, stackBytes: extra.stackHighWater, arenaBytes: extra.arenaHighWater });
    row.exact = extra.matchesHost;
    row.inputStreamed = executor.inputStreamed;
  } catch (err) {
    row.note = (err as Error).message.replace(/\s+/g, ' ').slice(0, 160);
  } finally {
    await executor?.close();
  }
  return row;
}

const int = (n: number | undefined): string => (n === undefined ? '-' : Math.round(n).toLocaleString('en-US'));
const pct = (x: number | undefined): string => (x === undefined ? '-' : `+${(x * 100).toFixed(1)} %`);

function printTargets(rows: Row[]): void {
  console.log('\ntargets (printed, not asserted):');
  for (const r of rows.filter((x) => x.model.startsWith('mcunet-in3') && x.measured !== undefined)) {
    const ok = r.measured! <= 102_400 && (r.macOverhead ?? 1) <= 0.05 && r.exact;
    console.log(`  mcunet-in3 on ${r.board}, ${r.schedule}: measured total ${int(r.measured)} B at ${pct(r.macOverhead)} MACs, ` +
      `bit-exact ${r.exact}, input streamed ${r.inputStreamed} — target <= 102,400 B at <= +5 %: ${ok ? 'met' : 'not met'}`);
  }
  const mbv2 = loadBuiltin('builtin:mobilenetv2');
  const stream = selectSchedule(mbv2, { schedule: 'stream' });
  console.log(`  builtin:mobilenetv2 (analytic), stream plan: peak ${int(stream.plan.peakBytes)} B = ${(stream.plan.peakBytes / 1024).toFixed(1)} kB at +0.0 % MACs` +
    ` — target <= 96 kB at <= +5 %: ${stream.plan.peakBytes <= 96 * 1024 ? 'met' : 'not met'}`);
  const table1 = planPatches(mbv2, 13, 4);
  console.log(`  builtin:mobilenetv2 --schedule patch --split 13 --patches 4: peak ${int(table1.peakBytes)} B (Table 1: 175,616 B = 171.5 kB), ` +
    `input patch ${table1.inputPatch.join('x')} (75x75), MACs ${(table1.macs / 1e6).toFixed(2)}M (${pct(table1.macOverhead)})`);
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const rows: Row[] = [];
  console.log('model | board | schedule | planned peak B | measured total B | reduction (measured, vs layer) | MACs | bit-exact | input streamed');
  for (const model of opts.models) {
    const graph = foldShapeOps(loadModel(path.join(SHARED, 'models', `${model}.tflite`))).graph;
    for (const board of opts.boards) {
      let layerMeasured: number | undefined;
      for (const s of SCHEDULES) {
        const row = await measure(board, model, graph, s);
        rows.push(row);
        if (s.name === 'layer') layerMeasured = row.measured;
        const reduction = row.measured !== undefined && layerMeasured !== undefined ? `${(layerMeasured / row.measured).toFixed(2)}x` : '-';
        console.log(`${model} | ${board} | ${row.schedule} | ${int(row.planned)} | ${row.note ? row.note : int(row.measured)} | ${reduction} | ${pct(row.macOverhead)} | ${row.exact ?? '-'} | ${row.inputStreamed ?? '-'}`);
      }
    }
  }
  printTargets(rows);
}

main().catch((err) => {
  console.error(`bench:memory: ${(err as Error).message}`);
  process.exit(1);
});
