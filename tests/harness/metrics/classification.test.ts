import { accuracy, classify, dequantize, topK } from '../../../harness/metrics';

const i8 = (v: number[]): Uint8Array => new Uint8Array(Int8Array.from(v).buffer);
const f32 = (v: number[]): Uint8Array => new Uint8Array(Float32Array.from(v).buffer);

describe('top-k ranking', () => {
  it('orders by score and breaks ties by the lower index', () => {
    expect(topK([1, 5, 5, 3, 5], 5)).toEqual([1, 2, 4, 3, 0]);
    expect(topK([0, 0, 0], 2)).toEqual([0, 1]);
    expect(() => topK([], 1)).toThrow(/empty/);
    expect(() => topK([1, NaN], 1)).toThrow(/NaN/);
  });

  it('ranks int8 as signed, uint8 as unsigned and float32 as stored', () => {
    // bytes 0x80 = −128 (int8) / 128 (uint8); 0x7f = 127 either way
    expect(classify(Uint8Array.from([0x80, 0x7f, 0x00]), 'int8', 1).predicted).toBe(1);
    expect(classify(Uint8Array.from([0x80, 0x7f, 0x00]), 'uint8', 0).predicted).toBe(0);
    expect(classify(f32([0.1, -2, 0.7, 0.2]), 'float32', 2).top5).toEqual([2, 3, 0, 1]);
  });
});

describe('classification results', () => {
  it('scores top-1 and top-5 with a background offset', () => {
    // 1001-class style: index 0 = background (highest here, but it is not a class); class k is index k+1
    const out = Uint8Array.from([250, 10, 200, 30, 40, 50, 60, 5]);
    const r = classify(out, 'uint8', 1, 1);
    expect(r.predicted).toBe(1); // index 2 (200) → class 1
    expect(r.top5).toEqual([1, 5, 4, 3, 2]); // indices 2, 6, 5, 4, 3
    expect(r.top1Correct).toBe(true);
    expect(classify(out, 'uint8', 6, 1)).toMatchObject({ top1Correct: false, top5Correct: false }); // class 6 = index 7 (5): last
  });

  it('summarises accuracy', () => {
    const rs = [classify(i8([9, 1, 0]), 'int8', 0), classify(i8([1, 9, 0]), 'int8', 0), classify(i8([1, 9, 0]), 'int8', 2)];
    // sample 1: top-1 hit; sample 2: label 0 is 2nd → top-5 hit; sample 3: label 2 is 3rd → top-5 hit
    expect(accuracy(rs)).toEqual({ count: 3, top1Correct: 1, top5Correct: 3, top1: 1 / 3, top5: 1 });
  });

  it('dequantizes with scale and zero point', () => {
    expect(Array.from(dequantize(i8([-128, -44, 127]), { dtype: 'int8', scale: 0.5, zeroPoint: -44 }))).toEqual([-42, 0, 85.5]);
    expect(() => dequantize(i8([1]), { dtype: 'int8' })).toThrow(/scale and zeroPoint/);
  });
});
