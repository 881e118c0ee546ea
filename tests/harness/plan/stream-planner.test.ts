// The stream plan replayed on an arena of tags, the way a row-streaming executor runs it: every row an op reads
// must still be in its ring (row y in slot y mod rows) or whole tensor, carrying the tag of exactly that row, so a
// ring one row too small, two buffers packed over each other, or a row computed out of order fails. Also: every
// row of every streamed op is computed exactly once (MACs equal the layer schedule's).
import { Graph } from '../../../harness/model/graph';
import { loadModel } from '../../../harness/model';
import { foldShapeOps } from '../../../harness/pack';
import { loadBuiltin, planLayers } from '../../../harness/plan';
import { opWindow } from '../../../harness/plan/op-analysis';
import * as fs from 'fs';
import * as path from 'path';
import { MAX_RINGS, planStream, searchStream, StreamPlan } from '../../../harness/plan/stream-planner';
import { REPO_ROOT, sharedModel } from '../../support/paths';

function replay(graph: Graph, plan: StreamPlan): { rowsComputed: number } {
  const arena = new Float64Array(plan.arenaBytes).fill(-1);
  const at = new Map(plan.buffers.map((b) => [b.tensor, b.offset]));
  const ring = new Map(plan.segments.flatMap((s) => s.rings).map((r) => [r.tensor, r]));
  const shape = (t: number) => graph.tensors[t].shape;
  const rowLen = (t: number) => shape(t)[2] * shape(t)[3];
  const alias = new Map(plan.aliases.map((l) => [l.output, l.input]));
  const root = (t: number): number => (alias.has(t) ? root(alias.get(t)!) : t);
  // One tag per element: the root of its in-place class and its flat index (rings hold rows of the same tags).
  const tag = (t: number, y: number, i: number) => root(t) * 1e9 + y * rowLen(t) + i + 1;
  const rowAddr = (t: number, y: number) => {
    const r = ring.get(t);
    return at.get(t)! + (r ? y % r.rows : y) * rowLen(t);
  };
  const writeRow = (t: number, y: number) => { const a = rowAddr(t, y); for (let i = 0; i < rowLen(t); i++) arena[a + i] = tag(t, y, i); };
  const checkRow = (t: number, y: number, where: string) => {
    const a = rowAddr(t, y);
    for (let i = 0; i < rowLen(t); i++) {
      if (arena[a + i] !== tag(t, y, i)) throw new Error(`${where}: row ${y} of tensor ${t} clobbered or not there (element ${i})`);
    }
  };
  const flat = (t: number) => shape(t).reduce((a, b) => a * b, 1);
  const wholeTag = (t: number, i: number) => root(t) * 1e9 + i + 1;
  let rowsComputed = 0;
  const computed = new Set<string>();
  for (const t of graph.inputs) if (!ring.has(t)) for (let y = 0; y < shape(t)[1]; y++) writeRow(t, y);
  let op = 0;
  while (op < graph.operators.length) {
    const seg = plan.segments.find((s) => s.first === op);
    if (seg) {
      for (const step of seg.steps) {
        const key = `${step.op}/${step.y0}`;
        if (computed.has(key)) throw new Error(`row ${step.y0} of op ${step.op} computed twice`);
        computed.add(key);
        if (step.op < 0) { writeRow(graph.inputs.find((t) => ring.has(t))!, step.y0); continue; }
        const o = graph.operators[step.op];
        const win = opWindow(graph, o);
        for (const input of step.inputs) {
          const h = shape(input.tensor)[1];
          const first = Math.max(0, step.y0 * win.sh - win.padTop);
          const end = Math.min(h, (step.y1 - 1) * win.sh - win.padTop + (win.kh - 1) * win.dh + 1);
          for (let y = first; y < end; y++) {
            if (y < input.lo || y >= input.hi) throw new Error(`op ${step.op} row ${step.y0} reads row ${y} of ${input.tensor} outside held [${input.lo}, ${input.hi})`);
            checkRow(input.tensor, y, `op ${step.op} row ${step.y0}`);
          }
        }
        writeRow(o.outputs[0], step.y0);
        rowsComputed++;
      }
      op = seg.end;
      continue;
    }
    // A layer op: every input element carries its tag (whole tensors, in-place classes share the root's tags).
    const o = graph.operators[op];
    for (const t of o.inputs) {
      if (t < 0 || graph.tensors[t].data || !at.has(t)) continue;
      if (plan.segments.some((s) => s.output === t) || graph.inputs.includes(t)) {
        for (let y = 0; y < shape(t)[1]; y++) checkRow(t, y, `op ${op}`);
        continue;
      }
      for (let i = 0; i < flat(t); i++) if (arena[at.get(t)! + i] !== wholeTag(t, i)) throw new Error(`op ${op}: tensor ${t}[${i}] clobbered`);
    }
    for (const t of o.outputs) for (let i = 0; i < flat(t); i++) arena[at.get(t)! + i] = wholeTag(t, i);
    op++;
  }
  return { rowsComputed };
}

function expectedRows(graph: Graph, plan: StreamPlan): number {
  return plan.segments.reduce((s, seg) => s + graph.operators.slice(seg.first, seg.end).reduce((a, o) => a + graph.tensors[o.outputs[0]].shape[1], 0), 0);
}

describe('stream plans', () => {
  test.each([
    ['person_detect', 8, [] as [number, number][]],
    ['mlperf_tiny_vww_96_int8', 8, []],
    ['mlperf_tiny_ic_pretrainedResnet_quant', 4, []],
    ['tinyengine_vww', 6, []],
    ['mcunet-in3_320kb-1mb_imagenet', 6, [[6, 9], [10, 13], [14, 17], [18, 21]]],
  ])('%s split %d: replays with every read row in place, each row computed once', (name, split, later) => {
    const graph = foldShapeOps(loadModel(sharedModel(name))).graph;
    const plan = planStream(graph, split, { later: later as [number, number][] });
    expect(plan.arenaBytes).toBeGreaterThanOrEqual(plan.peakBytes);
    expect(plan.macs).toBe(planLayers(graph).macs);
    expect(plan.macOverhead).toBe(0);
    expect(replay(graph, plan).rowsComputed).toBe(expectedRows(graph, plan));
  }, 120_000);

  test('a ring one row smaller than planned is caught by the replay', () => {
    const graph = foldShapeOps(loadModel(sharedModel('person_detect'))).graph;
    const plan = planStream(graph, 8);
    const ring = plan.segments[0].rings.find((r) => r.rows > 1)!;
    ring.rows -= 1;
    expect(() => replay(graph, plan)).toThrow(/clobbered or not there/);
  });

  test('search: mcunet-in3 streams below 100 KiB at +0 % MACs; MobileNetV2-224 well below the patch plan\'s 171.5 kB', () => {
    const mcunet = foldShapeOps(loadModel(sharedModel('mcunet-in3_320kb-1mb_imagenet'))).graph;
    const choice = searchStream(mcunet);
    expect(choice.peakBytes).toBeLessThanOrEqual(100 * 1024);
    const plan = planStream(mcunet, choice.split, { later: choice.later });
    expect(plan.peakBytes).toBe(choice.peakBytes);
    expect(replay(mcunet, plan).rowsComputed).toBe(expectedRows(mcunet, plan));
    const mbv2 = loadBuiltin('builtin:mobilenetv2');
    const mbv2Choice = searchStream(mbv2);
    expect(mbv2Choice.peakBytes).toBeLessThan(175616);
  }, 120_000);
});

test('the planner\'s ring limit is the C executor\'s (MCB_STREAM_MAX_RINGS)', () => {
  const header = fs.readFileSync(path.join(REPO_ROOT, 'native', 'runtime', 'src', 'runtime_internal.h'), 'utf8');
  expect(Number(/#define MCB_STREAM_MAX_RINGS (\d+)u/.exec(header)![1])).toBe(MAX_RINGS);
});
