import { compareOutput, summarizeFidelity } from '../../../harness/metrics';

const i8 = (v: number[]): Uint8Array => new Uint8Array(Int8Array.from(v).buffer);
const q = { dtype: 'int8' as const, scale: 0.5, zeroPoint: 0 };

describe('device vs host fidelity', () => {
  it('identical outputs are bit-exact with zero error', () => {
    expect(compareOutput(i8([1, 2, 3]), i8([1, 2, 3]), q)).toEqual({ bitExact: true, mismatched: 0, elements: 3, maxAbsError: 0, mae: 0, rmse: 0, cosine: 1, l2Relative: 0 });
  });

  it('measures errors on dequantized values', () => {
    // host q = [2, 0, 2] → [1, 0, 1]; device q = [2, 2, 0] → [1, 1, 0]; error = [0, 1, −1]
    // max |e| = 1; RMSE = sqrt(2/3); cos = (1·1)/(sqrt2·sqrt2) = 0.5; L2 rel = sqrt2 / sqrt2 = 1
    const r = compareOutput(i8([2, 2, 0]), i8([2, 0, 2]), q);
    expect(r).toMatchObject({ bitExact: false, mismatched: 2, maxAbsError: 1, cosine: 0.5, l2Relative: 1 });
    expect(r.mae).toBeCloseTo(2 / 3, 12);
    expect(r.rmse).toBeCloseTo(Math.sqrt(2 / 3), 12);
  });

  it('handles all-zero vectors and size mismatches', () => {
    expect(compareOutput(i8([0, 0]), i8([0, 0]), q).cosine).toBe(1);
    expect(compareOutput(i8([2, 0]), i8([0, 0]), q)).toMatchObject({ cosine: 0, l2Relative: Infinity });
    expect(() => compareOutput(i8([1]), i8([1, 2]), q)).toThrow(/same tensor/);
  });

  it('compares float32 outputs element-wise', () => {
    const a = new Uint8Array(Float32Array.from([1, 2]).buffer), b = new Uint8Array(Float32Array.from([1, 2.5]).buffer);
    expect(compareOutput(a, b, { dtype: 'float32' })).toMatchObject({ mismatched: 1, elements: 2, maxAbsError: 0.5 });
  });

  it('summarises over samples, errors over the non-identical ones', () => {
    const exact = compareOutput(i8([1, 2]), i8([1, 2]), q);
    const off = compareOutput(i8([2, 2, 0]), i8([2, 0, 2]), q);
    const s = summarizeFidelity([exact, exact, exact, off]);
    expect(s).toMatchObject({ samples: 4, bitExactSamples: 3, bitExactRate: 0.75, worstMaxAbsError: 1, minCosine: 0.5, maxL2Relative: 1 });
    expect(s.meanRmse).toBeCloseTo(Math.sqrt(2 / 3), 12);
    expect(summarizeFidelity([exact])).toMatchObject({ bitExactRate: 1, worstMaxAbsError: 0, meanRmse: 0, minCosine: 1 });
  });
});
