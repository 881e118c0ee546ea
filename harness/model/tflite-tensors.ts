// Reads the tensor table of a TFLite subgraph into IR tensors: shape, dtype, quantization and constant data.
import { Model } from './tflite-schema/generated/tflite/model';
import { SubGraph } from './tflite-schema/generated/tflite/sub-graph';
import { Tensor as FbTensor } from './tflite-schema/generated/tflite/tensor';
import { TensorType } from './tflite-schema/generated/tflite/tensor-type';
import { QuantizationParameters } from './tflite-schema/generated/tflite/quantization-parameters';
import { Encoding } from 'flatbuffers';
import { CheckedByteBuffer } from './checked-byte-buffer';
import { DType, DTYPE_BYTES, ModelError, Quantization, Tensor } from './graph';

const DTYPES: Partial<Record<TensorType, DType>> = {
  [TensorType.FLOAT32]: 'float32', [TensorType.FLOAT16]: 'float16', [TensorType.INT32]: 'int32',
  [TensorType.UINT8]: 'uint8', [TensorType.INT64]: 'int64', [TensorType.BOOL]: 'bool',
  [TensorType.INT16]: 'int16', [TensorType.INT8]: 'int8',
};

/** Larger than any tensor an MCU model can hold; anything above is a corrupt shape, not a model. */
export const MAX_TENSOR_BYTES = 1 << 30;

// Field slots in the generated readers' vtables (4 + 2 * field id), needed to locate vectors for bulk reads.
const BUFFER_DATA_SLOT = 4;
const QUANT_SCALE_SLOT = 8;
const QUANT_ZERO_POINT_SLOT = 10;

export function tensorDType(type: number, source: string, what: string): DType {
  const dtype = DTYPES[type as TensorType];
  if (dtype === undefined) {
    const name = TensorType[type] ?? `type code ${type}`;
    throw new ModelError(source, `${what} has unsupported element type ${name}; supported: ${Object.values(DTYPES).join(', ')}`);
  }
  return dtype;
}

function readShape(t: FbTensor, source: string, what: string): number[] {
  const rank = t.shapeLength();
  if (rank > 8) throw new ModelError(source, `${what} has rank ${rank}; at most 8 dimensions are supported`);
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) {
    const dim = t.shape(i) ?? -1;
    if (dim < 0) throw new ModelError(source, `${what} has invalid dimension ${dim} at axis ${i}`);
    shape.push(dim);
  }
  return shape;
}

/** Absolute position and length of a vector field, checked to fit the file at `elementSize` bytes each. */
function vectorAt(bb: CheckedByteBuffer, table: number, slot: number, elementSize: number): { start: number; length: number } {
  const field = bb.__offset(table, slot);
  return field === 0 ? { start: 0, length: 0 } : bb.checkedVector(table + field, elementSize);
}

interface RawQuantization { scale: number[]; zeroPoint: number[]; storedAxis: number }

function readRawQuantization(q: QuantizationParameters, bb: CheckedByteBuffer, source: string, what: string): RawQuantization | undefined {
  // Read scale (float32) and zero_point (int64) vectors directly: per-channel models have thousands of
  // entries, and the generated int64 accessor goes through BigInt for each.
  const scales = vectorAt(bb, q.bb_pos, QUANT_SCALE_SLOT, 4);
  const zeroPoints = vectorAt(bb, q.bb_pos, QUANT_ZERO_POINT_SLOT, 8);
  const n = scales.length;
  if (n === 0) return undefined;
  if (zeroPoints.length !== n) {
    throw new ModelError(source, `${what} has ${n} quantization scales but ${zeroPoints.length} zero points`);
  }
  const scale: number[] = [];
  const zeroPoint: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = bb.readFloat32(scales.start + 4 * i);
    const low = bb.readInt32(zeroPoints.start + 8 * i);
    const high = bb.readInt32(zeroPoints.start + 8 * i + 4);
    // Only finiteness is checked: real converters write negative scales on int32 biases, which kernels never read.
    if (!Number.isFinite(s)) throw new ModelError(source, `${what} has invalid quantization scale ${s}`);
    if (high !== low >> 31) throw new ModelError(source, `${what} has zero point ${(BigInt(high) << 32n) | BigInt(low >>> 0)} outside the int32 range`);
    scale.push(s);
    zeroPoint.push(low);
  }
  return { scale, zeroPoint, storedAxis: q.quantizedDimension() };
}

function checkQuantization(raw: RawQuantization, shape: number[], source: string, what: string): Quantization {
  const n = raw.scale.length;
  let axis = raw.storedAxis;
  if (n > 1 && !(axis >= 0 && axis < shape.length && shape[axis] === n)) {
    // Some converters leave the filter's axis (3) on rank-1 biases; like TFLM, read that as axis 0.
    if (shape.length === 1 && shape[0] === n) axis = 0;
    else throw new ModelError(source, `${what} has ${n} per-channel scales on axis ${axis}, which does not match shape [${shape.join(',')}]`);
  }
  // Tensors may share one table (and so these arrays): treat them as read-only, like `data`.
  return { scale: raw.scale, zeroPoint: raw.zeroPoint, axis: n > 1 ? axis : 0 };
}

/** A plain Uint8Array copy (Buffer#slice would return a view into the whole file). */
function copyOf(bytes: Uint8Array, start: number, end: number): Uint8Array {
  return new Uint8Array(bytes.subarray(start, end));
}

/** Bytes of buffer `index`, inline in the flatbuffer or (for >2 GB exports) at offset/size in the file. */
function readBuffer(model: Model, bb: CheckedByteBuffer, index: number, source: string, what: string): Uint8Array | undefined {
  if (index < 0 || index >= model.buffersLength()) {
    throw new ModelError(source, `${what} refers to buffer ${index}, but the model has ${model.buffersLength()} buffers`);
  }
  const buffer = model.buffers(index);
  if (buffer === null) throw new ModelError(source, `buffer ${index} is missing`);
  const offset = buffer.offset();
  if (offset > 1n) {
    // Offset 1 is TFLite's "no data" marker; larger offsets are relative to the start of the file.
    const size = buffer.size();
    if (offset + size > BigInt(bb.capacity())) {
      throw new ModelError(source, `buffer ${index} lies at bytes ${offset}..${offset + size}, past the end of the ${bb.capacity()}-byte file`);
    }
    return size === 0n ? undefined : copyOf(bb.bytes(), Number(offset), Number(offset + size));
  }
  const { start, length } = vectorAt(bb, buffer.bb_pos, BUFFER_DATA_SLOT, 1);
  return length === 0 ? undefined : copyOf(bb.bytes(), start, start + length);
}

/** A tensor's name; `budget.bytes` (the file size) is spent by each, since real names never overlap. */
function readName(fb: FbTensor, budget: { bytes: number }, source: string, what: string): string {
  const bytes = fb.name(Encoding.UTF8_BYTES) as Uint8Array | null;
  if (bytes === null) return '';
  budget.bytes -= bytes.length;
  // Overlapping names can only come from a corrupt file, and decoding them could take unbounded time.
  if (budget.bytes < 0) throw new ModelError(source, `${what}: tensor names add up to more than the file size (corrupt string offsets)`);
  return new TextDecoder().decode(bytes);
}

/**
 * Reads every tensor. Quantization tables and buffers are parsed once each, however many tensors refer to
 * them, and names may not add up to more than the file: a corrupt file whose tensors all point at one large
 * table or string costs no more than reading the file once.
 */
export function readTensors(model: Model, graph: SubGraph, bb: CheckedByteBuffer, source: string): Tensor[] {
  const count = graph.tensorsLength();
  const tensors: Tensor[] = [];
  const quantizations = new Map<number, RawQuantization | undefined>();
  const buffers = new Map<number, Uint8Array | undefined>();
  const nameBudget = { bytes: bb.capacity() };
  for (let index = 0; index < count; index++) {
    const fb = graph.tensors(index);
    const what = `tensor ${index}`;
    if (fb === null) throw new ModelError(source, `${what} is missing`);
    if (fb.sparsity() !== null) throw new ModelError(source, `${what} is sparse; sparse tensors are not supported`);
    const name = readName(fb, nameBudget, source, what);
    const label = `tensor ${index} '${name}'`;
    const shape = readShape(fb, source, label);
    const dtype = tensorDType(fb.type(), source, label);
    const elements = shape.reduce((a, b) => a * b, 1);
    if (elements * DTYPE_BYTES[dtype] > MAX_TENSOR_BYTES) {
      throw new ModelError(source, `${label} has shape [${shape.join(',')}] of ${elements} elements, larger than any supported model`);
    }
    const tensor: Tensor = { index, name, shape, dtype };
    const q = fb.quantization();
    if (q !== null) {
      if (!quantizations.has(q.bb_pos)) quantizations.set(q.bb_pos, readRawQuantization(q, bb, source, label));
      const raw = quantizations.get(q.bb_pos);
      if (raw) tensor.quantization = checkQuantization(raw, shape, source, label);
    }
    const bufferIndex = fb.buffer();
    if (!buffers.has(bufferIndex)) buffers.set(bufferIndex, readBuffer(model, bb, bufferIndex, source, label));
    const data = buffers.get(bufferIndex);
    if (data) {
      const needed = elements * DTYPE_BYTES[dtype];
      if (data.length !== needed) {
        throw new ModelError(source, `${label} needs ${needed} bytes for shape [${shape.join(',')}] ${dtype}, but its buffer ${bufferIndex} holds ${data.length}`);
      }
      tensor.data = data;
    }
    tensors.push(tensor);
  }
  return tensors;
}
