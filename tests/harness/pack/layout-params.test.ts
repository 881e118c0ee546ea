// Expected values are worked out by hand from TFLite's strided_slice.cc (BuildStridedSliceParams,
// ResizeOutputTensor), strided_slice_logic.h, pack.cc, tile.cc and resize_bilinear.cc; the model cases use ST's
// SSD MobileNet v1 from ../shared, whose operands `mcubench inspect` shows.
import { Graph, loadModel, Operator, StridedSliceOptions, Tensor } from '../../../harness/model';
import {
  expandStridedSlice, LayoutParamsError, layoutParamWords, packParams, resizeBilinearParams, stridedSliceParams,
  tileOutputShape, tileParams,
} from '../../../harness/pack/layout-params';
import { sharedModel } from '../../support/paths';

const SSD = sharedModel('st_ssd_mobilenet_v1_025_192_person_int8');

function opts(o: Partial<StridedSliceOptions> = {}): StridedSliceOptions {
  return { kind: 'stridedSlice', beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0, offset: false, ...o };
}

describe('expandStridedSlice (TFLite BuildStridedSliceParams + ResizeOutputTensor)', () => {
  it('SSD: shape[0:1] with shrink gives a scalar', () => {
    const r = expandStridedSlice([4], [0], [1], [1], opts({ shrinkAxisMask: 1 }));
    expect(r.outputShape).toEqual([]);
    expect(r.effectiveInputShape).toEqual([4]);
    expect(r.params).toEqual({ rank: 1, start: [0, 0, 0, 0, 0], stop: [1, 0, 0, 0, 0], stride: [1, 1, 1, 1, 1],
      begin_mask: 0, end_mask: 0, shrink_axis_mask: 1, offset: 0 });
  });

  it('x[newaxis, 1:3] on [3,4]: the new axis becomes a size-1 input dim, the unspecified last axis is masked', () => {
    // num_add_axis = 1 -> 3 effective dims; axis 0 new (0:1), axis 1 = spec entry 1 (1:3), axis 2 past the spec.
    const r = expandStridedSlice([3, 4], [0, 1], [0, 3], [1, 1], opts({ newAxisMask: 1 }));
    expect(r.effectiveInputShape).toEqual([1, 3, 4]);
    expect(r.params.start.slice(0, 3)).toEqual([0, 1, 0]);
    expect(r.params.stop.slice(0, 3)).toEqual([1, 3, 0]);
    expect([r.params.begin_mask, r.params.end_mask]).toEqual([4, 4]);
    expect(r.outputShape).toEqual([1, 2, 4]);
  });

  it('x[..., 1] on [2,3,4] with shrink: the ellipsis covers two axes, the shrink bit moves to axis 2', () => {
    // ellipsis_end = max(1, min(1 + 0 + 3 - 2, 3)) = 2 -> axes 0, 1 masked; spec entry 1 lands on axis 2.
    const r = expandStridedSlice([2, 3, 4], [0, 1], [0, 2], [1, 1], opts({ ellipsisMask: 1, shrinkAxisMask: 2 }));
    expect(r.effectiveInputShape).toEqual([2, 3, 4]);
    expect([r.params.begin_mask, r.params.end_mask, r.params.shrink_axis_mask]).toEqual([3, 3, 4]);
    expect([r.params.start[2], r.params.stop[2]]).toEqual([1, 2]);
    expect(r.outputShape).toEqual([2, 3]);
  });

  it('begin and end masks, negative indices and strides', () => {
    // rows: begin masked -> 0..3; cols 1..-1 -> 1..3 : [3, 2]
    expect(expandStridedSlice([3, 4], [2, 1], [3, -1], [1, 1], opts({ beginMask: 1 })).outputShape).toEqual([3, 2]);
    // [6], -1 -> 5 down to -5 -> 1, stride -2: ceil((1 - 5) / -2) = 2
    expect(expandStridedSlice([6], [-1], [-5], [-2], opts()).outputShape).toEqual([2]);
    // both masks, stride -1: 5 down to -1: ceil(-6 / -1) = 6
    expect(expandStridedSlice([6], [0], [0], [-1], opts({ beginMask: 1, endMask: 1 })).outputShape).toEqual([6]);
    // stride 3 over [0, 7): ceil(7 / 3) = 3 (indices 0, 3, 6)
    expect(expandStridedSlice([7], [0], [7], [3], opts()).outputShape).toEqual([3]);
  });

  it('offset: end is a length from the resolved begin', () => {
    const r = expandStridedSlice([3, 4], [1, 0], [2, 3], [1, 1], opts({ offset: true }));
    expect(r.outputShape).toEqual([2, 3]);
    expect(r.params.offset).toBe(1);
  });

  it('rejects what TFLite rejects or would leave unwritten, naming the problem', () => {
    expect(() => expandStridedSlice([4], [0], [4], [0], opts())).toThrow(/stride of axis 0 is 0/);
    expect(() => expandStridedSlice([4], [0, 1], [4], [1], opts())).toThrow(/must match/);
    // shrink at index 7 of a size-4 axis: start clamps to 4, nothing selected
    expect(() => expandStridedSlice([4], [7], [8], [1], opts({ shrinkAxisMask: 1 }))).toThrow(/shrunk axis 0 selects 0/);
    // offset: TFLite sizes ceil(5 / 1) = 5 but only rows 1, 2 exist
    expect(() => expandStridedSlice([3], [1], [5], [1], opts({ offset: true }))).toThrow(/sizes the output 5 but its slice loop writes 2/);
    expect(() => expandStridedSlice([3, 4], [0], [1], [1], opts({ offset: true, ellipsisMask: 1 }))).toThrow(LayoutParamsError);
    expect(() => expandStridedSlice([1, 1, 1, 1, 1], [0], [1], [1], opts({ newAxisMask: 1 }))).toThrow(/6 dimensions/);
    // x[..., -3:] on a 1-D tensor: TFLite's ellipsis still takes axis 0 and the -3: entry is dropped (whole tensor),
    // NumPy and TensorFlow give the last 3; refused instead of silently differing.
    expect(() => expandStridedSlice([4], [0, -3], [0, 0], [1, 1], opts({ ellipsisMask: 1, endMask: 2 }))).toThrow(/ellipsis covers no axis/);
  });
});

describe('model operators of ST SSD MobileNet v1', () => {
  const graph = loadModel(SSD);
  const ofType = (type: Operator['type']): Operator[] => graph.operators.filter((op) => op.type === type);

  it('has the five SHAPE → STRIDED_SLICE → PACK → TILE chains and four bilinear upsamplings', () => {
    expect(['SHAPE', 'STRIDED_SLICE', 'PACK', 'TILE'].map((t) => ofType(t as Operator['type']).length)).toEqual([5, 5, 5, 5]);
    expect(ofType('RESIZE_BILINEAR').length).toBe(4);
  });

  it('STRIDED_SLICE words: struct fields, then the effective input dims padded with 1', () => {
    for (const op of ofType('STRIDED_SLICE')) {
      expect(layoutParamWords(graph, op)).toEqual([1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 1, 0, 4, 1, 1, 1, 1]);
      expect(stridedSliceParams(graph, op).outputShape).toEqual([]);
    }
  });

  it('PACK of five int32 scalars along axis 0', () => {
    for (const op of ofType('PACK')) {
      expect(packParams(graph, op)).toEqual({ axis: 0, values_count: 5, inputShape: [] });
      expect(layoutParamWords(graph, op)).toEqual([0, 5]);
    }
  });

  it('RESIZE_BILINEAR: half-pixel 2x upsampling 1->2, 3->6, 6->12, 12->24 on 32 channels', () => {
    const sizes = ofType('RESIZE_BILINEAR').map((op) => resizeBilinearParams(graph, op));
    expect(sizes.map((p) => [p.in_h, p.out_h, p.in_w, p.out_w])).toEqual([[1, 2, 1, 2], [3, 6, 3, 6], [6, 12, 6, 12], [12, 24, 12, 24]]);
    for (const p of sizes) expect([p.align_corners, p.half_pixel_centers, p.batches, p.c]).toEqual([0, 1, 1, 32]);
  });

  it('TILE multiples are not constant until folded; SHAPE needs no words', () => {
    for (const op of ofType('TILE')) expect(tileParams(graph, op)).toEqual({ multiples: undefined });
    for (const op of ofType('SHAPE')) expect(layoutParamWords(graph, op)).toEqual([]);
  });
});

describe('PACK, TILE and RESIZE_BILINEAR checks on small graphs', () => {
  const t = (index: number, shape: number[], dtype: Tensor['dtype'] = 'int8', scale = 0.5, zeroPoint = 3, data?: Uint8Array): Tensor =>
    ({ index, name: `t${index}`, shape, dtype, quantization: { scale: [scale], zeroPoint: [zeroPoint], axis: 0 }, data });
  const int32Data = (values: number[]): Uint8Array => new Uint8Array(Int32Array.from(values).buffer);
  const graphOf = (tensors: Tensor[], op: Omit<Operator, 'index'>): Graph =>
    ({ source: 'small.tflite', tensors, operators: [{ ...op, index: 0 }], inputs: [0], outputs: [tensors.length - 1] });

  it('PACK: axis -1 on [2,2] inputs becomes 2; differing quantization is refused', () => {
    const g = graphOf([t(0, [2, 2]), t(1, [2, 2]), t(2, [2, 2, 2])], { type: 'PACK', inputs: [0, 1], outputs: [2], options: { kind: 'pack', valuesCount: 2, axis: -1 } });
    expect(packParams(g, g.operators[0]).axis).toBe(2);
    g.tensors[1] = t(1, [2, 2], 'int8', 0.25);
    expect(() => packParams(g, g.operators[0])).toThrow(/different quantization/);
  });

  it('TILE: constant multiples give the output shape; zero multiples are refused', () => {
    expect(tileOutputShape([2, 3], [2, 1])).toEqual([4, 3]);
    expect(() => tileOutputShape([2, 3], [0, 1])).toThrow(/positive integer/);
    const g = graphOf([t(0, [2, 3]), t(1, [2], 'int32', 1, 0, int32Data([2, 1])), t(2, [4, 3])],
      { type: 'TILE', inputs: [0, 1], outputs: [2], options: { kind: 'none' } });
    expect(tileParams(g, g.operators[0])).toEqual({ multiples: [2, 1] });
    g.tensors[2] = t(2, [4, 6]);
    expect(() => tileParams(g, g.operators[0])).toThrow(/tiles to \[4,3\]/);
  });

  it('RESIZE_BILINEAR: both flags set or a size that disagrees with the output is refused', () => {
    const g = graphOf([t(0, [1, 2, 2, 4]), t(1, [2], 'int32', 1, 0, int32Data([4, 4])), t(2, [1, 4, 4, 4])],
      { type: 'RESIZE_BILINEAR', inputs: [0, 1], outputs: [2], options: { kind: 'resize', alignCorners: false, halfPixelCenters: false } });
    expect(layoutParamWords(g, g.operators[0])).toEqual([0, 0]);
    g.operators[0].options = { kind: 'resize', alignCorners: true, halfPixelCenters: true };
    expect(() => resizeBilinearParams(g, g.operators[0])).toThrow(/both set/);
    g.operators[0].options = { kind: 'resize', alignCorners: true, halfPixelCenters: false };
    g.tensors[2] = t(2, [1, 4, 3, 4]);
    expect(() => resizeBilinearParams(g, g.operators[0])).toThrow(/resizes to \[1,4,4,4\]/);
  });
});
