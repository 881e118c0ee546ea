// Bit-exactness against TFLM layer by layer: every operator of person_detect and mcunet-in3 is fed its
// TFLM-dumped input (shared/golden/<model>/layers_*/), its parameters come from harness/pack/quant-params.ts,
// and the C kernels must reproduce TFLM's dumped output byte for byte — whole, tile by tile from halo'd
// windows (3x3 grid), and in place where the kernel supports it.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadModel } from '../../harness/model';
import { SHARED_GOLDEN, sharedModel } from '../support/paths';
import { buildCase, buildRunner, GoldenCase, GoldenResult } from './golden-cases';

/** index.txt: "file tensor producer bytes desc name" → tensor index → dump path. */
function readDumpIndex(dir: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const line of fs.readFileSync(path.join(dir, 'index.txt'), 'utf8').split('\n')) {
    const [file, tensor] = line.trim().split(/\s+/);
    if (!file || file.startsWith('#') || tensor === undefined) continue;
    map.set(Number(tensor), path.join(dir, file));
  }
  return map;
}

let workDir = '';
let run: ReturnType<typeof buildRunner>;

beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcb-golden-'));
  run = buildRunner(workDir);
});

afterAll(() => {
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

describe.each([
  ['person_detect', 'layers_no_person', ['AVERAGE_POOL_2D', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'SOFTMAX']],
  ['mcunet-in3_320kb-1mb_imagenet', 'layers_in_n01440764_tench', ['ADD', 'AVERAGE_POOL_2D', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'PAD']],
])('%s: every layer equals the TFLM dump', (model, layersDir, expectedOps) => {
  it('bit-exact whole, tiled and in place', () => {
    const graph = loadModel(sharedModel(model), { normalise: false });
    const dumps = readDumpIndex(path.join(SHARED_GOLDEN, model, layersDir));
    const dumpOf = (i: number): Uint8Array | undefined => {
      const file = dumps.get(i);
      return file === undefined ? graph.tensors[i]?.data : new Uint8Array(fs.readFileSync(file));
    };
    const cases = graph.operators.map((op) => buildCase(graph, op, dumpOf)).filter((c): c is GoldenCase => c !== undefined);
    const skipped = graph.operators.filter((op) => !cases.some((c) => c.op === op)).map((op) => op.type);
    expect([...new Set(skipped)]).toEqual(['RESHAPE']); // everything but the no-op RESHAPE is checked
    expect([...new Set(cases.map((c) => c.op.type))].sort()).toEqual(expectedOps);

    const results = run(cases, model);
    expect(results).toHaveLength(cases.length);
    const problems: string[] = [];
    cases.forEach((c, i) => {
      const r = results[i] as GoldenResult;
      const expected = dumpOf(c.op.outputs[0] as number) as Uint8Array;
      const where = `op ${c.op.index} ${c.op.type}`;
      if (r.status !== 0) problems.push(`${where}: status ${r.status}`);
      else if (Buffer.compare(Buffer.from(r.bytes), Buffer.from(expected)) !== 0) {
        const at = r.bytes.findIndex((v, k) => v !== expected[k]);
        problems.push(`${where}: byte ${at} is ${r.bytes[at]}, TFLM has ${expected[at]} (lengths ${r.bytes.length}/${expected.length})`);
      }
      if (r.tiled === 1) problems.push(`${where}: tiled result differs from whole-tensor result`);
      if (r.inPlace === 1) problems.push(`${where}: in-place result differs`);
    });
    expect(problems).toEqual([]);
    // The windowed and in-place paths were exercised on real layers, not just the whole-tensor path.
    expect(results.filter((r) => r.tiled === 0).length).toBeGreaterThan(10);
    expect(results.filter((r) => r.inPlace === 0).length).toBeGreaterThan(5);
  });
});
