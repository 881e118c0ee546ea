// The typed graph IR every later stage reads: importer → normaliser → planner → packer.
// Shapes are NHWC as in TFLite; tensor and operator indices are positions in their arrays.
import { UserError } from '../errors';

export type DType = 'int8' | 'uint8' | 'int16' | 'int32' | 'int64' | 'float32' | 'float16' | 'bool';

export const DTYPE_BYTES: Record<DType, number> = {
  int8: 1, uint8: 1, int16: 2, int32: 4, int64: 8, float32: 4, float16: 2, bool: 1,
};

/** Per-tensor quantization has one scale/zero point; per-channel has one per slice of `axis`. */
export interface Quantization {
  scale: number[];
  zeroPoint: number[];
  axis: number;
}

export interface Tensor {
  index: number;
  name: string;
  shape: number[];
  dtype: DType;
  quantization?: Quantization;
  /** Constant contents (weights, biases, shape operands), little-endian as stored in the file. */
  data?: Uint8Array;
}

export type Activation = 'NONE' | 'RELU' | 'RELU6' | 'RELU_N1_TO_1';

/** Explicit padding in pixels; import resolves SAME/VALID against the shapes, PAD folding adds to it. */
export interface Padding { top: number; bottom: number; left: number; right: number; }

export interface Conv2DOptions {
  kind: 'conv';
  padding: Padding; strideH: number; strideW: number; dilationH: number; dilationW: number;
  activation: Activation;
}
export interface DepthwiseConv2DOptions {
  kind: 'depthwise';
  padding: Padding; strideH: number; strideW: number; dilationH: number; dilationW: number;
  depthMultiplier: number; activation: Activation;
}
export interface Pool2DOptions {
  kind: 'pool';
  padding: Padding; strideH: number; strideW: number; filterH: number; filterW: number;
  activation: Activation;
}
export interface FullyConnectedOptions { kind: 'fullyConnected'; activation: Activation; keepNumDims: boolean; }
export interface ElementwiseOptions { kind: 'elementwise'; activation: Activation; }
export interface SoftmaxOptions { kind: 'softmax'; beta: number; }
export interface ConcatenationOptions { kind: 'concatenation'; axis: number; activation: Activation; }
export interface ReshapeOptions { kind: 'reshape'; newShape: number[]; }
export interface ReducerOptions { kind: 'reducer'; keepDims: boolean; }
export interface StridedSliceOptions {
  kind: 'stridedSlice';
  beginMask: number; endMask: number; ellipsisMask: number; newAxisMask: number; shrinkAxisMask: number;
  offset: boolean;
}
export interface PackOptions { kind: 'pack'; valuesCount: number; axis: number; }
export interface ResizeOptions { kind: 'resize'; alignCorners: boolean; halfPixelCenters: boolean; }
export interface LeakyReluOptions { kind: 'leakyRelu'; alpha: number; }
export interface ShapeOptions { kind: 'shape'; outType: DType; }
export interface NoOptions { kind: 'none'; }

export type OpOptions =
  | Conv2DOptions | DepthwiseConv2DOptions | Pool2DOptions | FullyConnectedOptions | ElementwiseOptions
  | SoftmaxOptions | ConcatenationOptions | ReshapeOptions | ReducerOptions | StridedSliceOptions
  | PackOptions | ResizeOptions | LeakyReluOptions | ShapeOptions | NoOptions;

/** TFLite builtin operator names this bench understands; anything else is rejected at import. */
export const SUPPORTED_OPS = [
  'CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED', 'ADD', 'MUL', 'PAD', 'AVERAGE_POOL_2D', 'MAX_POOL_2D',
  'MEAN', 'RESHAPE', 'SOFTMAX', 'QUANTIZE', 'DEQUANTIZE', 'TRANSPOSE', 'CONCATENATION',
  'RESIZE_NEAREST_NEIGHBOR', 'LEAKY_RELU', 'SHAPE', 'STRIDED_SLICE', 'PACK', 'TILE', 'RESIZE_BILINEAR',
] as const;
export type OpType = (typeof SUPPORTED_OPS)[number];

export interface Operator {
  /** Position in `Graph.operators`, which is the execution order. */
  index: number;
  type: OpType;
  /** Tensor indices; -1 marks an omitted optional input (e.g. no bias). */
  inputs: number[];
  outputs: number[];
  options: OpOptions;
}

/**
 * How a model input or output crosses the boundary. `tensor` is the graph tensor the runtime works on;
 * when a boundary QUANTIZE/DEQUANTIZE was removed, `external` describes the caller's side of it.
 */
export interface IoDescriptor {
  tensor: number;
  name: string;
  shape: number[];
  external: { dtype: DType; scale?: number; zeroPoint?: number };
}

export interface Graph {
  /** File the graph came from, or the builtin spec; used in every error message. */
  source: string;
  tensors: Tensor[];
  operators: Operator[];
  inputs: number[];
  outputs: number[];
  /** Set by normalisation; before it, inputs/outputs are the raw subgraph I/O. */
  io?: { inputs: IoDescriptor[]; outputs: IoDescriptor[] };
}

export function tensorBytes(t: Tensor): number {
  return t.shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[t.dtype];
}

/** Every failure to read or accept a model: names the file, the operator (if any) and the problem. */
export class ModelError extends UserError {
  constructor(readonly source: string, readonly problem: string, readonly operatorIndex?: number) {
    super(`${source}: ${operatorIndex === undefined ? '' : `operator ${operatorIndex}: `}${problem}`);
    this.name = 'ModelError';
  }
}
