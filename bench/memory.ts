// `npm run bench:memory`: peak SRAM of every shared model on the emulated boards under the layer schedule, the
// planner's patch plan (at most +20 % MACs) and the stream plan (rings; column strips within +5 % MACs): the
// planned peak and the measured total (static + stack high-water + arena high-water, read from the board), the
// reduction from the layer schedule to the best schedule measured in the same run, MAC overheads, and
// bit-exactness against the host. One input per model (its first golden sample), firmware builds cached. A model
// whose image does not fit a board's flash is listed as such; a schedule that does not fit the SRAM says so with
// its need. Where the measured reduction is below 3x the summary says why. Targets are printed, not asserted.
//   npm run bench:memory
//   npm run bench:memory -- --boards emu-f746 --models person_detect,mcunet-in3_320kb-1mb_imagenet
import * as fs from 'fs';
import * as path from 'path';
import { loadBoard } from '../harness/boards';
import { scheduleFit } from '../harness/build/schedule-fit';
import { loadModel, type Graph } from '../harness/model';
import { foldShapeOps, packImage } from '../harness/pack';
import { readImage } from '../harness/pack/read-image';
import type { Schedule } from '../harness/pack/schedule';
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
/** The claim the table checks: the best schedule needs at most a third of the layer schedule's SRAM. */
const TARGET_REDUCTION = 3;

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

interface Row {
  model: string; board: string; kind: 'layer' | 'patch' | 'stream'; schedule: string;
  planned?: number; macOverhead?: number;
  /** Where the planned peak sits, for the summary's "why". */
  peakWhere?: string;
  measured?: number; staticBytes?: number; stackBytes?: number; arenaBytes?: number; exact?: boolean; inputStreamed?: boolean;
  /** The fit formula's need when the plan does not fit the board's SRAM (nothing measured). */
  needBytes?: number;
  flashTooSmall?: boolean;
  note?: string;
}

function describe(schedule: Schedule): { label: string; where: string } {
  if (schedule.kind === 'layer') return { label: 'layer', where: `op ${schedule.plan.peakOp}` };
  const p = schedule.plan;
  if (schedule.kind === 'patch') {
    return { label: `patch ${p.split}/${schedule.plan.patches}x${schedule.plan.patches}`, where: p.peakStep < p.split ? 'inside the patch stage' : `op ${p.peakStep} of the layer-based rest` };
  }
  const s = schedule.plan;
  const later = s.segments.length - (s.split > 0 ? 1 : 0);
  const inSegment = s.segments.some((g) => s.peakStep >= g.first && s.peakStep < g.end);
  return {
    label: `stream ${s.split > 0 ? `input..op ${s.split - 1}${s.strips > 1 ? ` in ${s.strips} strips` : ''}` : 'no prefix'}${later ? `, +${later} blocks` : ''}`,
    where: inSegment ? `op ${s.peakStep}, inside a streamed segment` : `op ${s.peakStep}, run layer by layer`,
  };
}

async function measure(board: string, model: string, graph: Graph, s: (typeof SCHEDULES)[number]): Promise<Row> {
  const row: Row = { model, board, kind: s.name, schedule: s.name };
  let executor: BoardExecutor | undefined;
  let schedule: Schedule | undefined;
  try {
    schedule = selectSchedule(graph, s.request);
    row.planned = schedule.plan.peakBytes;
    row.macOverhead = schedule.kind === 'layer' ? 0 : schedule.plan.macOverhead;
    ({ label: row.schedule, where: row.peakWhere } = describe(schedule));
    executor = await BoardExecutor.open({ board, graph, modelName: model, schedule: s.request });
    const input = inputFor(model, readImage(packImage(graph, schedule).bytes).inputBytes);
    const run = await executor.run(input.name, input.data);
    const extra = run.extra as { matchesHost: boolean; stackHighWater: number; arenaHighWater: number };
    row.staticBytes = executor.staticBytes;
    row.stackBytes = extra.stackHighWater;
    row.arenaBytes = extra.arenaHighWater;
    row.measured = mainSramBytes({ staticBytes: executor.staticBytes, stackBytes: extra.stackHighWater, arenaBytes: extra.arenaHighWater });
    row.exact = extra.matchesHost;
    row.inputStreamed = executor.inputStreamed;
  } catch (err) {
    const message = (err as Error).message.replace(/\s+/g, ' ');
    row.flashTooSmall = /model image \(\d+ B\) and the firmware code/.test(message);
    if (schedule && /does not fit/.test(message) && !row.flashTooSmall) row.needBytes = scheduleFit(graph, loadBoard(board), schedule).needBytes;
    row.note = row.flashTooSmall ? `does not fit the flash: ${message.replace(/^.*?: the model image/, 'the model image').slice(0, 140)}`
      : row.needBytes !== undefined ? `does not fit the SRAM: needs ${int(row.needBytes)} B` : message.slice(0, 160);
  } finally {
    await executor?.close();
  }
  return row;
}

const int = (n: number | undefined): string => (n === undefined ? '-' : Math.round(n).toLocaleString('en-US'));
const pct = (x: number | undefined): string => (x === undefined ? '-' : `+${(x * 100).toFixed(1)} %`);
const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}x`;

/** Why the best schedule's measured total is not a third of the layer schedule's. */
function whyBelowTarget(layer: Row, best: Row): string {
  const fixed = best.staticBytes! + best.stackBytes!;
  const plannedReduction = layer.planned! / best.planned!;
  const reasons: string[] = [];
  if (plannedReduction < TARGET_REDUCTION) {
    reasons.push(`the planned peak drops only ${plannedReduction.toFixed(2)}x (${int(layer.planned)} -> ${int(best.planned)} B; best's peak at ${best.peakWhere})`);
  }
  if (fixed * TARGET_REDUCTION > layer.measured! || fixed >= best.arenaBytes!) {
    reasons.push(`static data and stack (${int(best.staticBytes)} + ${int(best.stackBytes)} B) stay whatever the schedule; arena ${int(best.arenaBytes)} B`);
  }
  if (reasons.length === 0) reasons.push(`static data and stack ${int(fixed)} B beside the arena's ${int(best.arenaBytes)} B`);
  return reasons.join('; ');
}

function printSummary(rows: Row[], models: string[], boards: string[]): void {
  console.log(`\nreduction, layer -> best schedule (measured totals; target >= ${TARGET_REDUCTION}x, or why not):`);
  console.log('model | board | layer B | best schedule | best B | measured reduction | planned reduction | MACs | why below target');
  for (const model of models) {
    for (const board of boards) {
      const mine = rows.filter((r) => r.model === model && r.board === board);
      const layer = mine.find((r) => r.kind === 'layer');
      if (!layer) continue;
      if (mine.every((r) => r.flashTooSmall)) {
        console.log(`${model} | ${board} | - | - | - | - | - | - | the model does not fit the board's flash`);
        continue;
      }
      const measured = mine.filter((r) => r.measured !== undefined && r.kind !== 'layer');
      const best = measured.sort((a, b) => a.measured! - b.measured! || (a.macOverhead ?? 0) - (b.macOverhead ?? 0))[0];
      if (!best) {
        console.log(`${model} | ${board} | ${layer.measured !== undefined ? int(layer.measured) : layer.note} | - | - | - | - | - | no patch or stream plan ran: ${mine.filter((r) => r.kind !== 'layer').map((r) => `${r.kind}: ${r.note}`).join('; ')}`);
        continue;
      }
      const base = layer.measured ?? layer.needBytes;
      const baseText = layer.measured !== undefined ? int(layer.measured) : `${int(layer.needBytes)} (need; does not fit)`;
      const reduction = base !== undefined ? base / best.measured! : undefined;
      const why = reduction === undefined ? 'layer schedule neither ran nor has a need estimate'
        : reduction >= TARGET_REDUCTION ? '' : whyBelowTarget({ ...layer, measured: base }, best);
      console.log(`${model} | ${board} | ${baseText} | ${best.schedule} | ${int(best.measured)} | ${reduction === undefined ? '-' : `${reduction.toFixed(2)}x`} | ` +
        `${ratio(layer.planned!, best.planned!)} | ${pct(best.macOverhead)} | ${why}`);
    }
  }
}

function printTargets(rows: Row[]): void {
  console.log('\ntargets (printed, not asserted):');
  for (const r of rows.filter((x) => x.model.startsWith('mcunet-in3') && x.measured !== undefined)) {
    const ok = r.measured! <= 102_400 && (r.macOverhead ?? 1) <= 0.05 && r.exact;
    console.log(`  mcunet-in3 on ${r.board}, ${r.schedule}: measured total ${int(r.measured)} B at ${pct(r.macOverhead)} MACs, ` +
      `bit-exact ${r.exact}, input streamed ${r.inputStreamed} — target <= 102,400 B at <= +5 %: ${ok ? 'met' : 'not met'}`);
  }
  for (const r of rows.filter((x) => x.model === 'tinyengine_person_detection' && x.board === 'emu-f412')) {
    console.log(`  tinyengine_person_detection on emu-f412, ${r.schedule}: ${r.measured !== undefined ? `runs, measured total ${int(r.measured)} B, bit-exact ${r.exact}` : r.note}`);
  }
  const mbv2 = loadBuiltin('builtin:mobilenetv2');
  const stream = selectSchedule(mbv2, { schedule: 'stream' });
  if (stream.kind !== 'stream') throw new Error('expected a stream plan');
  const peak = stream.plan.peakBytes;
  console.log(`  builtin:mobilenetv2 (analytic), stream plan (${describe(stream).label}): peak ${int(peak)} B = ${(peak / 1000).toFixed(1)} kB = ` +
    `${(peak / 1024).toFixed(1)} KiB at ${pct(stream.plan.macOverhead)} MACs — target <= 96 kB (96,000 B; 96 KiB = 98,304 B) at <= +5 %: ` +
    `${peak <= 96_000 && stream.plan.macOverhead <= 0.05 ? 'met' : 'not met'}`);
  const table1 = planPatches(mbv2, 13, 4);
  console.log(`  builtin:mobilenetv2 --schedule patch --split 13 --patches 4: peak ${int(table1.peakBytes)} B (Table 1: 175,616 B = 171.5 KiB), ` +
    `input patch ${table1.inputPatch.join('x')} (75x75), MACs ${(table1.macs / 1e6).toFixed(2)}M (${pct(table1.macOverhead)})`);
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const rows: Row[] = [];
  const total = opts.models.length * opts.boards.length * SCHEDULES.length;
  const started = Date.now();
  let done = 0;
  console.log('model | board | schedule | planned peak B | measured total B (static + stack + arena) | vs layer | MACs | bit-exact | input streamed');
  for (const model of opts.models) {
    const graph = foldShapeOps(loadModel(path.join(SHARED, 'models', `${model}.tflite`))).graph;
    for (const board of opts.boards) {
      let layerMeasured: number | undefined;
      let flashTooSmall = false;
      for (const s of SCHEDULES) {
        done++;
        process.stderr.write(`[${done}/${total}, ${((Date.now() - started) / 1000).toFixed(0)} s] ${model} on ${board}, ${s.name}\n`);
        // The flash holds the same weights whatever the schedule: one refusal settles the model on this board.
        const row: Row = flashTooSmall ? { model, board, kind: s.name, schedule: s.name, flashTooSmall, note: 'does not fit the flash (as above)' } : await measure(board, model, graph, s);
        flashTooSmall = row.flashTooSmall ?? false;
        rows.push(row);
        if (s.name === 'layer') layerMeasured = row.measured;
        const reduction = row.measured !== undefined && layerMeasured !== undefined ? ratio(layerMeasured, row.measured) : '-';
        const measured = row.measured !== undefined ? `${int(row.measured)} (${int(row.staticBytes)} + ${int(row.stackBytes)} + ${int(row.arenaBytes)})` : row.note;
        console.log(`${model} | ${board} | ${row.schedule} | ${int(row.planned)} | ${measured} | ${reduction} | ${pct(row.macOverhead)} | ${row.exact ?? '-'} | ${row.inputStreamed ?? '-'}`);
      }
    }
  }
  printSummary(rows, opts.models, opts.boards);
  printTargets(rows);
}

main().catch((err) => {
  console.error(`bench:memory: ${(err as Error).message}`);
  process.exit(1);
});
