// Turns a TFLite operator's builtin options table into the typed OpOptions of the IR, resolving
// SAME/VALID padding into explicit pixels from the tensor shapes exactly as TFLite does.
import { Operator as FbOperator } from './tflite-schema/generated/tflite/operator';
import { BuiltinOptions } from './tflite-schema/generated/tflite/builtin-options';
import { ActivationFunctionType } from './tflite-schema/generated/tflite/activation-function-type';
import { Padding as FbPadding } from './tflite-schema/generated/tflite/padding';
import { Conv2DOptions as FbConv } from './tflite-schema/generated/tflite/conv2doptions';
import { DepthwiseConv2DOptions as FbDepthwise } from './tflite-schema/generated/tflite/depthwise-conv2doptions';
import { Pool2DOptions as FbPool } from './tflite-schema/generated/tflite/pool2doptions';
import { FullyConnectedOptions as FbFullyConnected } from './tflite-schema/generated/tflite/fully-connected-options';
import { AddOptions } from './tflite-schema/generated/tflite/add-options';
import { MulOptions } from './tflite-schema/generated/tflite/mul-options';
import { SoftmaxOptions as FbSoftmax } from './tflite-schema/generated/tflite/softmax-options';
import { ConcatenationOptions as FbConcat } from './tflite-schema/generated/tflite/concatenation-options';
import { ReducerOptions as FbReducer } from './tflite-schema/generated/tflite/reducer-options';
import { StridedSliceOptions as FbStridedSlice } from './tflite-schema/generated/tflite/strided-slice-options';
import { PackOptions as FbPack } from './tflite-schema/generated/tflite/pack-options';
import { ResizeBilinearOptions } from './tflite-schema/generated/tflite/resize-bilinear-options';
import { ResizeNearestNeighborOptions } from './tflite-schema/generated/tflite/resize-nearest-neighbor-options';
import { LeakyReluOptions as FbLeakyRelu } from './tflite-schema/generated/tflite/leaky-relu-options';
import { ShapeOptions as FbShape } from './tflite-schema/generated/tflite/shape-options';
import { Activation, ModelError, OpOptions, OpType, Padding, Tensor } from './graph';
import { tensorDType } from './tflite-tensors';
import { TensorType } from './tflite-schema/generated/tflite/tensor-type';

/** What option parsing needs to know about the operator it is reading. */
export interface OpContext {
  source: string;
  index: number;
  type: OpType;
  op: FbOperator;
  inputs: number[];
  outputs: number[];
  tensors: Tensor[];
}

function fail(ctx: OpContext, problem: string): never {
  throw new ModelError(ctx.source, `${ctx.type}: ${problem}`, ctx.index);
}

/** The options table, after checking the file stores the kind this operator needs. */
function table<T>(ctx: OpContext, kind: BuiltinOptions, make: () => T): T | null {
  const stored = ctx.op.builtinOptionsType();
  if (stored === BuiltinOptions.NONE) return null;
  if (stored !== kind) fail(ctx, `options are ${BuiltinOptions[stored] ?? stored}, expected ${BuiltinOptions[kind]}`);
  return ctx.op.builtinOptions(make()) as T;
}

function required<T>(ctx: OpContext, kind: BuiltinOptions, make: () => T): T {
  return table(ctx, kind, make) ?? fail(ctx, `missing ${BuiltinOptions[kind]}`);
}

function activation(ctx: OpContext, code: ActivationFunctionType): Activation {
  switch (code) {
    case ActivationFunctionType.NONE: return 'NONE';
    case ActivationFunctionType.RELU: return 'RELU';
    case ActivationFunctionType.RELU6: return 'RELU6';
    case ActivationFunctionType.RELU_N1_TO_1: return 'RELU_N1_TO_1';
    default: return fail(ctx, `fused activation ${ActivationFunctionType[code] ?? code} is not supported`);
  }
}

/** Shape of operand `which` (input or output position), checked to be a rank-4 NHWC tensor. */
function nhwc(ctx: OpContext, ids: number[], pos: number, what: string): number[] {
  const id = ids[pos];
  const shape = id === undefined || id < 0 ? undefined : ctx.tensors[id]?.shape;
  if (!shape || shape.length !== 4) fail(ctx, `${what} must be a rank-4 tensor, got [${shape?.join(',') ?? 'none'}]`);
  return shape;
}

/** One spatial axis: TFLite's output size for the padding scheme, checked against the file, and its padding. */
function axisPadding(ctx: OpContext, scheme: FbPadding, inSize: number, outSize: number, kernel: number, stride: number, dilation: number, axis: string): [number, number] {
  if (stride < 1 || dilation < 1 || kernel < 1) fail(ctx, `invalid ${axis} kernel ${kernel}, stride ${stride} or dilation ${dilation}`);
  const effective = (kernel - 1) * dilation + 1;
  let expected: number;
  if (scheme === FbPadding.SAME) expected = Math.ceil(inSize / stride);
  else if (scheme === FbPadding.VALID) expected = Math.ceil((inSize - effective + 1) / stride);
  else return fail(ctx, `unknown padding scheme ${scheme}`);
  if (expected !== outSize) fail(ctx, `output ${axis} is ${outSize} but input ${inSize}, kernel ${kernel}, stride ${stride}, dilation ${dilation} and ${FbPadding[scheme]} padding give ${expected}`);
  if (scheme === FbPadding.VALID) return [0, 0];
  const total = Math.max((outSize - 1) * stride + effective - inSize, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

function padding(ctx: OpContext, scheme: FbPadding, kH: number, kW: number, sH: number, sW: number, dH: number, dW: number): Padding {
  const input = nhwc(ctx, ctx.inputs, 0, 'input');
  const output = nhwc(ctx, ctx.outputs, 0, 'output');
  const [top, bottom] = axisPadding(ctx, scheme, input[1], output[1], kH, sH, dH, 'height');
  const [left, right] = axisPadding(ctx, scheme, input[2], output[2], kW, sW, dW, 'width');
  return { top, bottom, left, right };
}

export function readOptions(ctx: OpContext): OpOptions {
  switch (ctx.type) {
    case 'CONV_2D': {
      const o = required(ctx, BuiltinOptions.Conv2DOptions, () => new FbConv());
      const filter = nhwc(ctx, ctx.inputs, 1, 'filter');
      const p = padding(ctx, o.padding(), filter[1], filter[2], o.strideH(), o.strideW(), o.dilationHFactor(), o.dilationWFactor());
      return { kind: 'conv', padding: p, strideH: o.strideH(), strideW: o.strideW(), dilationH: o.dilationHFactor(), dilationW: o.dilationWFactor(), activation: activation(ctx, o.fusedActivationFunction()) };
    }
    case 'DEPTHWISE_CONV_2D': {
      const o = required(ctx, BuiltinOptions.DepthwiseConv2DOptions, () => new FbDepthwise());
      const filter = nhwc(ctx, ctx.inputs, 1, 'filter');
      const inChannels = nhwc(ctx, ctx.inputs, 0, 'input')[3];
      const outChannels = nhwc(ctx, ctx.outputs, 0, 'output')[3];
      // Like TFLM, trust the shapes rather than the stored depth_multiplier (some converters leave it wrong).
      if (inChannels === 0 || outChannels % inChannels !== 0 || filter[3] !== outChannels) {
        fail(ctx, `channels do not fit a depthwise convolution: input ${inChannels}, filter ${filter[3]}, output ${outChannels}`);
      }
      const p = padding(ctx, o.padding(), filter[1], filter[2], o.strideH(), o.strideW(), o.dilationHFactor(), o.dilationWFactor());
      return { kind: 'depthwise', padding: p, strideH: o.strideH(), strideW: o.strideW(), dilationH: o.dilationHFactor(), dilationW: o.dilationWFactor(), depthMultiplier: outChannels / inChannels, activation: activation(ctx, o.fusedActivationFunction()) };
    }
    case 'AVERAGE_POOL_2D':
    case 'MAX_POOL_2D': {
      const o = required(ctx, BuiltinOptions.Pool2DOptions, () => new FbPool());
      const p = padding(ctx, o.padding(), o.filterHeight(), o.filterWidth(), o.strideH(), o.strideW(), 1, 1);
      return { kind: 'pool', padding: p, strideH: o.strideH(), strideW: o.strideW(), filterH: o.filterHeight(), filterW: o.filterWidth(), activation: activation(ctx, o.fusedActivationFunction()) };
    }
    case 'FULLY_CONNECTED': {
      const o = table(ctx, BuiltinOptions.FullyConnectedOptions, () => new FbFullyConnected());
      if (o && o.weightsFormat() !== 0) fail(ctx, `weights format ${o.weightsFormat()} is not supported (only DEFAULT)`);
      return { kind: 'fullyConnected', activation: o ? activation(ctx, o.fusedActivationFunction()) : 'NONE', keepNumDims: o?.keepNumDims() ?? false };
    }
    case 'ADD': {
      const o = table(ctx, BuiltinOptions.AddOptions, () => new AddOptions());
      return { kind: 'elementwise', activation: o ? activation(ctx, o.fusedActivationFunction()) : 'NONE' };
    }
    case 'MUL': {
      const o = table(ctx, BuiltinOptions.MulOptions, () => new MulOptions());
      return { kind: 'elementwise', activation: o ? activation(ctx, o.fusedActivationFunction()) : 'NONE' };
    }
    case 'SOFTMAX': {
      const o = required(ctx, BuiltinOptions.SoftmaxOptions, () => new FbSoftmax());
      return { kind: 'softmax', beta: o.beta() };
    }
    case 'CONCATENATION': {
      const o = required(ctx, BuiltinOptions.ConcatenationOptions, () => new FbConcat());
      const rank = ctx.tensors[ctx.outputs[0]]?.shape.length ?? 0;
      const axis = o.axis() < 0 ? o.axis() + rank : o.axis();
      if (axis < 0 || axis >= rank) fail(ctx, `axis ${o.axis()} is outside the rank-${rank} output`);
      return { kind: 'concatenation', axis, activation: activation(ctx, o.fusedActivationFunction()) };
    }
    case 'RESHAPE':
      // The output tensor's shape is the resolved new shape (no -1 left), which is what later stages need.
      return { kind: 'reshape', newShape: [...(ctx.tensors[ctx.outputs[0]]?.shape ?? [])] };
    case 'MEAN': {
      const o = table(ctx, BuiltinOptions.ReducerOptions, () => new FbReducer());
      return { kind: 'reducer', keepDims: o?.keepDims() ?? false };
    }
    case 'STRIDED_SLICE': {
      const o = table(ctx, BuiltinOptions.StridedSliceOptions, () => new FbStridedSlice());
      return { kind: 'stridedSlice', beginMask: o?.beginMask() ?? 0, endMask: o?.endMask() ?? 0, ellipsisMask: o?.ellipsisMask() ?? 0, newAxisMask: o?.newAxisMask() ?? 0, shrinkAxisMask: o?.shrinkAxisMask() ?? 0, offset: o?.offset() ?? false };
    }
    case 'PACK': {
      const o = required(ctx, BuiltinOptions.PackOptions, () => new FbPack());
      return { kind: 'pack', valuesCount: o.valuesCount(), axis: o.axis() };
    }
    case 'RESIZE_BILINEAR': {
      const o = table(ctx, BuiltinOptions.ResizeBilinearOptions, () => new ResizeBilinearOptions());
      return { kind: 'resize', alignCorners: o?.alignCorners() ?? false, halfPixelCenters: o?.halfPixelCenters() ?? false };
    }
    case 'RESIZE_NEAREST_NEIGHBOR': {
      const o = table(ctx, BuiltinOptions.ResizeNearestNeighborOptions, () => new ResizeNearestNeighborOptions());
      return { kind: 'resize', alignCorners: o?.alignCorners() ?? false, halfPixelCenters: o?.halfPixelCenters() ?? false };
    }
    case 'LEAKY_RELU': {
      const o = required(ctx, BuiltinOptions.LeakyReluOptions, () => new FbLeakyRelu());
      return { kind: 'leakyRelu', alpha: o.alpha() };
    }
    case 'SHAPE': {
      // Without an options table TFLite defaults SHAPE's output to int32.
      const o = table(ctx, BuiltinOptions.ShapeOptions, () => new FbShape());
      return { kind: 'shape', outType: tensorDType(o?.outType() ?? TensorType.INT32, ctx.source, `operator ${ctx.index} SHAPE out_type`) };
    }
    case 'PAD': case 'QUANTIZE': case 'DEQUANTIZE': case 'TRANSPOSE': case 'TILE':
      return { kind: 'none' };
  }
}
