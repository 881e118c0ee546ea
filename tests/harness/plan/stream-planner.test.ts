// The stream plan replayed on an arena of tags, the way a row-streaming executor runs it: every row an op reads
// (the columns its window needs) must still be in its ring (row y in slot y mod rows, columns from the strip's
// window start) or whole tensor, carrying the tag of exactly those elements, so a ring one row too small or one
// column too narrow, two buffers packed over each other, or a row computed out of order fails. Also: every row of
// every streamed op is computed once per strip (one strip: MACs equal the layer schedule's).
import { Graph } from '../../../harness/model/graph';
import { loadModel } from '../../../harness/model';
import { foldShapeOps } from '../../../harness/pack';
import { loadBuiltin, planLayers } from '../../../harness/plan';
import { opWindow } from '../../../harness/plan/op-analysis';
import * as fs from 'fs';
import * as path from 'path';
import { MAX_RINGS, planStream, planStreamChoice, searchStream, StreamPlan } from '../../../harness/plan/stream-planner';
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
  // A ring's current strip window starts at column windowX0 (set by the strip's writes).
  const windowX0 = new Map<number, number>();
  const addr = (t: number, y: number, x: number) => {
    const r = ring.get(t);
    if (!r) return at.get(t)! + y * rowLen(t) + x * shape(t)[3];
    const x0 = windowX0.get(t) ?? 0;
    if (x < x0 || x >= x0 + r.width) return -1;
    return at.get(t)! + (y % r.rows) * r.rowBytes + (x - x0) * shape(t)[3];
  };
  const writeRow = (t: number, y: number, x0 = 0, x1 = shape(t)[2]) => {
    if (ring.has(t)) windowX0.set(t, x0);
    for (let x = x0; x < x1; x++) for (let c = 0; c < shape(t)[3]; c++) arena[addr(t, y, x) + c] = tag(t, y, x * shape(t)[3] + c);
  };
  const checkRow = (t: number, y: number, where: string, x0 = 0, x1 = shape(t)[2]) => {
    for (let x = x0; x < x1; x++) {
      const a = addr(t, y, x);
      for (let c = 0; c < shape(t)[3]; c++) {
        if (a < 0 || arena[a + c] !== tag(t, y, x * shape(t)[3] + c)) throw new Error(`${where}: row ${y} of tensor ${t} clobbered or not there (column ${x})`);
      }
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
        const key = `${step.op}/${step.y0}/${step.x0}`;
        if (computed.has(key)) throw new Error(`row ${step.y0} of op ${step.op} computed twice`);
        computed.add(key);
        if (step.op < 0) { writeRow(graph.inputs.find((t) => ring.has(t))!, step.y0, step.x0, step.x1); continue; }
        const o = graph.operators[step.op];
        const win = opWindow(graph, o);
        for (const input of step.inputs) {
          const [h, w] = [shape(input.tensor)[1], shape(input.tensor)[2]];
          const first = Math.max(0, step.y0 * win.sh - win.padTop);
          const end = Math.min(h, (step.y1 - 1) * win.sh - win.padTop + (win.kh - 1) * win.dh + 1);
          const left = Math.max(0, step.x0 * win.sw - win.padLeft);
          const right = Math.min(w, (step.x1 - 1) * win.sw - win.padLeft + (win.kw - 1) * win.dw + 1);
          for (let y = first; y < end; y++) {
            if (y < input.lo || y >= input.hi) throw new Error(`op ${step.op} row ${step.y0} reads row ${y} of ${input.tensor} outside held [${input.lo}, ${input.hi})`);
            checkRow(input.tensor, y, `op ${step.op} row ${step.y0}`, left, right);
          }
        }
        writeRow(o.outputs[0], step.y0, step.x0, step.x1);
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
  return plan.segments.reduce((s, seg) => s + seg.strips * graph.operators.slice(seg.first, seg.end).reduce((a, o) => a + graph.tensors[o.outputs[0]].shape[1], 0), 0);
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

  test.each([
    ['person_detect', 8, 2],
    ['mobilenet_v1_0.25_128_quant', 8, 3],
    ['mcunet-in3_320kb-1mb_imagenet', 6, 4],
  ])('%s split %d in %d strips: replays, each strip computing only its windows; MACs grow by the halo columns alone', (name, split, strips) => {
    const graph = foldShapeOps(loadModel(sharedModel(name))).graph;
    const one = planStream(graph, split);
    const plan = planStream(graph, split, { strips });
    expect(plan.segments[0].strips).toBe(strips);
    expect(replay(graph, plan).rowsComputed).toBe(expectedRows(graph, plan));
    expect(plan.macs).toBeGreaterThan(one.macs);
    expect(plan.segments[0].rings.reduce((s, r) => s + r.bytes, 0)).toBeLessThan(one.segments[0].rings.reduce((s, r) => s + r.bytes, 0));
    // The segment output's row 0 is written strip by strip, the strips tiling its width.
    const outputSteps = plan.segments[0].steps.filter((st) => st.op === split - 1 && st.y0 === 0);
    expect(outputSteps.map((st) => [st.x0, st.x1])).toEqual(Array.from({ length: strips }, (_, k) => {
      const w = graph.tensors[plan.segments[0].output].shape[2];
      return [Math.floor((k * w) / strips), Math.floor(((k + 1) * w) / strips)];
    }));
  }, 120_000);

  test('a ring one column narrower than planned is caught by the replay', () => {
    const graph = foldShapeOps(loadModel(sharedModel('person_detect'))).graph;
    const plan = planStream(graph, 8, { strips: 2 });
    const ring = plan.segments[0].rings.find((r) => r.rows > 1 && r.width > 1)!;
    ring.width -= 1;
    expect(() => replay(graph, plan)).toThrow(/clobbered or not there/);
  });

  test('a ring one row smaller than planned is caught by the replay', () => {
    const graph = foldShapeOps(loadModel(sharedModel('person_detect'))).graph;
    const plan = planStream(graph, 8);
    const ring = plan.segments[0].rings.find((r) => r.rows > 1)!;
    ring.rows -= 1;
    expect(() => replay(graph, plan)).toThrow(/clobbered or not there/);
  });

  test('search: mcunet-in3 streams below 100 KiB at +0 % MACs; MobileNetV2-224 below 96 kB within +5 % MACs', () => {
    const mcunet = foldShapeOps(loadModel(sharedModel('mcunet-in3_320kb-1mb_imagenet'))).graph;
    const choice = searchStream(mcunet, 0);
    expect(choice.peakBytes).toBeLessThanOrEqual(100 * 1024);
    expect(choice.strips).toBe(1);
    const plan = planStreamChoice(mcunet, choice);
    expect(plan.peakBytes).toBe(choice.peakBytes);
    expect(plan.macOverhead).toBe(0);
    expect(replay(mcunet, plan).rowsComputed).toBe(expectedRows(mcunet, plan));
    // MobileNetV2-224 at +0 %: the prefix segment's rings set the peak; strips narrow them for a few % MACs.
    const mbv2 = loadBuiltin('builtin:mobilenetv2');
    expect(searchStream(mbv2, 0).peakBytes).toBeLessThan(175616);
    const mbv2Choice = searchStream(mbv2);
    const mbv2Plan = planStreamChoice(mbv2, mbv2Choice);
    expect(mbv2Plan.peakBytes).toBe(mbv2Choice.peakBytes);
    expect(mbv2Plan.peakBytes).toBeLessThanOrEqual(96_000);
    expect(mbv2Plan.macOverhead).toBeLessThanOrEqual(0.05);
    expect(mbv2Plan.macOverhead).toBe(mbv2Choice.macOverhead);
  }, 120_000);
});

test('the planner\'s ring limit is the C executor\'s (MCB_STREAM_MAX_RINGS)', () => {
  const header = fs.readFileSync(path.join(REPO_ROOT, 'native', 'runtime', 'src', 'runtime_internal.h'), 'utf8');
  expect(Number(/#define MCB_STREAM_MAX_RINGS (\d+)u/.exec(header)![1])).toBe(MAX_RINGS);
});
