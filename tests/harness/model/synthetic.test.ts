// One-operator models built in the test: padding arithmetic for dilation and odd sizes (worked by hand from
// TFLite's rule), option errors, and constant buffers stored after the flatbuffer (buffer.offset/size).
import { Conv2DOptions, ModelError, parseModel } from '../../../harness/model';
import { tinyConvModel, TinyConv } from './tiny-model';

const conv = (spec: TinyConv): Conv2DOptions => {
  const g = parseModel(tinyConvModel(spec).bytes, 'tiny.tflite');
  expect(g.operators.map((op) => op.type)).toEqual(['CONV_2D']);
  return g.operators[0].options as Conv2DOptions;
};

describe('SAME/VALID resolution', () => {
  test('dilation 2, stride 1, 3x3 on 10x10: effective kernel 5, total (10-1)*1+5-10 = 4 → 2 and 2', () => {
    const o = conv({ input: [1, 10, 10, 1], filter: [1, 3, 3, 1], output: [1, 10, 10, 1], padding: 'SAME', stride: [1, 1], dilation: [2, 2] });
    expect(o).toMatchObject({ padding: { top: 2, bottom: 2, left: 2, right: 2 }, dilationH: 2, dilationW: 2 });
  });

  test('dilation 2, stride 2, 3x3 on 10x9: heights total (5-1)*2+5-10 = 3 → 1/2; widths (5-1)*2+5-9 = 4 → 2/2', () => {
    const o = conv({ input: [1, 10, 9, 1], filter: [1, 3, 3, 1], output: [1, 5, 5, 1], padding: 'SAME', stride: [2, 2], dilation: [2, 2] });
    expect(o.padding).toEqual({ top: 1, bottom: 2, left: 2, right: 2 });
  });

  test('SAME never pads negatively: 1x1 stride 2 on 7 pixels gives total max((4-1)*2+1-7, 0) = 0', () => {
    const o = conv({ input: [1, 7, 7, 1], filter: [1, 1, 1, 1], output: [1, 4, 4, 1], padding: 'SAME', stride: [2, 2] });
    expect(o.padding).toEqual({ top: 0, bottom: 0, left: 0, right: 0 });
  });

  test('VALID, 3x3 stride 2 on 10 pixels: ceil((10-3+1)/2) = 4 outputs, no padding', () => {
    const o = conv({ input: [1, 10, 10, 1], filter: [1, 3, 3, 1], output: [1, 4, 4, 1], padding: 'VALID', stride: [2, 2] });
    expect(o.padding).toEqual({ top: 0, bottom: 0, left: 0, right: 0 });
  });

  test('an output size the options cannot produce is a ModelError at the operator', () => {
    const { bytes } = tinyConvModel({ input: [1, 10, 10, 1], filter: [1, 3, 3, 1], output: [1, 7, 4, 1], padding: 'VALID', stride: [2, 2] });
    expect(() => parseModel(bytes, 'tiny.tflite')).toThrow(new ModelError('tiny.tflite', 'CONV_2D: output height is 7 but input 10, kernel 3, stride 2, dilation 1 and VALID padding give 4', 0));
  });
});

describe('option errors', () => {
  const base: TinyConv = { input: [1, 4, 4, 1], filter: [1, 3, 3, 1], output: [1, 4, 4, 1], padding: 'SAME', stride: [1, 1] };

  test('an activation the runtime has no kernel for', () => {
    expect(() => parseModel(tinyConvModel({ ...base, activation: 4 }).bytes, 'tiny.tflite')).toThrow('tiny.tflite: operator 0: CONV_2D: fused activation TANH is not supported');
  });

  test('missing options table', () => {
    expect(() => parseModel(tinyConvModel({ ...base, withoutOptions: true }).bytes, 'tiny.tflite')).toThrow('tiny.tflite: operator 0: CONV_2D: missing Conv2DOptions');
  });

  test('stride 0', () => {
    expect(() => parseModel(tinyConvModel({ ...base, stride: [0, 1] }).bytes, 'tiny.tflite')).toThrow(/operator 0: CONV_2D: invalid height kernel 3, stride 0 or dilation 1/);
  });
});

describe('buffers stored outside the flatbuffer', () => {
  const spec: TinyConv = { input: [1, 4, 4, 2], filter: [3, 3, 3, 2], output: [1, 4, 4, 3], padding: 'SAME', stride: [1, 1] };

  test('are read from buffer.offset/size', () => {
    const { bytes, filter } = tinyConvModel({ ...spec, externalFilter: {} });
    const g = parseModel(bytes, 'big.tflite');
    expect(g.tensors[1].data).toEqual(filter);
    expect(g.tensors[1].data).toHaveLength(3 * 3 * 3 * 2 * 4);
  });

  test('inline and external storage give the same graph', () => {
    const inline = parseModel(tinyConvModel(spec).bytes, 'm');
    const external = parseModel(tinyConvModel({ ...spec, externalFilter: {} }).bytes, 'm');
    expect(external).toEqual(inline);
  });

  test('a size running past the end of the file is a ModelError', () => {
    const { bytes } = tinyConvModel({ ...spec, externalFilter: { sizeDelta: 64 } });
    expect(() => parseModel(bytes, 'big.tflite')).toThrow(/big\.tflite: buffer 1 lies at bytes \d+\.\.\d+, past the end of the \d+-byte file/);
  });
});
