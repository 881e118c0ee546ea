// Requantization parameters computed exactly as TFLM's Prepare functions do (tflite-micro 90b983c2,
// default build: TFLITE_SINGLE_ROUNDING off, TFLITE_EMULATE_FLOAT off). Field names match the C
// structs in native/runtime/include/mcb/kernels.h so the packer can copy them over one to one.
//
// Exactness: IR scales are float32 values held in JS doubles. Where TFLM multiplies or divides in
// float, we apply Math.fround after each step (a correctly rounded double op followed by fround equals
// the float op for + - * /); where TFLM works in double, plain JS arithmetic is already IEEE double.

import type { Activation, Tensor } from '../model/graph';
import { UserError } from '../errors';

/** A tensor whose quantization TFLM's Prepare would reject; names the tensor and the fix. */
export class QuantParamsError extends UserError {
  constructor(readonly tensorName: string, problem: string) {
    super(`tensor "${tensorName}": ${problem}`);
    this.name = 'QuantParamsError';
  }
}

export interface QuantizedMultiplier { multiplier: number; shift: number; }

const TWO_POW_31 = 2 ** 31;

/** std::round: half away from zero (JS Math.round rounds half toward +Infinity). */
export function roundHalfAwayFromZero(v: number): number {
  const t = Math.trunc(v);
  return Math.abs(v - t) >= 0.5 ? t + Math.sign(v) : t;
}

/** std::frexp: x = fraction * 2^exponent with |fraction| in [0.5, 1); exact, via the IEEE bits. */
export function frexp(x: number): { fraction: number; exponent: number } {
  if (x === 0 || !Number.isFinite(x)) return { fraction: x, exponent: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const biased = (view.getUint16(0) >> 4) & 0x7ff;
  if (biased === 0) {
    // Subnormal: scale into the normal range first (2^64 is exact).
    const r = frexp(x * 2 ** 64);
    return { fraction: r.fraction, exponent: r.exponent - 64 };
  }
  const exponent = biased - 1022;
  // Two steps so 2^exponent never overflows to Infinity for the largest doubles.
  return { fraction: x / 2 ** (exponent - 1) / 2, exponent };
}

/**
 * TFLM QuantizeMultiplier (quantization_util.cc): frexp, q_fixed = round(q * 2^31); q_fixed == 2^31
 * becomes 2^30 with shift + 1; shift < -31 flushes to (0, 0). Negative multipliers pass through
 * (LEAKY_RELU with negative alpha relies on that).
 */
export function quantizeMultiplier(real: number): QuantizedMultiplier {
  if (!Number.isFinite(real)) throw new RangeError(`quantizeMultiplier: ${real} is not a finite number`);
  if (real === 0) return { multiplier: 0, shift: 0 };
  const { fraction, exponent } = frexp(real);
  let qFixed = roundHalfAwayFromZero(fraction * TWO_POW_31);
  let shift = exponent;
  if (qFixed === TWO_POW_31) {
    qFixed /= 2;
    shift += 1;
  }
  if (shift < -31) return { multiplier: 0, shift: 0 };
  return { multiplier: qFixed, shift };
}

/** Activation tensors need one positive per-tensor scale. */
function requireScale(t: Tensor): number {
  const q = t.quantization;
  const s = q?.scale[0];
  if (q === undefined || s === undefined || !(s > 0) || !Number.isFinite(s)) {
    throw new QuantParamsError(t.name, 'has no positive quantization scale; re-export the model fully int8-quantized');
  }
  return s;
}

/** Filter scales may be zero or even negative in real models; TFLM uses them as they are. */
function filterScale(t: Tensor, index: number): number {
  const scales = t.quantization?.scale ?? [];
  const s = scales[scales.length === 1 ? 0 : index];
  if (s === undefined || !Number.isFinite(s)) {
    throw new QuantParamsError(t.name, `has no quantization scale for channel ${index}; re-export the model fully int8-quantized`);
  }
  return s;
}

function zeroPoint(t: Tensor): number {
  return t.quantization?.zeroPoint[0] ?? 0;
}

/** TFLM's "offset" = -zero_point; written as 0 - zp so a zero point of 0 gives 0, not -0. */
function negZeroPoint(t: Tensor): number {
  return 0 - zeroPoint(t);
}

/** [qmin, qmax] of the tensor's integer type. */
function typeRange(t: Tensor): [number, number] {
  switch (t.dtype) {
    case 'int8': return [-128, 127];
    case 'uint8': return [0, 255];
    case 'int16': return [-32768, 32767];
    default: throw new QuantParamsError(t.name, `dtype ${t.dtype} is not a quantized integer type`);
  }
}

export interface ActivationRange { act_min: number; act_max: number; }

/** CalculateActivationRangeQuantized: zp + roundf(f / scale) in float, intersected with the type range. */
export function activationRange(activation: Activation, output: Tensor): ActivationRange {
  const [qmin, qmax] = typeRange(output);
  const scale = requireScale(output);
  const zp = zeroPoint(output);
  const quantize = (f: number): number => zp + roundHalfAwayFromZero(Math.fround(f / scale));
  switch (activation) {
    case 'NONE': return { act_min: qmin, act_max: qmax };
    case 'RELU': return { act_min: Math.max(qmin, quantize(0)), act_max: qmax };
    case 'RELU6': return { act_min: Math.max(qmin, quantize(0)), act_max: Math.min(qmax, quantize(6)) };
    case 'RELU_N1_TO_1': return { act_min: Math.max(qmin, quantize(-1)), act_max: Math.min(qmax, quantize(1)) };
  }
}

/** mcb_conv_params / mcb_depthwise_conv_params quantized fields plus the mcb_channel_quant arrays. */
export interface ConvQuantParams extends ActivationRange {
  input_offset: number;
  output_offset: number;
  multiplier: number[];
  shift: number[];
}

function perChannel(input: Tensor, filter: Tensor, output: Tensor, channels: number): Pick<ConvQuantParams, 'multiplier' | 'shift'> {
  const scales = filter.quantization?.scale ?? [];
  if (scales.length !== 1 && scales.length !== channels) {
    throw new QuantParamsError(filter.name, `has ${scales.length} scales for ${channels} output channels`);
  }
  const inScale = requireScale(input);
  const outScale = requireScale(output);
  const multiplier: number[] = [];
  const shift: number[] = [];
  for (let c = 0; c < channels; c++) {
    // PopulateConvolutionQuantizationParams: (double)in * (double)filter / (double)out, left to right.
    const q = quantizeMultiplier((inScale * filterScale(filter, c)) / outScale);
    multiplier.push(q.multiplier);
    shift.push(q.shift);
  }
  return { multiplier, shift };
}

/** CONV_2D (channels = filter dim 0) and DEPTHWISE_CONV_2D (channels = filter dim 3). */
export function convQuantParams(kind: 'conv' | 'depthwise', input: Tensor, filter: Tensor, output: Tensor, activation: Activation): ConvQuantParams {
  const channels = kind === 'conv' ? filter.shape[0] : filter.shape[3];
  if (channels === undefined) throw new QuantParamsError(filter.name, 'filter is not 4-D');
  return {
    input_offset: negZeroPoint(input),
    output_offset: zeroPoint(output),
    ...activationRange(activation, output),
    ...perChannel(input, filter, output, channels),
  };
}

/** mcb_fully_connected_params + mcb_channel_quant (one entry when the filter is per-tensor). */
export interface FullyConnectedQuantParams extends ConvQuantParams { filter_offset: number; }

export function fullyConnectedQuantParams(input: Tensor, filter: Tensor, output: Tensor, activation: Activation): FullyConnectedQuantParams {
  const scales = filter.quantization?.scale ?? [];
  const base = { input_offset: negZeroPoint(input), filter_offset: negZeroPoint(filter), output_offset: zeroPoint(output), ...activationRange(activation, output) };
  if (scales.length > 1) {
    const outDepth = filter.shape[0] ?? 0;
    return { ...base, ...perChannel(input, filter, output, outDepth) };
  }
  // GetQuantizedConvolutionMultipler: the input*filter product is taken in float, then divided in double.
  const q = quantizeMultiplier(Math.fround(requireScale(input) * filterScale(filter, 0)) / requireScale(output));
  return { ...base, multiplier: [q.multiplier], shift: [q.shift] };
}

/** mcb_conv_u8_params quantized fields for legacy uint8 CONV_2D / DEPTHWISE_CONV_2D (TFLite, per-tensor). */
export interface ConvU8QuantParams extends ActivationRange {
  input_offset: number; filter_offset: number; output_offset: number;
  output_multiplier: number; output_shift: number;
}

export function convU8QuantParams(input: Tensor, filter: Tensor, output: Tensor, activation: Activation): ConvU8QuantParams {
  if ((filter.quantization?.scale.length ?? 0) !== 1) {
    throw new QuantParamsError(filter.name, 'legacy uint8 convolutions need one per-tensor weight scale');
  }
  // PopulateConvolutionQuantizationParams' uint8 branch: GetQuantizedConvolutionMultipler (float product).
  const q = quantizeMultiplier(Math.fround(requireScale(input) * filterScale(filter, 0)) / requireScale(output));
  return {
    input_offset: negZeroPoint(input), filter_offset: negZeroPoint(filter), output_offset: zeroPoint(output),
    output_multiplier: q.multiplier, output_shift: q.shift, ...activationRange(activation, output),
  };
}

/** QuantizeMultiplierSmallerThanOneExp: TFLM CHECK-fails outside (0, 1); we throw instead. */
function smallerThanOne(real: number, tensor: Tensor, what: string): QuantizedMultiplier {
  if (!(real > 0 && real < 1)) {
    throw new QuantParamsError(tensor.name, `${what} multiplier ${real} is outside (0, 1), which TFLM rejects`);
  }
  return quantizeMultiplier(real);
}

/** mcb_add_params (add_common.cc CalculateOpDataAdd, int8: left_shift 20). */
export interface AddQuantParams extends ActivationRange {
  left_shift: number;
  input1_offset: number; input1_multiplier: number; input1_shift: number;
  input2_offset: number; input2_multiplier: number; input2_shift: number;
  output_offset: number; output_multiplier: number; output_shift: number;
}

export function addQuantParams(input1: Tensor, input2: Tensor, output: Tensor, activation: Activation): AddQuantParams {
  const leftShift = output.dtype === 'int16' ? 15 : 20;
  const s1 = requireScale(input1);
  const s2 = requireScale(input2);
  const twiceMax = 2 * Math.max(s1, s2);
  const q1 = smallerThanOne(s1 / twiceMax, input1, 'input1');
  const q2 = smallerThanOne(s2 / twiceMax, input2, 'input2');
  const qo = smallerThanOne(twiceMax / ((1 << leftShift) * requireScale(output)), output, 'output');
  return {
    left_shift: leftShift,
    input1_offset: negZeroPoint(input1), input1_multiplier: q1.multiplier, input1_shift: q1.shift,
    input2_offset: negZeroPoint(input2), input2_multiplier: q2.multiplier, input2_shift: q2.shift,
    output_offset: zeroPoint(output), output_multiplier: qo.multiplier, output_shift: qo.shift,
    ...activationRange(activation, output),
  };
}

/** mcb_mul_params (mul_common.cc CalculateOpDataMul). */
export interface MulQuantParams extends ActivationRange {
  input1_offset: number; input2_offset: number; output_offset: number;
  output_multiplier: number; output_shift: number;
}

export function mulQuantParams(input1: Tensor, input2: Tensor, output: Tensor, activation: Activation): MulQuantParams {
  const q = quantizeMultiplier((requireScale(input1) * requireScale(input2)) / requireScale(output));
  return {
    input1_offset: negZeroPoint(input1), input2_offset: negZeroPoint(input2), output_offset: zeroPoint(output),
    output_multiplier: q.multiplier, output_shift: q.shift, ...activationRange(activation, output),
  };
}

/** AVERAGE_POOL_2D / MAX_POOL_2D: only the activation range; TFLM requires equal in/out quantization. */
export function poolQuantParams(input: Tensor, output: Tensor, activation: Activation): ActivationRange {
  if (requireScale(input) !== requireScale(output) || zeroPoint(input) !== zeroPoint(output)) {
    throw new QuantParamsError(output.name, 'pooling input and output must share scale and zero point (TFLM does not rescale)');
  }
  return activationRange(activation, output);
}

/** mcb_mean_params: reduce_common.cc PrepareSimple, real = (double)in / (double)out; axes → bit mask. */
export interface MeanQuantParams { input_zero_point: number; output_zero_point: number; multiplier: number; shift: number; axis_mask: number; }

export function meanQuantParams(input: Tensor, output: Tensor, axes: number[]): MeanQuantParams {
  const rank = input.shape.length;
  let mask = 0;
  for (const a of axes) {
    const axis = a < 0 ? a + rank : a;
    if (!(axis >= 0 && axis < rank)) throw new QuantParamsError(input.name, `MEAN axis ${a} is outside rank ${rank}`);
    mask |= 1 << axis;
  }
  const q = quantizeMultiplier(requireScale(input) / requireScale(output));
  return { input_zero_point: zeroPoint(input), output_zero_point: zeroPoint(output), multiplier: q.multiplier, shift: q.shift, axis_mask: mask };
}

/** mcb_softmax_params: softmax_common.cc for int8 → int8 (and TFLite's uint8 → uint8) (PreprocessSoftmaxScaling, CalculateInputRadius). */
export interface SoftmaxQuantParams { input_multiplier: number; input_left_shift: number; diff_min: number; }

export function softmaxQuantParams(input: Tensor, output: Tensor, beta: number): SoftmaxQuantParams {
  // int8 (TFLM) needs zero point -128; legacy uint8 (TFLite) needs 0; both scale 1/256.
  const zp = output.dtype === 'uint8' ? 0 : -128;
  if ((output.dtype !== 'int8' && output.dtype !== 'uint8') || zeroPoint(output) !== zp || requireScale(output) !== 1 / 256) {
    throw new QuantParamsError(output.name, `${output.dtype} SOFTMAX output must have scale 1/256 and zero point ${zp} (TFLM/TFLite requirement)`);
  }
  const scaledDiffIntegerBits = 5;
  const real = Math.min(Math.fround(beta) * requireScale(input) * 2 ** (31 - scaledDiffIntegerBits), TWO_POW_31 - 1);
  if (!(real > 1)) throw new QuantParamsError(input.name, `softmax beta*scale multiplier ${real} must exceed 1 (TFLM QuantizeMultiplierGreaterThanOne)`);
  const q = quantizeMultiplier(real);
  const radius = Math.floor((((1 << scaledDiffIntegerBits) - 1) * 2 ** (31 - scaledDiffIntegerBits)) / 2 ** q.shift);
  return { input_multiplier: q.multiplier, input_left_shift: q.shift, diff_min: -radius };
}

/** mcb_leaky_relu_params: leaky_relu_common.cc; both ratios are formed in float, then widened. */
export interface LeakyReluQuantParams {
  input_zero_point: number; output_zero_point: number;
  output_multiplier_alpha: number; output_shift_alpha: number;
  output_multiplier_identity: number; output_shift_identity: number;
}

export function leakyReluQuantParams(input: Tensor, output: Tensor, alpha: number): LeakyReluQuantParams {
  const inScale = requireScale(input);
  const outScale = requireScale(output);
  const qa = quantizeMultiplier(Math.fround(Math.fround(inScale * Math.fround(alpha)) / outScale));
  const qi = quantizeMultiplier(Math.fround(inScale / outScale));
  return {
    input_zero_point: zeroPoint(input), output_zero_point: zeroPoint(output),
    output_multiplier_alpha: qa.multiplier, output_shift_alpha: qa.shift,
    output_multiplier_identity: qi.multiplier, output_shift_identity: qi.shift,
  };
}

/** mcb_requantize_params: quantize_common.cc, effective scale (double)in / (double)out. */
export interface RequantizeParams { input_zero_point: number; output_zero_point: number; multiplier: number; shift: number; }

export function requantizeParams(input: Tensor, output: Tensor): RequantizeParams {
  const q = quantizeMultiplier(requireScale(input) / requireScale(output));
  return { input_zero_point: zeroPoint(input), output_zero_point: zeroPoint(output), multiplier: q.multiplier, shift: q.shift };
}

/** mcb_affine_quant for QUANTIZE (float → int8, output's) and DEQUANTIZE (input's). */
export interface AffineQuant { scale: number; zero_point: number; }

export function affineQuant(tensor: Tensor): AffineQuant {
  return { scale: requireScale(tensor), zero_point: zeroPoint(tensor) };
}

/** CONCATENATION int8: TFLM demands every input share the output's scale and zero point. */
export function checkConcatenationQuant(inputs: Tensor[], output: Tensor): void {
  for (const t of inputs) {
    if (requireScale(t) !== requireScale(output) || zeroPoint(t) !== zeroPoint(output)) {
      throw new QuantParamsError(t.name, `int8 CONCATENATION input must share scale and zero point with output "${output.name}" (TFLM does not rescale)`);
    }
  }
}
