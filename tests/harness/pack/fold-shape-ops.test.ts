// Folding SHAPE → STRIDED_SLICE → PACK on ST's SSD MobileNet v1 (../shared). Expected values come from the model
// itself by independent routes: SHAPE = the producer tensor's shape, the raw graph's PACKed RESHAPE operands must
// equal the RESHAPE output shapes stored in the file, and TILE's multiples [batch, 1, 1, 1, 1] with batch 1.
import { loadModel, StridedSliceOptions } from '../../../harness/model';
import { evalPack, evalStridedSlice, foldShapeOps } from '../../../harness/pack/fold-shape-ops';
import { constantInt32, layoutParamWords, tileParams } from '../../../harness/pack/layout-params';
import { sharedModel } from '../../support/paths';

const SSD = sharedModel('st_ssd_mobilenet_v1_025_192_person_int8');

function opts(o: Partial<StridedSliceOptions> = {}): StridedSliceOptions {
  return { kind: 'stridedSlice', beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0, offset: false, ...o };
}

describe('evalStridedSlice / evalPack (reference_ops semantics, hand-computed)', () => {
  // g[r][c] = 10 r + c on [3, 4]
  const grid = Array.from({ length: 12 }, (_, i) => 10 * Math.floor(i / 4) + (i % 4));

  it('slices with masks, negative strides, shrink and offset', () => {
    expect(evalStridedSlice(grid, [3, 4], [1, 1], [3, 3], [1, 1], opts()).values).toEqual([11, 12, 21, 22]);
    expect(evalStridedSlice(grid, [3, 4], [1, 1], [3, 3], [1, 1], opts({ endMask: 2 })).values).toEqual([11, 12, 13, 21, 22, 23]);
    expect(evalStridedSlice(grid, [3, 4], [-1, 0], [0, 4], [1, 1], opts({ shrinkAxisMask: 1 }))).toEqual({ shape: [4], values: [20, 21, 22, 23] });
    expect(evalStridedSlice(grid, [3, 4], [0, 0], [0, 0], [-1, -2], opts({ beginMask: 3, endMask: 3 })).values)
      .toEqual([23, 21, 13, 11, 3, 1]); // rows 2, 1, 0; cols 3, 1
    expect(evalStridedSlice(grid, [3, 4], [-2, 1], [1, 2], [1, 1], opts({ offset: true })).values).toEqual([11, 12]);
    expect(evalStridedSlice(grid, [3, 4], [0, 1], [0, 3], [1, 1], opts({ newAxisMask: 1 })))
      .toEqual({ shape: [1, 2, 4], values: [10, 11, 12, 13, 20, 21, 22, 23] });
  });

  it('packs along each axis', () => {
    const a = [1, 2, 3, 4];
    const b = [5, 6, 7, 8];
    expect(evalPack([a, b], [2, 2], 0)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(evalPack([a, b], [2, 2], 1)).toEqual([1, 2, 5, 6, 3, 4, 7, 8]);
    expect(evalPack([a, b], [2, 2], 2)).toEqual([1, 5, 2, 6, 3, 7, 4, 8]);
    expect(evalPack([[7], [1], [1]], [], 0)).toEqual([7, 1, 1]);
  });
});

describe('foldShapeOps on ST SSD MobileNet v1', () => {
  it('normalised graph: the 15 shape ops fold away and every TILE gets constant multiples [1,1,1,1,1]', () => {
    const graph = loadModel(SSD);
    const shapeOps = graph.operators.filter((op) => ['SHAPE', 'STRIDED_SLICE', 'PACK'].includes(op.type)).map((op) => op.index);
    const r = foldShapeOps(graph);
    expect(r.foldedOperators).toEqual(shapeOps);
    expect(shapeOps.length).toBe(15);
    expect(r.graph.operators.length).toBe(graph.operators.length - 15);
    expect(r.graph.operators.map((op) => op.index)).toEqual(r.graph.operators.map((_, i) => i));
    for (const op of graph.operators.filter((o) => o.type === 'SHAPE')) {
      expect(Array.from(r.values.get(op.outputs[0])!)).toEqual(graph.tensors[op.inputs[0]].shape);
    }
    const tiles = r.graph.operators.filter((op) => op.type === 'TILE');
    expect(tiles.length).toBe(5);
    for (const op of tiles) {
      expect(constantInt32(r.graph.tensors[op.inputs[1]])).toEqual([1, 1, 1, 1, 1]);
      expect(tileParams(r.graph, op)).toEqual({ multiples: [1, 1, 1, 1, 1] });
      expect(layoutParamWords(r.graph, op)).toEqual([]);
    }
    // The original graph is untouched.
    expect(graph.operators.length).toBe(97);
    expect(graph.tensors[tiles[0].inputs[1]].data).toBeUndefined();
  });

  it('raw graph: every PACKed RESHAPE shape operand equals the RESHAPE output shape stored in the file', () => {
    const raw = loadModel(SSD, { normalise: false });
    const r = foldShapeOps(raw);
    const shapeOps = raw.operators.filter((op) => ['SHAPE', 'STRIDED_SLICE', 'PACK'].includes(op.type));
    expect(r.foldedOperators.length).toBe(shapeOps.length);
    const reshapes = raw.operators.filter((op) => op.type === 'RESHAPE' && r.values.has(op.inputs[1]));
    // 21 PACKs: 5 build TILE multiples, the other 16 build RESHAPE shape operands.
    const packs = raw.operators.filter((op) => op.type === 'PACK').length;
    const tiles = raw.operators.filter((op) => op.type === 'TILE').length;
    expect([packs, tiles]).toEqual([21, 5]);
    expect(reshapes.length).toBe(packs - tiles);
    for (const op of reshapes) {
      expect(Array.from(r.values.get(op.inputs[1])!)).toEqual(raw.tensors[op.outputs[0]].shape);
    }
  });

  it('leaves an op alone when its input is not static', () => {
    const graph = loadModel(SSD);
    const slice = graph.operators.find((op) => op.type === 'STRIDED_SLICE')!;
    const onlySlice = { ...graph, operators: [{ ...slice, index: 0 }] };
    // Without the SHAPE producer folded first, the sliced tensor has no data: nothing to fold.
    expect(foldShapeOps(onlySlice).foldedOperators).toEqual([]);
  });
});
