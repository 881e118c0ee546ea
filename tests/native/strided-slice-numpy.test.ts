// STRIDED_SLICE against NumPy basic indexing (an independent oracle: tests/native/kernels/strided_slice_cases.json,
// written by gen_strided_slice_cases.py). Each case goes through the host expansion (layout-params.ts, ellipsis and
// new axes as TFLite's BuildStridedSliceParams), then through both the TS evaluator the constant folder uses and
// the C kernel mcb_strided_slice_s32 (gcc, ASan + UBSan); all three must agree on shape and values.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { StridedSliceOptions } from '../../harness/model/graph';
import { evalStridedSlice } from '../../harness/pack/fold-shape-ops';
import { expandStridedSlice } from '../../harness/pack/layout-params';
import { gcc, KERNEL_TEST_FLAGS, portableKernelSources } from '../support/c-build';
import { REPO_ROOT } from '../support/paths';

interface NumpyCase {
  shape: number[]; begin: number[]; end: number[]; strides: number[];
  beginMask: number; endMask: number; ellipsisMask: number; newAxisMask: number; shrinkAxisMask: number;
  numpy: string; expectedShape: number[]; expected: number[];
}

const TESTS = path.join(REPO_ROOT, 'tests', 'native', 'kernels');
const CASES: NumpyCase[] = JSON.parse(fs.readFileSync(path.join(TESTS, 'strided_slice_cases.json'), 'utf8'));

const options = (c: NumpyCase): StridedSliceOptions => ({
  kind: 'stridedSlice', beginMask: c.beginMask, endMask: c.endMask, ellipsisMask: c.ellipsisMask,
  newAxisMask: c.newAxisMask, shrinkAxisMask: c.shrinkAxisMask, offset: false,
});
const iota = (c: NumpyCase): number[] => Array.from({ length: c.shape.reduce((a, b) => a * b, 1) }, (_, i) => i);

describe('STRIDED_SLICE vs NumPy indexing', () => {
  it('the fixture covers every mask and negative strides', () => {
    expect(CASES.length).toBe(160);
    for (const key of ['beginMask', 'endMask', 'ellipsisMask', 'newAxisMask', 'shrinkAxisMask'] as const) {
      expect(CASES.filter((c) => c[key] !== 0).length).toBeGreaterThan(10);
    }
    expect(CASES.filter((c) => c.strides.some((s) => s < 0)).length).toBeGreaterThan(10);
  });

  it('TS expansion + evaluator (fold-shape-ops) match NumPy on all cases', () => {
    for (const c of CASES) {
      const r = evalStridedSlice(iota(c), c.shape, c.begin, c.end, c.strides, options(c));
      expect({ numpy: c.numpy, shape: r.shape, values: r.values }).toEqual({ numpy: c.numpy, shape: c.expectedShape, values: c.expected });
    }
  });

  it('the C kernel on the host-expanded params matches NumPy on all cases', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcb-slice-'));
    try {
      const exe = path.join(dir, 'driver');
      gcc([...KERNEL_TEST_FLAGS, '-O0', path.join(TESTS, 'strided_slice_driver.c'), ...portableKernelSources(), '-lm', '-o', exe]);
      const lines = CASES.map((c) => {
        const r = expandStridedSlice(c.shape, c.begin, c.end, c.strides, options(c));
        const p = r.params;
        return [p.rank, ...r.effectiveInputShape, ...p.start, ...p.stop, ...p.stride, p.begin_mask, p.end_mask,
          p.shrink_axis_mask, p.offset, c.expected.length].join(' ');
      });
      const out = execFileSync(exe, [], { input: `${lines.join('\n')}\n`, encoding: 'utf8' }).trim().split('\n');
      expect(out.length).toBe(CASES.length);
      out.forEach((line, i) => {
        expect({ numpy: CASES[i].numpy, result: line }).toEqual({ numpy: CASES[i].numpy, result: ['0', ...CASES[i].expected].join(' ') });
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
