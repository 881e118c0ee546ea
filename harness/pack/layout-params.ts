// Host-side parameters of the layout kernels in native/runtime/include/mcb/kernels_layout.h (SHAPE,
// STRIDED_SLICE, PACK, TILE, RESIZE_BILINEAR), computed as TensorFlow Lite's Prepare does (TFLM has none of
// these for ST's SSD model, so TFLite's kernels/*.cc are the standard). Field names equal the C struct fields.
import { DType, Graph, Operator, StridedSliceOptions, Tensor } from '../model/graph';
import { UserError } from '../errors';

/** An operator whose operands the layout kernels cannot take; names the model, the operator and the fix. */
export class LayoutParamsError extends UserError {
  constructor(source: string, op: Operator | undefined, problem: string) {
    super(`${source}: ${op === undefined ? '' : `operator ${op.index} ${op.type}: `}${problem}`);
    this.name = 'LayoutParamsError';
  }
}

/** MCB_STRIDED_SLICE_MAX_DIMS: TFLite slices at most 5-D (new axes included). */
export const STRIDED_SLICE_MAX_DIMS = 5;

/** mcb_strided_slice_params: the slice over the effective (ellipsis / new-axis expanded) input shape. */
export interface StridedSliceParams {
  rank: number;
  start: number[]; // STRIDED_SLICE_MAX_DIMS entries; unused axes 0
  stop: number[];
  stride: number[]; // unused axes 1
  begin_mask: number;
  end_mask: number;
  shrink_axis_mask: number;
  offset: number;
}

export interface StridedSliceResolution {
  params: StridedSliceParams;
  /** The input shape with new axes inserted: the kernel's in_shape. */
  effectiveInputShape: number[];
  /** The output shape TFLite's ResizeOutputTensor gives (shrunk axes dropped). */
  outputShape: number[];
}

const bit = (mask: number, i: number): boolean => ((mask >>> i) & 1) === 1;
const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);

/** strided_slice_logic.h StridedSliceStartForAxis. */
export function resolveStart(p: StridedSliceParams, axis: number, size: number): number {
  const stride = p.stride[axis];
  let start = p.start[axis];
  if (start < 0) start += size;
  start = stride > 0 ? clamp(start, 0, size) : clamp(start, -1, size - 1);
  if (bit(p.begin_mask, axis)) start = stride > 0 ? 0 : size - 1;
  return start;
}

/** strided_slice_logic.h StridedSliceEndForAxis (offset: the end operand is a length from start). */
export function resolveStop(p: StridedSliceParams, axis: number, size: number, start: number): number {
  if (bit(p.shrink_axis_mask, axis)) return start >= size ? start : start + 1;
  const stride = p.stride[axis];
  let stop = p.stop[axis];
  if (p.offset) stop += start;
  if (stop < 0) stop += size;
  stop = stride > 0 ? clamp(stop, 0, size) : clamp(stop, -1, size - 1);
  if (bit(p.end_mask, axis)) stop = stride > 0 ? size : -1;
  return stop;
}

/** How many indices start, start + stride, ... lie before stop: what reference_ops::StridedSlice visits. */
export function visitedCount(start: number, stop: number, stride: number): number {
  return stride > 0 ? Math.max(0, Math.ceil((stop - start) / stride)) : Math.max(0, Math.ceil((start - stop) / -stride));
}

/**
 * TFLite strided_slice.cc BuildStridedSliceParams + ResizeOutputTensor: expands ellipsis_mask and
 * new_axis_mask into per-axis begin/end masks over an effective input shape, then sizes the output in float
 * (ceil((end - begin) / float(stride)), or ceil(end / stride) with offset). Throws when TFLite would reject
 * the operands or when its output size disagrees with what its slice loop writes.
 */
export function expandStridedSlice(
  inputShape: number[], begin: number[], end: number[], strides: number[], o: StridedSliceOptions, source = 'strided slice',
): StridedSliceResolution {
  const fail = (problem: string): never => { throw new LayoutParamsError(source, undefined, problem); };
  const beginCount = begin.length;
  if (end.length !== beginCount || strides.length !== beginCount) {
    fail(`begin, end and strides hold ${begin.length}, ${end.length} and ${strides.length} values; they must match`);
  }
  if (inputShape.length > STRIDED_SLICE_MAX_DIMS) fail(`input rank ${inputShape.length} exceeds ${STRIDED_SLICE_MAX_DIMS}`);
  let numAddAxis = 0;
  for (let i = 0; i < beginCount; i++) if (!bit(o.ellipsisMask, i) && bit(o.newAxisMask, i)) numAddAxis++;
  const dims = inputShape.length + numAddAxis;
  if (dims > STRIDED_SLICE_MAX_DIMS) fail(`the slice needs ${dims} dimensions with its new axes; TFLite allows ${STRIDED_SLICE_MAX_DIMS}`);
  if (dims < 1) fail('a scalar input cannot be sliced');

  // Which effective axes the ellipsis covers and which are new axes (a new-axis bit under the ellipsis is void).
  let ellipsisAxes = 0;
  let newAxes = 0;
  let ellipsisStart = dims;
  let expandedEllipsis = 0;
  for (let i = 0; i < dims;) {
    if (bit(o.ellipsisMask, i)) {
      ellipsisStart = i;
      const span = i + 1 + numAddAxis + inputShape.length - beginCount;
      // TFLite widens an ellipsis that should cover no axis to one axis and then drops the spec's last entry,
      // where TensorFlow / NumPy drop nothing: refuse rather than reproduce a silently different slice.
      if (span < i + 1) fail('the ellipsis covers no axis here; TFLite would ignore the last slice entry — remove the ellipsis');
      const ellipsisEnd = Math.max(i + 1, Math.min(span, dims));
      expandedEllipsis = ellipsisEnd - ellipsisStart - 1;
      for (; i < ellipsisEnd; i++) ellipsisAxes |= 1 << i;
      continue;
    }
    if (bit(o.newAxisMask, i - expandedEllipsis)) newAxes |= 1 << i;
    i++;
  }

  const p: StridedSliceParams = {
    rank: dims, start: Array(STRIDED_SLICE_MAX_DIMS).fill(0), stop: Array(STRIDED_SLICE_MAX_DIMS).fill(0),
    stride: Array(STRIDED_SLICE_MAX_DIMS).fill(1), begin_mask: 0, end_mask: 0, shrink_axis_mask: 0, offset: o.offset ? 1 : 0,
  };
  const effective: number[] = [];
  let addedEllipsis = 0;
  let addedAxes = 0;
  for (let i = 0; i < dims; i++) {
    if (bit(ellipsisAxes, i)) {
      addedEllipsis = Math.max(0, i - ellipsisStart);
      p.begin_mask |= 1 << i;
      p.end_mask |= 1 << i;
      effective.push(inputShape[i - addedAxes]);
    } else if (bit(newAxes, i)) {
      p.stop[i] = 1;
      effective.push(1);
      addedAxes++;
    } else if (i >= beginCount + expandedEllipsis) {
      p.begin_mask |= 1 << i;
      p.end_mask |= 1 << i;
      effective.push(inputShape[i - addedAxes]);
    } else {
      const orig = i - addedEllipsis;
      p.start[i] = begin[orig];
      p.stop[i] = end[orig];
      p.stride[i] = strides[orig];
      if (bit(o.beginMask, orig)) p.begin_mask |= 1 << i;
      if (bit(o.endMask, orig)) p.end_mask |= 1 << i;
      if (bit(o.shrinkAxisMask, orig)) p.shrink_axis_mask |= 1 << i;
      effective.push(inputShape[i - addedAxes]);
    }
  }
  if (p.offset && (ellipsisAxes !== 0 || newAxes !== 0 || dims !== beginCount)) {
    // TFLite then reads end[] at effective indices, past the operand's end; refuse rather than guess.
    fail('offset together with an ellipsis, new axes or a partial spec is not supported (TFLite reads past the end operand)');
  }

  const outputShape: number[] = [];
  for (let i = 0; i < dims; i++) {
    const stride = p.stride[i];
    if (stride === 0) fail(`stride of axis ${i} is 0; strides must be non-zero`);
    if (stride < -(2 ** 31) + 1 || stride > 2 ** 31 - 1) fail(`stride ${stride} of axis ${i} is out of the int32 range`);
    const start = resolveStart(p, i, effective[i]);
    const stop = resolveStop(p, i, effective[i], start);
    const count = visitedCount(start, stop, stride);
    if (bit(p.shrink_axis_mask, i)) {
      if (count !== 1) fail(`shrunk axis ${i} selects ${count} elements (index out of range or negative stride); TFLite leaves such an output unwritten`);
      continue;
    }
    const extent = p.offset ? end[i] : stop - start;
    const sized = Math.max(0, Math.ceil(Math.fround(Math.fround(extent) / Math.fround(stride))));
    if (sized !== count) {
      fail(`axis ${i}: TFLite sizes the output ${sized} but its slice loop writes ${count} elements; fix begin/end`);
    }
    outputShape.push(sized);
  }
  return { params: p, effectiveInputShape: effective, outputShape };
}

/** Little-endian int32 contents of a constant operand, or undefined when it has no data. */
export function constantInt32(t: Tensor | undefined): number[] | undefined {
  if (t?.data === undefined || t.dtype !== 'int32') return undefined;
  const view = new DataView(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  return Array.from({ length: t.data.byteLength >> 2 }, (_, i) => view.getInt32(4 * i, true));
}

function operand(graph: Graph, op: Operator, slot: number, what: string): Tensor {
  const t = graph.tensors[op.inputs[slot] ?? -1];
  if (t === undefined) throw new LayoutParamsError(graph.source, op, `${what} (input ${slot}) is missing`);
  return t;
}

function constantOperand(graph: Graph, op: Operator, slot: number, what: string): number[] {
  const values = constantInt32(operand(graph, op, slot, what));
  if (values === undefined) {
    throw new LayoutParamsError(graph.source, op, `${what} must be a constant int32 tensor; fold shape ops first (fold-shape-ops.ts)`);
  }
  return values;
}

const sameShape = (a: number[], b: number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

const QUANTIZED: DType[] = ['int8', 'uint8', 'int16'];

/**
 * The layout ops copy bytes, so an input and the output must share the dtype. TFLite's PACK also demands equal
 * scale and zero point for quantized types (pack.cc); STRIDED_SLICE, TILE and RESIZE_BILINEAR copy or
 * interpolate the raw values without looking at quantization (the converter gives them equal parameters), so
 * only PACK checks it, as TFLite does.
 */
function requireSameEncoding(graph: Graph, op: Operator, input: Tensor, output: Tensor, checkQuantization = false): void {
  if (input.dtype !== output.dtype) {
    throw new LayoutParamsError(graph.source, op, `input "${input.name}" is ${input.dtype} but output "${output.name}" is ${output.dtype}`);
  }
  if (!checkQuantization || !QUANTIZED.includes(input.dtype)) return;
  const qi = input.quantization;
  const qo = output.quantization;
  if (qi?.scale[0] !== qo?.scale[0] || (qi?.zeroPoint[0] ?? 0) !== (qo?.zeroPoint[0] ?? 0)) {
    throw new LayoutParamsError(graph.source, op,
      `input "${input.name}" and output "${output.name}" have different quantization; TFLite's PACK requires equal scales and zero points — re-export the model`);
  }
}

/** STRIDED_SLICE with constant begin/end/strides: the kernel params and effective input shape. */
export function stridedSliceParams(graph: Graph, op: Operator): StridedSliceResolution {
  const o = op.options;
  if (o.kind !== 'stridedSlice') throw new LayoutParamsError(graph.source, op, 'options are not strided-slice options');
  const input = operand(graph, op, 0, 'the input');
  const output = graph.tensors[op.outputs[0]];
  requireSameEncoding(graph, op, input, output);
  if (input.dtype !== 'int8' && input.dtype !== 'int32') {
    throw new LayoutParamsError(graph.source, op, `dtype ${input.dtype} has no kernel (int8 and int32 do)`);
  }
  const r = expandStridedSlice(input.shape, constantOperand(graph, op, 1, 'begin'), constantOperand(graph, op, 2, 'end'),
    constantOperand(graph, op, 3, 'strides'), o, `${graph.source}: operator ${op.index} STRIDED_SLICE`);
  if (!sameShape(r.outputShape, output.shape)) {
    throw new LayoutParamsError(graph.source, op, `slices to [${r.outputShape}] but the output tensor is [${output.shape}]`);
  }
  return r;
}

/** mcb_pack_*: the axis normalised to [0, rank] and the common input shape. */
export interface PackParams { axis: number; values_count: number; inputShape: number[] }

export function packParams(graph: Graph, op: Operator): PackParams {
  const o = op.options;
  if (o.kind !== 'pack') throw new LayoutParamsError(graph.source, op, 'options are not pack options');
  const output = graph.tensors[op.outputs[0]];
  const first = operand(graph, op, 0, 'the first value');
  if (o.valuesCount !== op.inputs.length) {
    throw new LayoutParamsError(graph.source, op, `values_count ${o.valuesCount} but ${op.inputs.length} inputs`);
  }
  op.inputs.forEach((_, slot) => {
    const t = operand(graph, op, slot, `value ${slot}`);
    if (!sameShape(t.shape, first.shape)) {
      throw new LayoutParamsError(graph.source, op, `value ${slot} "${t.name}" is [${t.shape}], value 0 is [${first.shape}]; PACK needs equal shapes`);
    }
    requireSameEncoding(graph, op, t, output, true);
  });
  const rank = first.shape.length;
  const axis = o.axis < 0 ? o.axis + rank + 1 : o.axis;
  if (axis < 0 || axis > rank) throw new LayoutParamsError(graph.source, op, `axis ${o.axis} is outside [-${rank + 1}, ${rank}]`);
  const expected = [...first.shape.slice(0, axis), o.valuesCount, ...first.shape.slice(axis)];
  if (!sameShape(expected, output.shape)) {
    throw new LayoutParamsError(graph.source, op, `packs to [${expected}] but the output tensor is [${output.shape}]`);
  }
  return { axis, values_count: o.valuesCount, inputShape: first.shape };
}

/** TILE's output shape; multiples must be >= 1 (the runtime has no empty tensors). */
export function tileOutputShape(inputShape: number[], multiples: number[], source = 'tile'): number[] {
  if (multiples.length !== inputShape.length) {
    throw new LayoutParamsError(source, undefined, `${multiples.length} multiples for rank ${inputShape.length}`);
  }
  return inputShape.map((d, i) => {
    if (!Number.isInteger(multiples[i]) || multiples[i] < 1) {
      throw new LayoutParamsError(source, undefined, `multiple ${multiples[i]} of axis ${i} must be a positive integer`);
    }
    return d * multiples[i];
  });
}

/** TILE: checks encodings and, when multiples are constant (or folded), the output shape. */
export function tileParams(graph: Graph, op: Operator): { multiples?: number[] } {
  const input = operand(graph, op, 0, 'the input');
  const multiplesTensor = operand(graph, op, 1, 'multiples');
  const output = graph.tensors[op.outputs[0]];
  requireSameEncoding(graph, op, input, output);
  if (multiplesTensor.dtype !== 'int32' || multiplesTensor.shape.length !== 1 || multiplesTensor.shape[0] !== input.shape.length) {
    throw new LayoutParamsError(graph.source, op, `multiples must be int32[${input.shape.length}], got ${multiplesTensor.dtype}[${multiplesTensor.shape}]`);
  }
  const multiples = constantInt32(multiplesTensor);
  if (multiples !== undefined) {
    const shape = tileOutputShape(input.shape, multiples, `${graph.source}: operator ${op.index} TILE`);
    if (!sameShape(shape, output.shape)) {
      throw new LayoutParamsError(graph.source, op, `tiles to [${shape}] but the output tensor is [${output.shape}]`);
    }
  }
  return { multiples };
}

/** mcb_resize_params plus the sizes mcb_resize_bilinear_s8 takes. */
export interface ResizeBilinearParams {
  align_corners: number; half_pixel_centers: number;
  batches: number; in_h: number; in_w: number; c: number; out_h: number; out_w: number;
}

export function resizeBilinearParams(graph: Graph, op: Operator): ResizeBilinearParams {
  const o = op.options;
  if (o.kind !== 'resize') throw new LayoutParamsError(graph.source, op, 'options are not resize options');
  if (o.alignCorners && o.halfPixelCenters) {
    throw new LayoutParamsError(graph.source, op, 'align_corners and half_pixel_centers are both set; TFLite allows at most one');
  }
  const input = operand(graph, op, 0, 'the input');
  const output = graph.tensors[op.outputs[0]];
  requireSameEncoding(graph, op, input, output);
  if (input.dtype !== 'int8') throw new LayoutParamsError(graph.source, op, `dtype ${input.dtype} has no kernel (int8 does)`);
  const size = constantOperand(graph, op, 1, 'size');
  if (input.shape.length !== 4 || size.length !== 2) {
    throw new LayoutParamsError(graph.source, op, `needs a 4-D input and a 2-value size, got [${input.shape}] and ${size.length} values`);
  }
  const [batches, inH, inW, c] = input.shape;
  const [outH, outW] = size;
  if (!(outH > 0 && outW > 0)) throw new LayoutParamsError(graph.source, op, `size [${size}] must be positive`);
  if (!sameShape([batches, outH, outW, c], output.shape)) {
    throw new LayoutParamsError(graph.source, op, `resizes to [${[batches, outH, outW, c]}] but the output tensor is [${output.shape}]`);
  }
  return { align_corners: o.alignCorners ? 1 : 0, half_pixel_centers: o.halfPixelCenters ? 1 : 0, batches, in_h: inH, in_w: inW, c, out_h: outH, out_w: outW };
}

/**
 * Parameter-block words for the op table (struct fields in declaration order; sizes come from the tensors):
 *   SHAPE: none (out_count = output element count; int32 output only)
 *   STRIDED_SLICE: mcb_strided_slice_params (rank, start[5], stop[5], stride[5], begin_mask, end_mask,
 *                  shrink_axis_mask, offset) then the effective input dims[5] (1 past rank)
 *   PACK: axis, values_count
 *   TILE: none (multiples is input 1, an int32 tensor read at run time)
 *   RESIZE_BILINEAR: align_corners, half_pixel_centers (as RESIZE_NEAREST_NEIGHBOR)
 */
export function layoutParamWords(graph: Graph, op: Operator): number[] {
  switch (op.type) {
    case 'SHAPE': {
      const out = graph.tensors[op.outputs[0]];
      if (out.dtype !== 'int32') throw new LayoutParamsError(graph.source, op, `output dtype ${out.dtype} is not supported (int32 is)`);
      return [];
    }
    case 'STRIDED_SLICE': {
      const { params: p, effectiveInputShape } = stridedSliceParams(graph, op);
      const dims = Array.from({ length: STRIDED_SLICE_MAX_DIMS }, (_, d) => effectiveInputShape[d] ?? 1);
      return [p.rank, ...p.start, ...p.stop, ...p.stride, p.begin_mask, p.end_mask, p.shrink_axis_mask, p.offset, ...dims];
    }
    case 'PACK': {
      const p = packParams(graph, op);
      return [p.axis, p.values_count];
    }
    case 'TILE':
      tileParams(graph, op);
      return [];
    case 'RESIZE_BILINEAR': {
      const p = resizeBilinearParams(graph, op);
      return [p.align_corners, p.half_pixel_centers];
    }
    default:
      throw new LayoutParamsError(graph.source, op, 'is not a layout operator');
  }
}
