import { Graph } from '../../../harness/model/graph';
import { loadModel } from '../../../harness/model';
import { loadBuiltin } from '../../../harness/plan/builtin';
import { GraphBuilder } from '../../../harness/plan/builtin/graph-builder';
import { validateArena } from '../../../harness/plan/arena-validator';
import { planLayers } from '../../../harness/plan/layer-planner';
import { planPatches } from '../../../harness/plan/patch-planner';
import { PatchPlan, Region } from '../../../harness/plan/types';
import { sharedModel } from '../../support/paths';

/** Ops of the normalised MobileNetV2 for its stem + the first blocks (t, cin, cout, stride) of the paper. */
function mobilenetV2PrefixOps(blocks: [number, number, number, number][]): number {
  let ops = 1; // stem conv
  for (const [t, cin, cout, s] of blocks) ops += (t === 1 ? 2 : 3) + (s === 1 && cin === cout ? 1 : 0);
  return ops;
}
// Stem + the first 4 inverted-residual blocks of MobileNetV2 1.0: output 28×28×32.
const FIRST_FIVE_BLOCKS = mobilenetV2PrefixOps([[1, 32, 16, 1], [6, 16, 24, 2], [6, 24, 24, 1], [6, 24, 32, 2]]);

function coverage(plan: PatchPlan, graph: Graph): number[] {
  const [, h, w] = graph.tensors[plan.stageOutput].shape;
  const seen = new Array(h * w).fill(0);
  for (const pt of plan.patchList) {
    const last = pt.steps[pt.steps.length - 1].outRegion;
    expect(last).toEqual(pt.tile);
    for (let y = last.y0; y < last.y1; y++) for (let x = last.x0; x < last.x1; x++) seen[y * w + x]++;
  }
  return seen;
}

describe('MCUNetV2 Table 1: MobileNetV2 224, first 5 blocks on 4×4 patches', () => {
  const graph = loadBuiltin('builtin:mobilenetv2?width=1.0&resolution=224');
  const plan = planPatches(graph, FIRST_FIVE_BLOCKS, 4);

  test('split 13 ends at the 28×28×32 stage output', () => {
    expect(FIRST_FIVE_BLOCKS).toBe(13);
    expect(graph.tensors[plan.stageOutput].shape).toEqual([1, 28, 28, 32]);
  });

  test('input patches are 75×75 and the peak is 28²·(32+192) = 175,616 B (172 kB), set by the layer-based stage', () => {
    expect(plan.inputPatch).toEqual([75, 75]);
    expect(plan.peakBytes).toBe(28 * 28 * (32 + 192));
    expect(Math.round(plan.peakBytes / 1024)).toBe(172);
    expect(plan.peakStep).toBeGreaterThanOrEqual(plan.split);
    expect(plan.inputImageBytes).toBe(224 * 224 * 3);
  });

  test('patch-stage peak: interior patch of block 2 expand, 35²·(16+96) plus the 28²·32 stage output', () => {
    // Interior tile rows [7,14) at 28² need [14,29) at 56² (dw s2, pad top 0), [13,30) through the 3×3 s1
    // depthwise, then [26, 29·2+3) = 35 rows at 112² for block 2's stride-2 depthwise input (= expand output).
    expect(plan.liveBytes[3]).toBe(35 * 35 * (16 + 96) + 28 * 28 * 32);
    expect(Math.max(...plan.liveBytes.slice(0, plan.split))).toBe(plan.liveBytes[3]);
  });

  test('MAC overhead is about +10 % (8–12 %); per-patch MACs add up to the stage', () => {
    expect(plan.macOverhead).toBeGreaterThan(0.08);
    expect(plan.macOverhead).toBeLessThan(0.12);
    expect(plan.macsPerPatch).toHaveLength(16);
    expect(plan.macsPerPatch.reduce((a, b) => a + b, 0)).toBe(plan.stageMacs);
    const layer = planLayers(graph);
    const restMacs = layer.ops.slice(plan.split).reduce((a, o) => a + o.macs, 0);
    expect(plan.macs).toBe(plan.stageMacs + restMacs);
    expect(plan.stageLayerMacs + restMacs).toBe(layer.macs);
    // An interior patch recomputes the most: it has halos on all four sides.
    expect(Math.max(...plan.macsPerPatch)).toBe(plan.macsPerPatch[5]);
  });

  test('tiles cover the stage output exactly once; arena packs to the peak and validates', () => {
    expect(coverage(plan, graph).every((n) => n === 1)).toBe(true);
    expect(plan.arenaBytes).toBe(plan.peakBytes);
    expect(validateArena(plan.buffers, plan.aliases, plan.arenaBytes)).toEqual([]);
    expect(plan.buffers.find((b) => b.tensor === graph.inputs[0])!.bytes).toBe(75 * 75 * 3);
  });
});

const TF2_MBV2 = sharedModel('tf2_mobilenet_v2_1.0_224_ptq');
describe('the real TF2 MobileNetV2 reproduces Table 1 (QUANTIZE + 13 ops)', () => {
  test('split 14, 4×4: 75×75, 175,616 B, +8–12 % MACs, valid packing', () => {
    const g = loadModel(TF2_MBV2);
    expect(g.operators[0].type).toBe('QUANTIZE');
    const plan = planPatches(g, FIRST_FIVE_BLOCKS + 1, 4);
    expect(plan.inputPatch).toEqual([75, 75]);
    expect(plan.peakBytes).toBe(175616);
    expect(plan.macOverhead).toBeGreaterThan(0.08);
    expect(plan.macOverhead).toBeLessThan(0.12);
    expect(validateArena(plan.buffers, plan.aliases, plan.arenaBytes)).toEqual([]);
  });
});

/** Input pixels a set of output pixels reads, enumerated tap by tap (independent of the interval formula). */
function bruteNeeds(graph: Graph, opIndex: number, outPixels: Set<number>, outW: number, input: number): Set<number> {
  const op = graph.operators[opIndex];
  const [, H, W] = graph.tensors[input].shape;
  const o = op.options;
  let k = [1, 1], s = [1, 1], d = [1, 1], pad = [0, 0];
  if (o.kind === 'conv' || o.kind === 'depthwise') {
    const w = graph.tensors[op.inputs[1]].shape;
    k = [w[1], w[2]]; s = [o.strideH, o.strideW]; d = [o.dilationH, o.dilationW]; pad = [o.padding.top, o.padding.left];
  } else if (o.kind === 'pool') {
    k = [o.filterH, o.filterW]; s = [o.strideH, o.strideW]; pad = [o.padding.top, o.padding.left];
  }
  const need = new Set<number>();
  for (const p of outPixels) {
    const y = Math.floor(p / outW), x = p % outW;
    for (let r = 0; r < k[0]; r++) for (let c = 0; c < k[1]; c++) {
      const iy = y * s[0] - pad[0] + r * d[0], ix = x * s[1] - pad[1] + c * d[1];
      if (iy >= 0 && iy < H && ix >= 0 && ix < W) need.add(iy * W + ix);
    }
  }
  return need;
}

function bbox(pixels: Set<number>, w: number): Region {
  const ys = [...pixels].map((p) => Math.floor(p / w)), xs = [...pixels].map((p) => p % w);
  return { y0: Math.min(...ys), y1: Math.max(...ys) + 1, x0: Math.min(...xs), x1: Math.max(...xs) + 1 };
}

/** 23×19 input; k5 s2, dilated 3×3 depthwise, residual add, 3×3 s2 pool, 3×3 conv; then a layer tail. */
function oddGraph(): Graph {
  const b = new GraphBuilder('test:odd');
  const x = b.input(23, 19, 3);
  const a = b.conv(x, 8, { kernel: 5, stride: 2, pad: 'symmetric' });
  const dw = b.depthwise(a, { kernel: 3, stride: 1, dilation: 2, pad: 'same' });
  const c = b.conv(dw, 8, { kernel: 1, stride: 1, pad: 'same' });
  const sum = b.add(a, c);
  const pool = b.averagePool(sum, { kernel: 3, stride: 2, pad: 'same' });
  const f = b.conv(pool, 4, { kernel: 3, stride: 1, pad: 'same' });
  const r = b.reshape(f, [1, b.shape(f).slice(1).reduce((m, n) => m * n, 1)]);
  return b.build(b.fullyConnected(r, 5));
}

describe('region propagation against a tap-by-tap enumeration', () => {
  const graph = oddGraph();
  test.each([1, 2, 3, 5])('p=%i: every buffer region is the bounding box of what its readers need', (p) => {
    const plan = planPatches(graph, 6, p);
    expect(coverage(plan, graph).every((n) => n === 1)).toBe(true);
    for (const pt of plan.patchList) {
      const needs = new Map<number, Set<number>>();
      const [, , outW] = graph.tensors[plan.stageOutput].shape;
      const outPixels = new Set<number>();
      for (let y = pt.tile.y0; y < pt.tile.y1; y++) for (let x = pt.tile.x0; x < pt.tile.x1; x++) outPixels.add(y * outW + x);
      needs.set(plan.stageOutput, outPixels);
      for (let j = plan.split - 1; j >= 0; j--) {
        const op = graph.operators[j];
        const ow = graph.tensors[op.outputs[0]].shape[2];
        for (const t of op.inputs.filter((i) => i >= 0 && (graph.inputs.includes(i) || graph.operators.some((q) => q.outputs.includes(i))))) {
          const got = bruteNeeds(graph, j, needs.get(op.outputs[0])!, ow, t);
          needs.set(t, new Set([...(needs.get(t) ?? []), ...got]));
        }
      }
      for (const step of pt.steps) {
        const op = graph.operators[step.op];
        expect(bbox(needs.get(op.outputs[0])!, graph.tensors[op.outputs[0]].shape[2])).toEqual(step.outRegion);
        op.inputs.forEach((t, i) => {
          if (step.inRegions[i] === null) return;
          expect(step.inRegions[i]).toEqual(bbox(needs.get(t)!, graph.tensors[t].shape[2]));
          const v = step.inViews[i]!, r = step.inRegions[i]!;
          expect(v.y0 >= r.y0 && v.y1 <= r.y1 && v.x0 >= r.x0 && v.x1 <= r.x1).toBe(true);
        });
      }
    }
    expect(validateArena(plan.buffers, plan.aliases, plan.arenaBytes)).toEqual([]);
  });

  test('p=1 has no MAC overhead; more patches never cost fewer MACs', () => {
    const overheads = [1, 2, 3, 4, 5].map((p) => planPatches(graph, 6, p).macOverhead);
    expect(overheads[0]).toBe(0);
    for (let i = 1; i < overheads.length; i++) expect(overheads[i]).toBeGreaterThan(0);
  });
});

describe('illegal splits and grids are rejected with the reason', () => {
  const graph = oddGraph();
  const mbv2 = loadBuiltin('builtin:mobilenetv2?resolution=96&width=0.35');
  test.each([
    [0, 2, /split must be an integer in 1\.\.7/],
    [8, 2, /split must be an integer in 1\.\.7/],
    [7, 1, /operator 6 \(RESHAPE\) cannot run patch by patch.*split <= 6/],
    [3, 2, /tensor \d+ \(output of operator 0\) is read after the stage/],
  ])('split %i', (split, p, message) => {
    expect(() => planPatches(graph, split, p)).toThrow(message);
  });
  test('FULLY_CONNECTED and RESHAPE stop the stage; the grid must fit the 6×5 stage output', () => {
    const b = new GraphBuilder('test:fc-first');
    const fc = b.fullyConnected(b.input(1, 1, 8), 16);
    const g = b.build(b.conv(b.reshape(fc, [1, 1, 1, 16]), 4, { kernel: 1, stride: 1, pad: 'same' }));
    expect(() => planPatches(g, 1, 1)).toThrow(/operator 0 \(FULLY_CONNECTED\) cannot run patch by patch/);
    expect(() => planPatches(mbv2, mbv2.operators.length - 1, 1)).toThrow(/RESHAPE.*cannot run patch by patch/);
    expect(() => planPatches(graph, 6, 6)).toThrow(/6×6 patches do not fit the 6×5 stage output of split 6; use 1\.\.5/);
    expect(() => planPatches(graph, 6, 6)).toThrow(expect.objectContaining({ name: 'PlanError' }));
  });
});
