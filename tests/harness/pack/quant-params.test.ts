// Expected values are derived by hand from TFLM's algorithms (quantization_util.cc, *_common.cc) or,
// where noted, with exact rational arithmetic (Python fractions) independent of this module.
import type { DType, Tensor } from '../../../harness/model/graph';
import {
  activationRange, addQuantParams, checkConcatenationQuant, convQuantParams, convU8QuantParams, frexp,
  fullyConnectedQuantParams, leakyReluQuantParams, meanQuantParams, mulQuantParams,
  poolQuantParams, QuantParamsError, quantizeMultiplier, requantizeParams,
  roundHalfAwayFromZero, softmaxQuantParams,
} from '../../../harness/pack/quant-params';

function tensor(name: string, scale: number | number[], zeroPoint = 0, shape: number[] = [1], dtype: DType = 'int8'): Tensor {
  const scales = (Array.isArray(scale) ? scale : [scale]).map(Math.fround);
  return { index: 0, name, shape, dtype, quantization: { scale: scales, zeroPoint: scales.map(() => zeroPoint), axis: 0 } };
}

describe('roundHalfAwayFromZero / frexp', () => {
  it('rounds ties away from zero, unlike Math.round', () => {
    expect(roundHalfAwayFromZero(2.5)).toBe(3);
    expect(roundHalfAwayFromZero(-2.5)).toBe(-3);
    expect(roundHalfAwayFromZero(-2.4999)).toBe(-2);
    expect(roundHalfAwayFromZero(0.49999999999999994)).toBe(0);
  });
  it('splits into a fraction in [0.5, 1) and an exponent', () => {
    expect(frexp(0.5)).toEqual({ fraction: 0.5, exponent: 0 });
    expect(frexp(3)).toEqual({ fraction: 0.75, exponent: 2 });
    expect(frexp(-0.1)).toEqual({ fraction: -0.8, exponent: -3 });
    expect(frexp(Number.MIN_VALUE)).toEqual({ fraction: 0.5, exponent: -1073 });
    expect(frexp(Number.MAX_VALUE).exponent).toBe(1024);
  });
});

describe('quantizeMultiplier (TFLM QuantizeMultiplier)', () => {
  it('maps powers of two to 2^30 with the exponent as shift', () => {
    expect(quantizeMultiplier(0.5)).toEqual({ multiplier: 2 ** 30, shift: 0 });
    expect(quantizeMultiplier(1)).toEqual({ multiplier: 2 ** 30, shift: 1 });
    expect(quantizeMultiplier(0.25)).toEqual({ multiplier: 2 ** 30, shift: -1 });
    expect(quantizeMultiplier(2 ** -32)).toEqual({ multiplier: 2 ** 30, shift: -31 });
  });
  it('keeps the fraction bits: 0.75 * 2^31 and 3 = 0.75 * 2^2', () => {
    expect(quantizeMultiplier(0.75)).toEqual({ multiplier: 1610612736, shift: 0 });
    expect(quantizeMultiplier(3)).toEqual({ multiplier: 1610612736, shift: 2 });
    expect(quantizeMultiplier(-0.75)).toEqual({ multiplier: -1610612736, shift: 0 });
  });
  it('rounds a half-way q * 2^31 away from zero', () => {
    // (0.5 + 2^-32) * 2^31 = 2^30 + 0.5 exactly.
    expect(quantizeMultiplier(0.5 + 2 ** -32)).toEqual({ multiplier: 2 ** 30 + 1, shift: 0 });
    expect(quantizeMultiplier(-(0.5 + 2 ** -32))).toEqual({ multiplier: -(2 ** 30) - 1, shift: 0 });
  });
  it('applies the q_fixed == 2^31 correction', () => {
    // (1 - 2^-40) * 2^31 = 2^31 - 2^-9 rounds to 2^31, which becomes 2^30 with shift + 1.
    expect(quantizeMultiplier(1 - 2 ** -40)).toEqual({ multiplier: 2 ** 30, shift: 1 });
  });
  it('flushes shifts below -31 to zero, and zero to (0, 0)', () => {
    expect(quantizeMultiplier(2 ** -40)).toEqual({ multiplier: 0, shift: 0 });
    expect(quantizeMultiplier(0)).toEqual({ multiplier: 0, shift: 0 });
  });
  it('rejects non-finite input', () => {
    expect(() => quantizeMultiplier(Number.NaN)).toThrow(RangeError);
  });
});

describe('activationRange (CalculateActivationRangeQuantized)', () => {
  const out = tensor('out', 6 / 255, -128);
  it('maps NONE to the int8 range and RELU6 to [zp, zp + round(6 / scale)]', () => {
    expect(activationRange('NONE', out)).toEqual({ act_min: -128, act_max: 127 });
    // 6 / float32(6/255) = 255.0000... -> 255; -128 + 255 = 127.
    expect(activationRange('RELU6', out)).toEqual({ act_min: -128, act_max: 127 });
  });
  it('clips RELU at the zero point and RELU_N1_TO_1 at +-1 / scale', () => {
    const o = tensor('o', 0.05, 10);
    expect(activationRange('RELU', o)).toEqual({ act_min: 10, act_max: 127 });
    // round(1 / 0.05f) = 20: [10 - 20, 10 + 20].
    expect(activationRange('RELU_N1_TO_1', o)).toEqual({ act_min: -10, act_max: 30 });
    expect(activationRange('RELU', tensor('u', 0.05, 10, [1], 'uint8'))).toEqual({ act_min: 10, act_max: 255 });
  });
});

describe('per-op parameters', () => {
  it('conv: per-channel double product, per-tensor scale broadcast to every channel', () => {
    const p = convQuantParams('conv', tensor('in', 0.5, -3), tensor('w', [0.25, 0.125], 0, [2, 1, 1, 1]), tensor('out', 0.5, 7), 'RELU');
    expect(p).toEqual({ input_offset: 3, output_offset: 7, act_min: 7, act_max: 127, multiplier: [2 ** 30, 2 ** 30], shift: [-1, -2] });
    const dw = convQuantParams('depthwise', tensor('in', 1), tensor('w', 0.75, 0, [1, 3, 3, 3]), tensor('out', 1), 'NONE');
    expect(dw.multiplier).toEqual([1610612736, 1610612736, 1610612736]);
    expect(dw.shift).toEqual([0, 0, 0]);
  });
  it('passes a negative (real-model) filter scale through as a negative multiplier', () => {
    // 0.5 * -0.25 / 0.5 = -0.25 = -0.5 * 2^-1.
    const p = convQuantParams('conv', tensor('in', 0.5), tensor('w', [0.25, -0.25], 0, [2, 1, 1, 1]), tensor('out', 0.5), 'NONE');
    expect(p.multiplier).toEqual([2 ** 30, -(2 ** 30)]);
    expect(p.shift).toEqual([-1, -1]);
  });
  it('conv uses the double product; FC per-tensor uses the float product (values from exact rationals)', () => {
    // in = 0.1f, w = 0.3f, out = 0.7f. Double: q=1472560321, s=-4. Float product first: q=1472560299, s=-4.
    const conv = convQuantParams('conv', tensor('in', 0.1), tensor('w', 0.3, 0, [1, 1, 1, 1]), tensor('out', 0.7), 'NONE');
    expect([conv.multiplier[0], conv.shift[0]]).toEqual([1472560321, -4]);
    const fc = fullyConnectedQuantParams(tensor('in', 0.1, 5), tensor('w', 0.3, 0, [4, 8]), tensor('out', 0.7, -1), 'NONE');
    expect(fc).toMatchObject({ input_offset: -5, filter_offset: 0, output_offset: -1, multiplier: [1472560299], shift: [-4] });
    const fcPc = fullyConnectedQuantParams(tensor('in', 0.1), tensor('w', [0.3, 0.3], 0, [2, 8]), tensor('out', 0.7), 'NONE');
    expect(fcPc.multiplier).toEqual([1472560321, 1472560321]);
  });
  it('add: left_shift 20, inputs over twice the larger scale, output 2*max / (2^20 * out)', () => {
    const p = addQuantParams(tensor('a', 0.5, 1), tensor('b', 0.25, -2), tensor('o', 1, 3), 'NONE');
    expect(p).toEqual({
      left_shift: 20,
      input1_offset: -1, input1_multiplier: 2 ** 30, input1_shift: 0,
      input2_offset: 2, input2_multiplier: 2 ** 30, input2_shift: -1,
      output_offset: 3, output_multiplier: 2 ** 30, output_shift: -19,
      act_min: -128, act_max: 127,
    });
    // Output multiplier >= 1 (tiny output scale) is a TFLM CHECK failure: we throw and name the tensor.
    expect(() => addQuantParams(tensor('a', 1), tensor('b', 1), tensor('tiny', 2 ** -22), 'NONE')).toThrow(/tiny/);
  });
  it('mul: in1 * in2 / out', () => {
    const p = mulQuantParams(tensor('a', 0.5, 4), tensor('b', 0.5), tensor('o', 0.125), 'NONE');
    expect(p).toEqual({ input1_offset: -4, input2_offset: 0, output_offset: 0, output_multiplier: 2 ** 30, output_shift: 2, act_min: -128, act_max: 127 });
  });
  it('mean: in / out and a bit mask of (possibly negative) axes', () => {
    const p = meanQuantParams(tensor('in', 0.5, -1, [1, 7, 7, 8]), tensor('out', 0.25, 2), [1, -2]);
    expect(p).toEqual({ input_zero_point: -1, output_zero_point: 2, multiplier: 2 ** 30, shift: 2, axis_mask: 0b110 });
    expect(() => meanQuantParams(tensor('in', 1, 0, [1, 2]), tensor('out', 1), [3])).toThrow(QuantParamsError);
  });
  it('softmax: beta * scale * 2^26 as a >1 multiplier; diff_min = -floor(31 * 2^26 / 2^shift)', () => {
    // 1 * 0.0625 * 2^26 = 2^22 = 0.5 * 2^23 -> (2^30, 23); radius = 31 * 2^26 / 2^23 = 248.
    const p = softmaxQuantParams(tensor('in', 0.0625, 3), tensor('out', 1 / 256, -128), 1);
    expect(p).toEqual({ input_multiplier: 2 ** 30, input_left_shift: 23, diff_min: -248 });
    expect(() => softmaxQuantParams(tensor('in', 0.0625), tensor('bad', 1 / 255, -128), 1)).toThrow(/bad/);
  });
  it('legacy uint8 conv: per-tensor float product, weight zero point, uint8 activation range', () => {
    // in 0.1f, w 0.3f (float product), out 0.7f -> (1472560299, -4) as for FC above.
    const p = convU8QuantParams(tensor('in', 0.1, 128, [1], 'uint8'), tensor('w', 0.3, 120, [1, 1, 1, 1], 'uint8'), tensor('out', 0.7, 0, [1], 'uint8'), 'RELU6');
    expect(p).toEqual({ input_offset: -128, filter_offset: -120, output_offset: 0, output_multiplier: 1472560299, output_shift: -4, act_min: 0, act_max: 9 });
    expect(() => convU8QuantParams(tensor('in', 1, 0, [1], 'uint8'), tensor('pc', [1, 2], 0, [2, 1, 1, 1], 'uint8'), tensor('out', 1, 0, [1], 'uint8'), 'NONE')).toThrow(/pc/);
    expect(softmaxQuantParams(tensor('in', 0.0625, 0, [1], 'uint8'), tensor('out', 1 / 256, 0, [1], 'uint8'), 1).input_left_shift).toBe(23);
  });
  it('leaky relu: alpha ratio formed in float32', () => {
    // float32(0.1) = 13421773 * 2^-27 -> fraction 13421773 * 2^-24, times 2^31 = 13421773 * 2^7.
    const p = leakyReluQuantParams(tensor('in', 0.5, 1), tensor('out', 0.5, 2), 0.1);
    expect(p).toEqual({
      input_zero_point: 1, output_zero_point: 2,
      output_multiplier_alpha: 13421773 * 128, output_shift_alpha: -3,
      output_multiplier_identity: 2 ** 30, output_shift_identity: 1,
    });
    expect(leakyReluQuantParams(tensor('in', 0.5), tensor('out', 0.5), -0.5).output_multiplier_alpha).toBe(-(2 ** 30));
  });
  it('requantize, pooling and concatenation checks', () => {
    expect(requantizeParams(tensor('in', 1, -128, [1], 'uint8'), tensor('out', 1, 0))).toEqual({ input_zero_point: -128, output_zero_point: 0, multiplier: 2 ** 30, shift: 1 });
    expect(poolQuantParams(tensor('in', 0.1, 2), tensor('out', 0.1, 2), 'RELU')).toEqual({ act_min: 2, act_max: 127 });
    expect(() => poolQuantParams(tensor('in', 0.1, 2), tensor('out', 0.2, 2), 'NONE')).toThrow(QuantParamsError);
    expect(() => checkConcatenationQuant([tensor('a', 0.1), tensor('b', 0.1)], tensor('o', 0.1))).not.toThrow();
    expect(() => checkConcatenationQuant([tensor('a', 0.1), tensor('odd', 0.2)], tensor('o', 0.1))).toThrow(/odd/);
  });
  it('names the tensor when quantization is missing', () => {
    const plain: Tensor = { index: 0, name: 'float_in', shape: [1], dtype: 'float32' };
    expect(() => requantizeParams(plain, tensor('out', 1))).toThrow(/float_in/);
  });
});
