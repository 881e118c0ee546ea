// Encodes each operator's parameter block: the kernels.h parameter struct, field by field in declaration order
// (quant-params.ts computes the quantized fields exactly as TFLM's Prepare), followed for the convolutions and
// FULLY_CONNECTED by `channels, multiplier[channels], shift[channels]`; legacy uint8 convolutions use
// mcb_conv_u8_params instead. docs/model-image.md lists every layout.
import { Conv2DOptions, DepthwiseConv2DOptions, Graph, Operator, Tensor } from '../model/graph';
import { ImageError } from './image-error';
import { IMAGE_MAX_RANK } from './image-ids';
import { layoutParamWords } from './layout-params';
import {
  ActivationRange, addQuantParams, affineQuant, checkConcatenationQuant, convQuantParams, ConvQuantParams, convU8QuantParams,
  fullyConnectedQuantParams, leakyReluQuantParams, meanQuantParams, mulQuantParams, poolQuantParams,
  requantizeParams, softmaxQuantParams,
} from './quant-params';

/** Little-endian int32 words of a constant int32 operand (MEAN axes, PAD paddings, TRANSPOSE perm). */
function int32Operand(graph: Graph, op: Operator, slot: number, what: string): number[] {
  const t = graph.tensors[op.inputs[slot] ?? -1];
  if (!t?.data || t.dtype !== 'int32') {
    throw new ImageError(`${graph.source}: operator ${op.index} ${op.type}: ${what} must be a constant int32 operand`);
  }
  const view = new DataView(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  return Array.from({ length: t.data.byteLength / 4 }, (_, i) => view.getInt32(4 * i, true));
}

function floatBits(v: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, v, true);
  return view.getInt32(0, true);
}

function channelTail(q: Pick<ConvQuantParams, 'multiplier' | 'shift'>): number[] {
  return [q.multiplier.length, ...q.multiplier, ...q.shift];
}

function range(q: ActivationRange): number[] {
  return [q.act_min, q.act_max];
}

const ZERO_POINT_RANGE: Partial<Record<Tensor['dtype'], [number, number]>> = { int8: [-128, 127], uint8: [0, 255] };

/**
 * A fault of the operands the kernels would refuse at run time: an 8-bit tensor's zero point outside its type's
 * range, or ADD/MUL operands that do not broadcast exactly to the output (each dim equal to the output's or 1,
 * every output dim spanned by an operand).
 */
function operandProblem(graph: Graph, op: Operator): string | undefined {
  for (const t of [...op.inputs, ...op.outputs]) {
    const tensor = graph.tensors[t];
    const bounds = tensor ? ZERO_POINT_RANGE[tensor.dtype] : undefined;
    const bad = bounds && tensor.quantization?.zeroPoint.find((z) => z < bounds[0] || z > bounds[1]);
    if (bounds && bad !== undefined) return `tensor ${t} '${tensor.name}' has zero point ${bad}, outside the ${tensor.dtype} range [${bounds[0]}, ${bounds[1]}]`;
  }
  if (op.type === 'ADD' || op.type === 'MUL') {
    const out = graph.tensors[op.outputs[0]].shape;
    const operands = op.inputs.slice(0, 2).map((t) => graph.tensors[t].shape);
    const aligned = operands.map((s) => [...new Array<number>(Math.max(0, out.length - s.length)).fill(1), ...s]);
    const fits = operands.every((s) => s.length <= out.length) &&
      aligned.every((s) => s.every((d, i) => d === out[i] || d === 1)) &&
      out.every((d, i) => d === 1 || aligned.some((s) => s[i] === d));
    if (!fits) return `operands [${operands.map((s) => s.join('x')).join('], [')}] do not broadcast to the output's [${out.join('x')}]`;
  }
  return undefined;
}

/** The words of `op`'s parameter block. */
export function encodeOpParams(graph: Graph, op: Operator): number[] {
  const T = (slot: number): Tensor => graph.tensors[op.inputs[slot]];
  const out = graph.tensors[op.outputs[0]];
  const o = op.options;
  const fail = (problem: string): never => {
    throw new ImageError(`${graph.source}: operator ${op.index} ${op.type}: ${problem}`);
  };
  // What the kernels refuse when called, refused here (and so by `plan`) rather than at the first inference.
  const problem = operandProblem(graph, op);
  if (problem) return fail(problem);
  switch (op.type) {
    case 'CONV_2D': {
      if (o.kind !== 'conv') return fail('options are not conv options');
      if (T(0).dtype === 'uint8') return convU8Words(T(0), T(1), out, o, 1);
      const q = convQuantParams('conv', T(0), T(1), out, o.activation);
      return [o.strideH, o.strideW, o.dilationH, o.dilationW, o.padding.top, o.padding.left,
        q.input_offset, q.output_offset, ...range(q), ...channelTail(q)];
    }
    case 'DEPTHWISE_CONV_2D': {
      if (o.kind !== 'depthwise') return fail('options are not depthwise options');
      if (T(0).dtype === 'uint8') return convU8Words(T(0), T(1), out, o, o.depthMultiplier);
      const q = convQuantParams('depthwise', T(0), T(1), out, o.activation);
      return [o.strideH, o.strideW, o.dilationH, o.dilationW, o.padding.top, o.padding.left, o.depthMultiplier,
        q.input_offset, q.output_offset, ...range(q), ...channelTail(q)];
    }
    case 'FULLY_CONNECTED': {
      if (o.kind !== 'fullyConnected') return fail('options are not fully-connected options');
      const q = fullyConnectedQuantParams(T(0), T(1), out, o.activation);
      return [q.input_offset, q.filter_offset, q.output_offset, ...range(q), ...channelTail(q)];
    }
    case 'ADD': {
      const q = addQuantParams(T(0), T(1), out, o.kind === 'elementwise' ? o.activation : 'NONE');
      return [q.left_shift, q.input1_offset, q.input1_multiplier, q.input1_shift, q.input2_offset, q.input2_multiplier,
        q.input2_shift, q.output_offset, q.output_multiplier, q.output_shift, ...range(q)];
    }
    case 'MUL': {
      const q = mulQuantParams(T(0), T(1), out, o.kind === 'elementwise' ? o.activation : 'NONE');
      return [q.input1_offset, q.input2_offset, q.output_offset, q.output_multiplier, q.output_shift, ...range(q)];
    }
    case 'AVERAGE_POOL_2D':
    case 'MAX_POOL_2D': {
      if (o.kind !== 'pool') return fail('options are not pool options');
      const q = poolQuantParams(T(0), out, o.activation);
      return [o.strideH, o.strideW, o.filterH, o.filterW, o.padding.top, o.padding.left, ...range(q)];
    }
    case 'MEAN': {
      const q = meanQuantParams(T(0), out, int32Operand(graph, op, 1, 'the axes'));
      return [q.input_zero_point, q.output_zero_point, q.multiplier, q.shift, q.axis_mask];
    }
    case 'SOFTMAX': {
      const q = softmaxQuantParams(T(0), out, o.kind === 'softmax' ? o.beta : 1);
      return [q.input_multiplier, q.input_left_shift, q.diff_min];
    }
    case 'QUANTIZE': {
      if (T(0).dtype === 'float32') {
        const q = affineQuant(out);
        return [floatBits(q.scale), q.zero_point];
      }
      const q = requantizeParams(T(0), out);
      return [q.input_zero_point, q.output_zero_point, q.multiplier, q.shift];
    }
    case 'DEQUANTIZE': {
      const q = affineQuant(T(0));
      return [floatBits(q.scale), q.zero_point];
    }
    case 'LEAKY_RELU': {
      const q = leakyReluQuantParams(T(0), out, o.kind === 'leakyRelu' ? o.alpha : fail('missing alpha'));
      return [q.input_zero_point, q.output_zero_point, q.output_multiplier_alpha, q.output_shift_alpha,
        q.output_multiplier_identity, q.output_shift_identity];
    }
    case 'CONCATENATION': {
      if (o.kind !== 'concatenation') return fail('options are not concatenation options');
      if (o.activation !== 'NONE') fail(`fused activation ${o.activation} is not supported`);
      checkConcatenationQuant(op.inputs.map((t) => graph.tensors[t]), out);
      return [o.axis];
    }
    case 'PAD': {
      const rank = T(0).shape.length;
      const pads = int32Operand(graph, op, 1, 'the paddings');
      if (pads.length !== 2 * rank) fail(`paddings hold ${pads.length} values for rank ${rank}`);
      const before = Array.from({ length: IMAGE_MAX_RANK }, (_, d) => (d < rank ? pads[2 * d] : 0));
      const after = Array.from({ length: IMAGE_MAX_RANK }, (_, d) => (d < rank ? pads[2 * d + 1] : 0));
      const value = op.inputs.length > 2 && op.inputs[2] >= 0 ? int8Value(graph, op) : out.quantization?.zeroPoint[0] ?? 0;
      return [...before, ...after, value];
    }
    case 'TRANSPOSE': {
      const perm = int32Operand(graph, op, 1, 'the permutation');
      return Array.from({ length: IMAGE_MAX_RANK }, (_, d) => (d < perm.length ? perm[d] : d));
    }
    case 'RESIZE_NEAREST_NEIGHBOR': {
      if (o.kind !== 'resize') return fail('options are not resize options');
      return [o.alignCorners ? 1 : 0, o.halfPixelCenters ? 1 : 0];
    }
    case 'RESHAPE':
      return [];
    case 'SHAPE':
    case 'STRIDED_SLICE':
    case 'PACK':
    case 'TILE':
    case 'RESIZE_BILINEAR':
      return layoutParamWords(graph, op);
    default:
      return fail('the runtime has no kernel for this operator');
  }
}

/** Legacy uint8 (TFLite, per-tensor) convolutions: the mcb_conv_u8_params words. */
function convU8Words(input: Tensor, filter: Tensor, out: Tensor, o: Conv2DOptions | DepthwiseConv2DOptions, depthMultiplier: number): number[] {
  const q = convU8QuantParams(input, filter, out, o.activation);
  return [o.strideH, o.strideW, o.dilationH, o.dilationW, o.padding.top, o.padding.left, depthMultiplier,
    q.input_offset, q.filter_offset, q.output_offset, q.output_multiplier, q.output_shift, ...range(q)];
}

function int8Value(graph: Graph, op: Operator): number {
  const t = graph.tensors[op.inputs[2]];
  if (!t.data || t.data.length < 1) throw new ImageError(`${graph.source}: operator ${op.index} PAD: the pad value must be constant`);
  return (t.data[0] << 24) >> 24;
}
