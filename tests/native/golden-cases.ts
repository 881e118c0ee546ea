// Test support: turns one graph operator plus its input bytes into a case for
// tests/native/kernels/golden_runner.c (see its header for the file layout), with parameters computed by
// harness/pack/quant-params.ts, and decodes the runner's results.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Graph, Operator, Tensor } from '../../harness/model';
import {
  addQuantParams, affineQuant, checkConcatenationQuant, convQuantParams, convU8QuantParams, fullyConnectedQuantParams,
  leakyReluQuantParams, meanQuantParams, mulQuantParams, poolQuantParams, requantizeParams, softmaxQuantParams,
} from '../../harness/pack/quant-params';
import { C99_STRICT, gcc, KERNELS_DIR, portableKernelSources, RUNTIME_INCLUDE_DIR } from '../support/c-build';
import { REPO_ROOT } from '../support/paths';

export const OP_CODES = {
  CONV_2D: 1, DEPTHWISE_CONV_2D: 2, AVERAGE_POOL_2D: 3, MAX_POOL_2D: 4, ADD: 5, MUL: 6, SOFTMAX: 7, PAD: 8,
  FULLY_CONNECTED: 9, MEAN: 10, QUANTIZE: 11, DEQUANTIZE: 12, TRANSPOSE: 13, LEAKY_RELU: 14, CONCATENATION: 15,
  RESIZE_NEAREST_NEIGHBOR: 16,
} as const;

/** Legacy uint8 kernels (TFLite semantics) have their own runner codes. */
const U8_CODES = { CONV_2D: 17, DEPTHWISE_CONV_2D: 18, AVERAGE_POOL_2D: 19, SOFTMAX: 20 } as const;

export interface GoldenCase { op: Operator; code: number; params: number[]; blobs: Uint8Array[]; }
export interface GoldenResult { status: number; tiled: number; inPlace: number; bytes: Uint8Array; }

/** Bytes of a tensor: constant data or whatever the caller has (a TFLM dump or a previous result). */
export type BytesOf = (tensorIndex: number) => Uint8Array | undefined;

const int32Bytes = (values: number[]): Uint8Array => new Uint8Array(Int32Array.from(values).buffer);
const shapeParams = (shape: number[]): number[] => [shape.length, ...[0, 1, 2, 3, 4, 5].map((i) => shape[i] ?? 1)];
const elements = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
const floatBits = (f: number): number => new Int32Array(Float32Array.of(f).buffer)[0] as number;
const int32Values = (data: Uint8Array): number[] => Array.from(new Int32Array(data.slice().buffer));

/** Returns undefined when an input's bytes are unknown or the op is not a kernel (RESHAPE). */
export function buildCase(g: Graph, op: Operator, bytesOf: BytesOf): GoldenCase | undefined {
  const t = (i: number): Tensor => g.tensors[i] as Tensor;
  const [inIdx = -1, secondIdx = -1, biasIdx = -1] = op.inputs;
  const inputBytes = bytesOf(inIdx);
  if (inputBytes === undefined) return undefined;
  const input = t(inIdx);
  const output = t(op.outputs[0] as number);
  const o = op.options;
  const make = (params: number[], blobs: Uint8Array[]): GoldenCase => ({ op, code: OP_CODES[op.type as keyof typeof OP_CODES], params, blobs });
  if (input.dtype === 'uint8' && op.type !== 'QUANTIZE') return buildU8Case(g, op, inputBytes);
  switch (op.type) {
    case 'CONV_2D':
    case 'DEPTHWISE_CONV_2D': {
      if (o.kind !== 'conv' && o.kind !== 'depthwise') return undefined;
      const filter = t(secondIdx);
      const isConv = o.kind === 'conv';
      const q = convQuantParams(o.kind, input, filter, output, o.activation);
      const [, ih = 0, iw = 0, ic = 0] = input.shape;
      const [, oh = 0, ow = 0, oc = 0] = output.shape;
      const [fo = 0, fh = 0, fw = 0, fi = 0] = filter.shape;
      const bias = biasIdx >= 0 ? t(biasIdx).data : undefined;
      return make([ih, iw, ic, oh, ow, oc, fh, fw, isConv ? fi : fo, o.strideH, o.strideW, o.dilationH, o.dilationW,
        o.padding.top, o.padding.left, o.kind === 'depthwise' ? o.depthMultiplier : 1, q.input_offset, q.output_offset,
        q.act_min, q.act_max, q.multiplier.length, bias ? 1 : 0],
      [inputBytes, filter.data as Uint8Array, bias ?? new Uint8Array(0), int32Bytes(q.multiplier), int32Bytes(q.shift)]);
    }
    case 'AVERAGE_POOL_2D':
    case 'MAX_POOL_2D': {
      if (o.kind !== 'pool') return undefined;
      const r = poolQuantParams(input, output, o.activation);
      const [, ih = 0, iw = 0, c = 0] = input.shape;
      const [, oh = 0, ow = 0] = output.shape;
      return make([ih, iw, c, oh, ow, o.strideH, o.strideW, o.filterH, o.filterW, o.padding.top, o.padding.left, r.act_min, r.act_max], [inputBytes]);
    }
    case 'ADD':
    case 'MUL': {
      const second = bytesOf(secondIdx);
      if (o.kind !== 'elementwise' || second === undefined) return undefined;
      const shapes = [...shapeParams(input.shape), ...shapeParams(t(secondIdx).shape), ...shapeParams(output.shape)];
      if (op.type === 'ADD') {
        const p = addQuantParams(input, t(secondIdx), output, o.activation);
        return make([p.left_shift, p.input1_offset, p.input1_multiplier, p.input1_shift, p.input2_offset, p.input2_multiplier,
          p.input2_shift, p.output_offset, p.output_multiplier, p.output_shift, p.act_min, p.act_max, 0, ...shapes], [inputBytes, second]);
      }
      const p = mulQuantParams(input, t(secondIdx), output, o.activation);
      return make([p.input1_offset, p.input2_offset, p.output_offset, p.output_multiplier, p.output_shift, p.act_min, p.act_max, ...shapes], [inputBytes, second]);
    }
    case 'SOFTMAX': {
      if (o.kind !== 'softmax') return undefined;
      const p = softmaxQuantParams(input, output, o.beta);
      const depth = input.shape[input.shape.length - 1] ?? 1;
      return make([elements(input.shape) / depth, depth, p.input_multiplier, p.input_left_shift, p.diff_min], [inputBytes]);
    }
    case 'PAD': {
      const pads = int32Values(t(secondIdx).data as Uint8Array);
      const rank = input.shape.length;
      const side = (k: number): number[] => [0, 1, 2, 3, 4, 5].map((d) => (d < rank ? pads[2 * d + k] ?? 0 : 0));
      const padValue = output.quantization?.zeroPoint[0] ?? 0; // TFLM: the output zero point without a constant operand
      return make([...shapeParams(input.shape), ...side(0), ...side(1), padValue, elements(output.shape)], [inputBytes]);
    }
    case 'FULLY_CONNECTED': {
      if (o.kind !== 'fullyConnected') return undefined;
      const filter = t(secondIdx);
      const [outDepth = 0, accum = 0] = filter.shape;
      const q = fullyConnectedQuantParams(input, filter, output, o.activation);
      const bias = biasIdx >= 0 ? t(biasIdx).data : undefined;
      return make([elements(input.shape) / accum, accum, outDepth, q.input_offset, q.filter_offset, q.output_offset, q.act_min, q.act_max,
        q.multiplier.length, bias ? 1 : 0], [inputBytes, filter.data as Uint8Array, bias ?? new Uint8Array(0), int32Bytes(q.multiplier), int32Bytes(q.shift)]);
    }
    case 'MEAN': {
      const p = meanQuantParams(input, output, int32Values(t(secondIdx).data as Uint8Array));
      return make([...shapeParams(input.shape), p.input_zero_point, p.output_zero_point, p.multiplier, p.shift, p.axis_mask, elements(output.shape)], [inputBytes]);
    }
    case 'QUANTIZE': {
      const n = elements(input.shape);
      if (input.dtype === 'float32') {
        const a = affineQuant(output);
        return make([0, n, floatBits(a.scale), a.zero_point, 0, 0, 0, 0], [inputBytes]);
      }
      const kind = input.dtype === 'int8' ? (output.dtype === 'int8' ? 1 : 2) : 3;
      const p = requantizeParams(input, output);
      return make([kind, n, 0, 0, p.input_zero_point, p.output_zero_point, p.multiplier, p.shift], [inputBytes]);
    }
    case 'DEQUANTIZE': {
      const a = affineQuant(input);
      return make([input.dtype === 'int8' ? 0 : 1, elements(input.shape), floatBits(a.scale), a.zero_point], [inputBytes]);
    }
    case 'TRANSPOSE': {
      const perm = int32Values(t(secondIdx).data as Uint8Array);
      return make([...shapeParams(input.shape), ...[0, 1, 2, 3, 4, 5].map((d) => perm[d] ?? 0)], [inputBytes]);
    }
    case 'LEAKY_RELU': {
      if (o.kind !== 'leakyRelu') return undefined;
      const p = leakyReluQuantParams(input, output, o.alpha);
      return make([elements(input.shape), p.input_zero_point, p.output_zero_point, p.output_multiplier_alpha, p.output_shift_alpha,
        p.output_multiplier_identity, p.output_shift_identity], [inputBytes]);
    }
    case 'CONCATENATION': {
      if (o.kind !== 'concatenation') return undefined;
      const parts = op.inputs.map((i) => bytesOf(i));
      if (parts.some((b) => b === undefined)) return undefined;
      checkConcatenationQuant(op.inputs.map(t), output);
      return make([o.axis, op.inputs.length, ...shapeParams(output.shape), ...op.inputs.flatMap((i) => shapeParams(t(i).shape))], parts as Uint8Array[]);
    }
    case 'RESIZE_NEAREST_NEIGHBOR': {
      if (o.kind !== 'resize') return undefined;
      const [b = 1, ih = 0, iw = 0, c = 0] = input.shape;
      const [, oh = 0, ow = 0] = output.shape;
      return make([b, ih, iw, c, oh, ow, o.alignCorners ? 1 : 0, o.halfPixelCenters ? 1 : 0], [inputBytes]);
    }
    default:
      return undefined;
  }
}

function buildU8Case(g: Graph, op: Operator, inputBytes: Uint8Array): GoldenCase | undefined {
  const t = (i: number): Tensor => g.tensors[i] as Tensor;
  const [inIdx = -1, filterIdx = -1, biasIdx = -1] = op.inputs;
  const input = t(inIdx);
  const output = t(op.outputs[0] as number);
  const o = op.options;
  if (o.kind === 'conv' || o.kind === 'depthwise') {
    const filter = t(filterIdx);
    const q = convU8QuantParams(input, filter, output, o.activation);
    const [, ih = 0, iw = 0, ic = 0] = input.shape;
    const [, oh = 0, ow = 0, oc = 0] = output.shape;
    const [fo = 0, fh = 0, fw = 0, fi = 0] = filter.shape;
    const bias = biasIdx >= 0 ? t(biasIdx).data : undefined;
    return { op, code: o.kind === 'conv' ? U8_CODES.CONV_2D : U8_CODES.DEPTHWISE_CONV_2D, params: [ih, iw, ic, oh, ow, oc, fh, fw,
      o.kind === 'conv' ? fi : fo, o.strideH, o.strideW, o.dilationH, o.dilationW, o.padding.top, o.padding.left,
      o.kind === 'depthwise' ? o.depthMultiplier : 1, q.input_offset, q.filter_offset, q.output_offset, q.output_multiplier,
      q.output_shift, q.act_min, q.act_max, bias ? 1 : 0], blobs: [inputBytes, filter.data as Uint8Array, bias ?? new Uint8Array(0)] };
  }
  if (o.kind === 'pool' && op.type === 'AVERAGE_POOL_2D') {
    const r = poolQuantParams(input, output, o.activation);
    const [, ih = 0, iw = 0, c = 0] = input.shape;
    const [, oh = 0, ow = 0] = output.shape;
    return { op, code: U8_CODES.AVERAGE_POOL_2D, params: [ih, iw, c, oh, ow, o.strideH, o.strideW, o.filterH, o.filterW, o.padding.top,
      o.padding.left, r.act_min, r.act_max], blobs: [inputBytes] };
  }
  if (o.kind === 'softmax') {
    const p = softmaxQuantParams(input, output, o.beta);
    const depth = input.shape[input.shape.length - 1] ?? 1;
    return { op, code: U8_CODES.SOFTMAX, params: [elements(input.shape) / depth, depth, p.input_multiplier, p.input_left_shift, p.diff_min], blobs: [inputBytes] };
  }
  return undefined;
}

export function encodeCases(cases: GoldenCase[]): Buffer {
  const parts: Buffer[] = [];
  for (const c of cases) {
    parts.push(Buffer.from(int32Bytes([c.code, c.params.length, ...c.params, c.blobs.length])));
    for (const b of c.blobs) parts.push(Buffer.from(int32Bytes([b.length])), Buffer.from(b), Buffer.alloc((4 - (b.length % 4)) % 4));
  }
  return Buffer.concat(parts);
}

export function decodeResults(buf: Buffer): GoldenResult[] {
  const results: GoldenResult[] = [];
  for (let off = 0; off < buf.length;) {
    const [status, tiled, inPlace, n] = [0, 1, 2, 3].map((i) => buf.readInt32LE(off + 4 * i)) as [number, number, number, number];
    results.push({ status, tiled, inPlace, bytes: new Uint8Array(buf.subarray(off + 16, off + 16 + n)) });
    off += 16 + n;
  }
  return results;
}

/** Builds golden_runner (-O2, warnings as errors) into dir and returns a function running case lists. */
export function buildRunner(dir: string): (cases: GoldenCase[], tag: string, wholeOnly?: boolean) => GoldenResult[] {
  const exe = path.join(dir, 'golden_runner');
  gcc([...C99_STRICT, '-O2', `-I${RUNTIME_INCLUDE_DIR}`, `-I${KERNELS_DIR}`,
    path.join(REPO_ROOT, 'tests', 'native', 'kernels', 'golden_runner.c'), ...portableKernelSources(), '-lm', '-o', exe]);
  return (cases, tag, wholeOnly = false) => {
    const casesFile = path.join(dir, `${tag}.cases`);
    const outFile = path.join(dir, `${tag}.out`);
    fs.writeFileSync(casesFile, encodeCases(cases));
    execFileSync(exe, wholeOnly ? [casesFile, outFile, '--whole-only'] : [casesFile, outFile]);
    return decodeResults(fs.readFileSync(outFile));
  };
}
