import { Graph } from '../../../harness/model/graph';
import { loadBuiltin } from '../../../harness/plan/builtin';
import { GraphBuilder } from '../../../harness/plan/builtin/graph-builder';
import { validateArena } from '../../../harness/plan/arena-validator';
import { planLayers } from '../../../harness/plan/layer-planner';

describe('layer-based plan of MobileNetV2 (224, width 1.0)', () => {
  const graph = loadBuiltin('builtin:mobilenetv2');
  const plan = planLayers(graph);

  test('MACs match the published ~300M (conv + depthwise + FC)', () => {
    expect(plan.macs).toBeGreaterThan(299e6);
    expect(plan.macs).toBeLessThan(302e6);
    // Stem: 112·112 outputs × 32 channels × 3·3·3 taps.
    expect(plan.ops[0].macs).toBe(112 * 112 * 32 * 27);
  });

  test('first conv holds its input and output: 3·224² + 32·112²', () => {
    expect(plan.ops[0].liveBytes).toBe(3 * 224 * 224 + 32 * 112 * 112);
  });

  test('peak is block 2 expand, 112²·(16+96) = 1,404,928 B = 1372 kB (MCUNetV2 Table 1)', () => {
    expect(plan.peakBytes).toBe(112 * 112 * (16 + 96));
    expect(plan.peakBytes / 1024).toBe(1372);
    expect(plan.ops[plan.peakOp].type).toBe('CONV_2D');
    expect(plan.ops[plan.peakOp].outputShape).toEqual([1, 112, 112, 96]);
  });

  test('arena packs to the live-set peak and passes the validator', () => {
    expect(plan.arenaBytes).toBe(plan.peakBytes);
    expect(validateArena(plan.buffers, plan.aliases, plan.arenaBytes)).toEqual([]);
  });

  test('in-place: depthwise into its input, projection into the depthwise buffer, residual add into the block input', () => {
    const kinds = (op: number) => plan.aliases.filter((l) => l.op === op).map((l) => l.kind);
    expect(kinds(1)).toEqual(['depthwise']);
    expect(kinds(2)).toEqual(['pointwise']); // 32 -> 16, 1x1
    expect(kinds(3)).toEqual([]); // expand 16 -> 96 grows
    const add = graph.operators.find((o) => o.type === 'ADD')!;
    const link = plan.aliases.find((l) => l.op === add.index)!;
    expect(link.input).toBe(add.inputs[0]); // the block input (produced earlier than the projection)
    // The depthwise scratch is one output plane of the largest in-place depthwise: 112×112.
    expect(plan.scratchBytes).toBe(112 * 112);
  });
});

/** x → dw(3x3) → add(x, dw): the dw input is still needed by the add, so it must not be overwritten. */
function residualGraph(): Graph {
  const b = new GraphBuilder('test:residual');
  const x = b.input(8, 8, 4);
  const y = b.conv(x, 4, { kernel: 1, stride: 1, pad: 'same' });
  const d = b.depthwise(y, { kernel: 3, stride: 1, pad: 'same' });
  return b.build(b.add(y, d));
}

describe('in-place rules on small graphs', () => {
  test('a depthwise whose input is read later is not in place; the add then writes into an operand', () => {
    const g = residualGraph();
    const plan = planLayers(g);
    expect(plan.aliases.find((l) => l.op === 1)).toBeUndefined();
    expect(plan.aliases.find((l) => l.op === 2)?.kind).toBe('elementwise');
    // op 0 (1x1, 4 -> 4) overwrites the dying input; op 1 holds conv out + dw out: 2 × 256 B.
    expect(plan.aliases.find((l) => l.op === 0)?.kind).toBe('pointwise');
    expect(plan.ops.map((o) => o.liveBytes)).toEqual([256, 512, 512]);
    expect(validateArena(plan.buffers, plan.aliases, plan.arenaBytes)).toEqual([]);
  });

  test('graph outputs are never overwritten and RESHAPE is a free alias', () => {
    const b = new GraphBuilder('test:reshape');
    const x = b.input(4, 4, 8);
    const y = b.conv(x, 8, { kernel: 1, stride: 1, pad: 'same' });
    const r = b.reshape(y, [1, 128]);
    const g = b.build(b.fullyConnected(r, 10));
    const plan = planLayers(g);
    expect(plan.aliases.map((l) => [l.op, l.kind])).toEqual([[0, 'pointwise'], [1, 'reshape']]);
    const off = new Map(plan.buffers.map((p) => [p.tensor, p.offset]));
    expect(off.get(r)).toBe(off.get(y));
    expect(plan.ops[1].liveBytes).toBe(128);
  });

  test('the validator reports buffers that are live together and overlap', () => {
    const buffers = [
      { tensor: 1, offset: 0, bytes: 100, firstStep: 0, lastStep: 2 },
      { tensor: 2, offset: 50, bytes: 100, firstStep: 2, lastStep: 3 },
    ];
    expect(validateArena(buffers, [], 150)).toHaveLength(1);
    expect(validateArena(buffers, [{ op: 2, input: 1, output: 2, kind: 'depthwise' }], 150)[0]).toMatch(/different offsets/);
    expect(validateArena([{ ...buffers[0], lastStep: 1 }, buffers[1]], [], 150)).toEqual([]);
  });
});
