// Constant-folds SHAPE → STRIDED_SLICE → PACK chains. Every shape in the graph IR is static, so SHAPE is a
// constant, and slicing or packing int32 constants is a constant too. ST's SSD head builds its TILE multiples
// this way five times; after folding, TILE gets a constant int32 multiples operand and the 15 shape ops vanish
// from the schedule (no int32 arena tensors, no kernels to run on the board). planImage (image-for-model.ts) folds
// before planning for every command.
import { Graph, Operator, StridedSliceOptions, Tensor } from '../model/graph';
import {
  constantInt32, expandStridedSlice, LayoutParamsError, resolveStart, resolveStop, visitedCount,
} from './layout-params';

export interface FoldedShapeOps {
  /** The graph without the folded operators; their outputs now carry `data` (int32, little-endian). */
  graph: Graph;
  /** Indices (in the original graph) of the operators that were folded away. */
  foldedOperators: number[];
  /** Original tensor index → folded int32 values, for every tensor the fold produced. */
  values: Map<number, Int32Array>;
}

const FOLDABLE = new Set(['SHAPE', 'STRIDED_SLICE', 'PACK']);

function int32Bytes(values: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(4 * values.length);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setInt32(4 * i, values[i], true);
  return bytes;
}

/** reference_ops::StridedSlice on a row-major value array (the same index walk as strided_slice_ref.c). */
export function evalStridedSlice(values: ArrayLike<number>, inputShape: number[], begin: number[], end: number[],
  strides: number[], options: StridedSliceOptions, source?: string): { shape: number[]; values: number[] } {
  const r = expandStridedSlice(inputShape, begin, end, strides, options, source);
  const dims = r.effectiveInputShape;
  const starts = dims.map((size, d) => resolveStart(r.params, d, size));
  const counts = dims.map((size, d) => visitedCount(starts[d], resolveStop(r.params, d, size, starts[d]), r.params.stride[d]));
  const inStride = dims.map((_, d) => dims.slice(d + 1).reduce((a, b) => a * b, 1));
  const out: number[] = [];
  const walk = (d: number, base: number): void => {
    if (d === dims.length) {
      out.push(values[base]);
      return;
    }
    for (let k = 0; k < counts[d]; k++) walk(d + 1, base + (starts[d] + k * r.params.stride[d]) * inStride[d]);
  };
  walk(0, 0);
  return { shape: r.outputShape, values: out };
}

/** reference_ops::Pack: inputs of equal shape stacked along a new `axis` (already in [0, rank]). */
export function evalPack(inputs: ArrayLike<number>[], inputShape: number[], axis: number): number[] {
  const outer = inputShape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = inputShape.slice(axis).reduce((a, b) => a * b, 1);
  const out: number[] = [];
  for (let k = 0; k < outer; k++) {
    for (const input of inputs) for (let j = 0; j < inner; j++) out.push(input[k * inner + j]);
  }
  return out;
}

function foldOne(graph: Graph, op: Operator, known: Map<number, Int32Array>): Int32Array | undefined {
  const value = (slot: number): Int32Array | undefined => {
    const t = op.inputs[slot];
    if (t === undefined || t < 0) return undefined;
    if (known.has(t)) return known.get(t);
    const c = constantInt32(graph.tensors[t]);
    return c === undefined ? undefined : Int32Array.from(c);
  };
  const out: Tensor = graph.tensors[op.outputs[0]];
  if (out.dtype !== 'int32' || graph.outputs.includes(out.index)) return undefined;
  const source = `${graph.source}: operator ${op.index} ${op.type}`;
  switch (op.type) {
    case 'SHAPE':
      return Int32Array.from(graph.tensors[op.inputs[0]].shape);
    case 'STRIDED_SLICE': {
      const [input, begin, end, strides] = [0, 1, 2, 3].map(value);
      if (op.options.kind !== 'stridedSlice' || !input || !begin || !end || !strides) return undefined;
      const r = evalStridedSlice(input, graph.tensors[op.inputs[0]].shape, Array.from(begin), Array.from(end),
        Array.from(strides), op.options, source);
      if (r.shape.join() !== out.shape.join()) throw new LayoutParamsError(graph.source, op, `folds to [${r.shape}] but the output tensor is [${out.shape}]`);
      return Int32Array.from(r.values);
    }
    case 'PACK': {
      const inputs = op.inputs.map((_, slot) => value(slot));
      if (op.options.kind !== 'pack' || inputs.some((v) => v === undefined)) return undefined;
      const shape = graph.tensors[op.inputs[0]].shape;
      const axis = op.options.axis < 0 ? op.options.axis + shape.length + 1 : op.options.axis;
      const packed = evalPack(inputs as Int32Array[], shape, axis);
      if (packed.length !== out.shape.reduce((a, b) => a * b, 1)) throw new LayoutParamsError(graph.source, op, `folds to ${packed.length} values for output [${out.shape}]`);
      return Int32Array.from(packed);
    }
    default:
      return undefined;
  }
}

/**
 * Folds every SHAPE, STRIDED_SLICE and PACK whose inputs are static (SHAPE always is) and whose int32 output is
 * not a graph output. Later operators see the folded tensors as constants; operators are renumbered in order.
 */
export function foldShapeOps(graph: Graph): FoldedShapeOps {
  const values = new Map<number, Int32Array>();
  const foldedOperators: number[] = [];
  for (const op of graph.operators) {
    if (!FOLDABLE.has(op.type)) continue;
    const folded = foldOne(graph, op, values);
    if (folded === undefined) continue;
    values.set(op.outputs[0], folded);
    foldedOperators.push(op.index);
  }
  const removed = new Set(foldedOperators);
  const tensors = graph.tensors.map((t) => (values.has(t.index) ? { ...t, data: int32Bytes(values.get(t.index)!) } : t));
  const operators = graph.operators.filter((op) => !removed.has(op.index)).map((op, index) => ({ ...op, index }));
  return { graph: { ...graph, tensors, operators }, foldedOperators, values };
}
