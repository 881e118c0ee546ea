import { Window } from '../../../harness/plan/op-analysis';
import { gridTiles, inputRegionFor, splitPoints } from '../../../harness/plan/regions';

const win = (k: number, s: number, d: number, pad: number): Window => ({ kh: k, kw: k, sh: s, sw: s, dh: d, dw: d, padTop: pad, padLeft: pad });

describe('receptive-field propagation', () => {
  test('k=5, s=2, pad 2: rows [3,7) read [3·2−2, 6·2−2+4+1) = [4, 15)', () => {
    const r = inputRegionFor(win(5, 2, 1, 2), { y0: 3, y1: 7, x0: 0, x1: 1 }, 20, 20);
    expect(r.view).toEqual({ y0: 4, y1: 15, x0: 0, x1: 3 });
    expect(r.padding).toEqual({ top: 0, bottom: 0, left: 2, right: 0 });
  });

  test('dilation 2, k=3, pad 2: the first rows reach 2 rows above the image (zero padding)', () => {
    // rows [0,4): from 0·1−2 = −2 to 3−2+(3−1)·2+1 = 6 → [−2, 6), clipped to [0, 6) with 2 rows of padding.
    const r = inputRegionFor(win(3, 1, 2, 2), { y0: 0, y1: 4, x0: 6, x1: 8 }, 8, 8);
    expect(r.view).toEqual({ y0: 0, y1: 6, x0: 4, x1: 8 });
    expect(r.padding).toEqual({ top: 2, bottom: 0, left: 0, right: 2 });
  });

  test('TFLite SAME stride 2 on an even map pads only bottom/right: the last tile gets the padding row', () => {
    // 224 → 112, k=3, pad top 0 / bottom 1: output rows [84,112) read [168, 111·2+3 = 225) → clipped at 224.
    const r = inputRegionFor(win(3, 2, 1, 0), { y0: 84, y1: 112, x0: 0, x1: 28 }, 224, 224);
    expect(r.view).toEqual({ y0: 168, y1: 224, x0: 0, x1: 57 });
    expect(r.padding.bottom).toBe(1);
    expect(r.padding.top).toBe(0);
  });
});

describe('grid tiles', () => {
  test('non-divisible sizes split at floor(k·H/p)', () => {
    expect(splitPoints(28, 3)).toEqual([0, 9, 18, 28]);
    expect(splitPoints(7, 4)).toEqual([0, 1, 3, 5, 7]);
  });

  test.each([[28, 28, 4], [7, 5, 3], [11, 13, 5], [6, 6, 6]])('%i×%i with p=%i covers every pixel exactly once', (h, w, p) => {
    const seen = new Array(h * w).fill(0);
    for (const { tile } of gridTiles(h, w, p)) {
      for (let y = tile.y0; y < tile.y1; y++) for (let x = tile.x0; x < tile.x1; x++) seen[y * w + x]++;
    }
    expect(seen.every((n) => n === 1)).toBe(true);
    expect(gridTiles(h, w, p)).toHaveLength(p * p);
  });
});
