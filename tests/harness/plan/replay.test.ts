// Replays plans the way the C executor will (docs/memory-plan.md), on an arena of byte tags:
// every byte read must carry the tag of the tensor element the op needs, so any clobbering, wrong offset,
// wrong region layout or wrong in-place order fails. Uses only the exported plan fields.
import { Graph, Operator } from '../../../harness/model/graph';
import { loadModel } from '../../../harness/model';
import { loadBuiltin } from '../../../harness/plan/builtin';
import { GraphBuilder } from '../../../harness/plan/builtin/graph-builder';
import { planLayers } from '../../../harness/plan/layer-planner';
import { planPatches } from '../../../harness/plan/patch-planner';
import { searchPatchPlans } from '../../../harness/plan/search';
import { AliasLink, BufferPlacement, EdgePadding, Region } from '../../../harness/plan/types';
import { sharedModel } from '../../support/paths';

interface Layout { offset: number; region: Region; channels: number }

class TagArena {
  readonly bytes: Float64Array;
  reads = 0;
  constructor(size: number, private readonly graph: Graph, private readonly reshapeSource: Map<number, number>) {
    this.bytes = new Float64Array(size).fill(-1);
  }
  /** Tag of element (y, x, c) of tensor t (flat index for non-4-D tensors); RESHAPE outputs share their source's tags. */
  tag(t: number, flat: number): number {
    const src = this.reshapeSource.get(t);
    return src !== undefined ? this.tag(src, flat) : t * 1e8 + flat + 1;
  }
  private flat(t: number, y: number, x: number, c: number): number {
    const [, , w, ch] = this.graph.tensors[t].shape;
    return (y * w + x) * ch + c;
  }
  addr(l: Layout, y: number, x: number, c: number): number {
    const w = l.region.x1 - l.region.x0;
    if (y < l.region.y0 || y >= l.region.y1 || x < l.region.x0 || x >= l.region.x1) throw new Error(`read (${y},${x}) outside held region`);
    return l.offset + ((y - l.region.y0) * w + (x - l.region.x0)) * l.channels + c;
  }
  read(t: number, l: Layout, y: number, x: number, c: number): void {
    this.reads++;
    const got = this.bytes[this.addr(l, y, x, c)];
    if (got !== this.tag(t, this.flat(t, y, x, c))) throw new Error(`tensor ${t} (${y},${x},${c}) clobbered`);
  }
  write(t: number, l: Layout, y: number, x: number, c: number): void {
    this.bytes[this.addr(l, y, x, c)] = this.tag(t, this.flat(t, y, x, c));
  }
  readFlat(t: number, offset: number, n: number): void {
    for (let i = 0; i < n; i++) if (this.bytes[offset + i] !== this.tag(t, i)) throw new Error(`tensor ${t}[${i}] clobbered`);
  }
  writeFlat(t: number, offset: number, n: number): void {
    for (let i = 0; i < n; i++) this.bytes[offset + i] = this.tag(t, i);
  }
}

interface StepIo { out: Region; outLayout: Layout; ins: { t: number; layout: Layout; view: Region }[]; pad: EdgePadding; alias?: AliasLink }

function window(graph: Graph, op: Operator) {
  const o = op.options;
  if (o.kind === 'conv' || o.kind === 'depthwise') {
    const w = graph.tensors[op.inputs[1]].shape;
    return { kh: w[1], kw: w[2], sh: o.strideH, sw: o.strideW, dh: o.dilationH, dw: o.dilationW };
  }
  if (o.kind === 'pool') return { kh: o.filterH, kw: o.filterW, sh: o.strideH, sw: o.strideW, dh: 1, dw: 1 };
  return { kh: 1, kw: 1, sh: 1, sw: 1, dh: 1, dw: 1 };
}

/** A spatial op on regions, using only the view and edge padding (what a kernel with a row stride gets). */
function runSpatial(arena: TagArena, graph: Graph, op: Operator, io: StepIo): void {
  const out = op.outputs[0];
  const cout = graph.tensors[out].shape[3];
  const win = window(graph, op);
  const depthwise = op.type === 'DEPTHWISE_CONV_2D' || op.type.endsWith('POOL_2D');
  const taps = (oy: number, ox: number, visit: (inIdx: number, y: number, x: number) => void) => {
    io.ins.forEach((inp, k) => {
      for (let r = 0; r < win.kh; r++) for (let s = 0; s < win.kw; s++) {
        const ly = (oy - io.out.y0) * win.sh - io.pad.top + r * win.dh;
        const lx = (ox - io.out.x0) * win.sw - io.pad.left + s * win.dw;
        const vh = inp.view.y1 - inp.view.y0, vw = inp.view.x1 - inp.view.x0;
        if (ly < 0 || ly >= vh || lx < 0 || lx >= vw) continue; // zero padding
        visit(k, inp.view.y0 + ly, inp.view.x0 + lx);
      }
    });
  };
  const pixels: [number, number][] = [];
  for (let y = io.out.y0; y < io.out.y1; y++) for (let x = io.out.x0; x < io.out.x1; x++) pixels.push([y, x]);
  if (io.alias?.kind === 'depthwise') {
    // Channel plane by plane: read all of plane c (into scratch), then store it.
    for (let c = 0; c < cout; c++) {
      for (const [y, x] of pixels) taps(y, x, (k, iy, ix) => arena.read(io.ins[k].t, io.ins[k].layout, iy, ix, c));
      for (const [y, x] of pixels) arena.write(out, io.outLayout, y, x, c);
    }
    return;
  }
  // Pixel by pixel in order (pointwise/elementwise in place rely on it): read the pixel's inputs, then store.
  for (const [y, x] of pixels) {
    taps(y, x, (k, iy, ix) => {
      const cin = graph.tensors[io.ins[k].t].shape[3];
      if (depthwise) for (let c = 0; c < cout; c++) arena.read(io.ins[k].t, io.ins[k].layout, iy, ix, c);
      else for (let c = 0; c < cin; c++) arena.read(io.ins[k].t, io.ins[k].layout, iy, ix, c);
    });
    for (let c = 0; c < cout; c++) arena.write(out, io.outLayout, y, x, c);
  }
}

const SPATIAL = ['CONV_2D', 'DEPTHWISE_CONV_2D', 'AVERAGE_POOL_2D', 'MAX_POOL_2D', 'ADD', 'MUL', 'QUANTIZE', 'LEAKY_RELU'];
const full = (shape: number[]): Region => ({ y0: 0, y1: shape[1], x0: 0, x1: shape[2] });

function activations(graph: Graph, op: Operator): number[] {
  return op.inputs.filter((t) => t >= 0 && (graph.inputs.includes(t) || graph.operators.some((q) => q.outputs.includes(t))));
}

/** A whole-tensor op of the layer-based part. */
function runLayerOp(arena: TagArena, graph: Graph, op: Operator, place: Map<number, BufferPlacement>, aliases: AliasLink[]): void {
  const alias = aliases.find((l) => l.op === op.index);
  const out = op.outputs[0];
  const outShape = graph.tensors[out].shape;
  if (op.type === 'RESHAPE' && alias) return; // same bytes, nothing to do
  if (SPATIAL.includes(op.type) && outShape.length === 4) {
    const o = op.options;
    const pad = 'padding' in o ? o.padding : { top: 0, bottom: 0, left: 0, right: 0 };
    const layout = (t: number): Layout => ({ offset: place.get(t)!.offset, region: full(graph.tensors[t].shape), channels: graph.tensors[t].shape[3] });
    const ins = activations(graph, op).map((t) => ({ t, layout: layout(t), view: full(graph.tensors[t].shape) }));
    runSpatial(arena, graph, op, { out: full(outShape), outLayout: layout(out), ins, pad, alias });
    return;
  }
  const ins = activations(graph, op);
  const n = outShape.reduce((a, b) => a * b, 1);
  for (let i = 0; i < n; i++) {
    for (const t of ins) arena.readFlat(t, place.get(t)!.offset, graph.tensors[t].shape.reduce((a, b) => a * b, 1));
    arena.bytes[place.get(out)!.offset + i] = arena.tag(out, i);
    if (n > 64) { arena.writeFlat(out, place.get(out)!.offset, n); break; } // large non-spatial ops: inputs checked once
  }
}

function reshapeSources(graph: Graph, aliases: AliasLink[]): Map<number, number> {
  return new Map(aliases.filter((l) => l.kind === 'reshape').map((l) => [l.output, l.input]));
}

function checkOutputs(arena: TagArena, graph: Graph, place: Map<number, BufferPlacement>): void {
  for (const t of graph.outputs) arena.readFlat(t, place.get(t)!.offset, graph.tensors[t].shape.reduce((a, b) => a * b, 1));
}

function replayLayers(graph: Graph): number {
  const plan = planLayers(graph);
  const place = new Map(plan.buffers.map((b) => [b.tensor, b]));
  const arena = new TagArena(plan.arenaBytes, graph, reshapeSources(graph, plan.aliases));
  for (const t of graph.inputs) arena.writeFlat(t, place.get(t)!.offset, graph.tensors[t].shape.reduce((a, b) => a * b, 1));
  for (const op of graph.operators) runLayerOp(arena, graph, op, place, plan.aliases);
  checkOutputs(arena, graph, place);
  return arena.reads;
}

function replayPatches(graph: Graph, split: number, p: number): number {
  const plan = planPatches(graph, split, p);
  const place = new Map(plan.buffers.map((b) => [b.tensor, b]));
  const arena = new TagArena(plan.arenaBytes, graph, reshapeSources(graph, plan.aliases));
  for (const patch of plan.patchList) {
    const held = new Map<number, Region>();
    patch.steps.forEach((s) => graph.operators[s.op].inputs.forEach((t, i) => { if (s.inRegions[i]) held.set(t, s.inRegions[i]!); }));
    const layout = (t: number): Layout => ({
      offset: place.get(t)!.offset,
      region: t === plan.stageOutput ? full(graph.tensors[t].shape) : held.get(t)!,
      channels: graph.tensors[t].shape[3],
    });
    // Stream the image rectangle into the input-patch buffer.
    const inL = layout(plan.stageInput);
    for (let y = inL.region.y0; y < inL.region.y1; y++) for (let x = inL.region.x0; x < inL.region.x1; x++) {
      for (let c = 0; c < inL.channels; c++) arena.write(plan.stageInput, inL, y, x, c);
    }
    for (const s of patch.steps) {
      const op = graph.operators[s.op];
      const ins = op.inputs.map((t, i) => ({ t, i })).filter(({ i }) => s.inRegions[i] !== null)
        .map(({ t, i }) => ({ t, layout: layout(t), view: s.inViews[i]! }));
      runSpatial(arena, graph, op, { out: s.outRegion, outLayout: layout(op.outputs[0]), ins, pad: s.padding, alias: plan.aliases.find((l) => l.op === s.op) });
    }
  }
  for (const op of graph.operators.slice(split)) runLayerOp(arena, graph, op, place, plan.aliases);
  checkOutputs(arena, graph, place);
  return arena.reads;
}

describe('byte-tag replay of plans (the executor contract)', () => {
  const small = loadBuiltin('builtin:mobilenetv2?width=0.35&resolution=64');
  test('layer-based MobileNetV2 0.35/64 and MCUNet/48', () => {
    expect(replayLayers(small)).toBeGreaterThan(1e5);
    expect(replayLayers(loadBuiltin('builtin:mcunet?resolution=48'))).toBeGreaterThan(1e5);
  });

  test.each([[13, 4], [13, 3], [6, 2], [17, 5]])('MobileNetV2 0.35/64, split %i, p=%i', (split, p) => {
    expect(replayPatches(small, split, p)).toBeGreaterThan(1e5);
  });

  test('MCUNet/64: stage of stem, first block, a 7×7 s2 block and a residual block (split 10), 3×3 patches', () => {
    const g = loadBuiltin('builtin:mcunet?resolution=64');
    expect(g.operators[9].type).toBe('ADD');
    expect(replayPatches(g, 10, 3)).toBeGreaterThan(1e5);
  });

  const vww = sharedModel('tinyengine_vww');
  test('real mcunet-vww1: its searched patch plan, then the layer-based rest', () => {
    const g = loadModel(vww);
    const { chosen } = searchPatchPlans(g, 0.2);
    expect(chosen.split).toBeGreaterThan(0);
    expect(replayPatches(g, chosen.split, chosen.patches)).toBeGreaterThan(1e6);
  });

  test('LEAKY_RELU chains (Yolo-Fastest style) in place, layer by layer and in a patch stage', () => {
    const b = new GraphBuilder('test:leaky');
    let x = b.leakyRelu(b.conv(b.input(40, 40, 3), 8, { kernel: 3, stride: 2, pad: 'same' }));
    const trunk = x;
    x = b.leakyRelu(b.depthwise(b.leakyRelu(b.conv(x, 24, { kernel: 1, stride: 1, pad: 'same' })), { kernel: 3, stride: 1, pad: 'same' }));
    x = b.add(trunk, b.conv(x, 8, { kernel: 1, stride: 1, pad: 'same' }, 'NONE'));
    const g = b.build(b.fullyConnected(b.reshape(x, [1, 20 * 20 * 8]), 4));
    expect(planLayers(g).aliases.filter((l) => g.operators[l.op].type === 'LEAKY_RELU').map((l) => l.kind)).toEqual(['elementwise', 'elementwise', 'elementwise']);
    expect(replayLayers(g)).toBeGreaterThan(1e4);
    expect(replayPatches(g, 8, 3)).toBeGreaterThan(1e4);
  });

  test('the replay notices a clobbered buffer', () => {
    const g = loadBuiltin('builtin:mobilenetv2?width=0.35&resolution=32');
    const plan = planLayers(g);
    const place = new Map(plan.buffers.map((b) => [b.tensor, b]));
    const arena = new TagArena(plan.arenaBytes, g, new Map());
    const t = g.inputs[0];
    arena.writeFlat(t, place.get(t)!.offset, 32 * 32 * 3);
    arena.bytes[place.get(t)!.offset + 7] = 0;
    expect(() => runLayerOp(arena, g, g.operators[0], place, plan.aliases)).toThrow(/clobbered/);
  });
});
