// Bit-exactness against TFLM on real models: every operator of person_detect and mcunet-in3 is fed its
// TFLM-dumped input (shared/golden/<model>/layers_*/), its parameters are computed by
// harness/pack/quant-params.ts from the imported graph, the C kernels run it (also tile by tile from
// halo'd windows, and in place where supported), and the output must equal TFLM's dump byte for byte.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Graph, loadModel, Operator, Tensor } from '../../harness/model';
import {
  addQuantParams, convQuantParams, poolQuantParams, softmaxQuantParams,
} from '../../harness/pack/quant-params';
import { REPO_ROOT, SHARED_GOLDEN, sharedModel } from '../support/paths';

const OP = { CONV_2D: 1, DEPTHWISE_CONV_2D: 2, AVERAGE_POOL_2D: 3, MAX_POOL_2D: 4, ADD: 5, SOFTMAX: 7, PAD: 8 } as const;

interface Case { op: Operator; code: number; params: number[]; blobs: Uint8Array[]; expected: Uint8Array; }

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

const int32Bytes = (values: number[]): Uint8Array => new Uint8Array(Int32Array.from(values).buffer);
const shapeParams = (shape: number[]): number[] => [shape.length, ...[0, 1, 2, 3, 4, 5].map((i) => shape[i] ?? 1)];

function buildCase(g: Graph, op: Operator, dumps: Map<number, string>): Case | undefined {
  const t = (i: number): Tensor => g.tensors[i] as Tensor;
  const read = (i: number): Uint8Array => new Uint8Array(fs.readFileSync(dumps.get(i) as string));
  const [inIdx = -1, secondIdx = -1, biasIdx = -1] = op.inputs;
  const outIdx = op.outputs[0] as number;
  if (!dumps.has(inIdx) || !dumps.has(outIdx)) return undefined;
  const input = t(inIdx);
  const output = t(outIdx);
  const expected = read(outIdx);
  const o = op.options;
  if ((op.type === 'CONV_2D' && o.kind === 'conv') || (op.type === 'DEPTHWISE_CONV_2D' && o.kind === 'depthwise')) {
    const filter = t(secondIdx);
    const isConv = o.kind === 'conv';
    const q = convQuantParams(isConv ? 'conv' : 'depthwise', input, filter, output, o.activation);
    const [, ih = 0, iw = 0, ic = 0] = input.shape;
    const [, oh = 0, ow = 0, oc = 0] = output.shape;
    const [fo = 0, fh = 0, fw = 0, fi = 0] = filter.shape;
    const bias = biasIdx >= 0 ? t(biasIdx).data : undefined;
    const params = [ih, iw, ic, oh, ow, oc, fh, fw, isConv ? fi : fo, o.strideH, o.strideW, o.dilationH, o.dilationW,
      o.padding.top, o.padding.left, isConv ? 1 : o.depthMultiplier, q.input_offset, q.output_offset, q.act_min, q.act_max,
      q.multiplier.length, bias ? 1 : 0];
    const blobs = [read(inIdx), filter.data as Uint8Array, bias ?? new Uint8Array(0), int32Bytes(q.multiplier), int32Bytes(q.shift)];
    return { op, code: OP[op.type], params, blobs, expected };
  }
  if ((op.type === 'AVERAGE_POOL_2D' || op.type === 'MAX_POOL_2D') && o.kind === 'pool') {
    const r = poolQuantParams(input, output, o.activation);
    const [, ih = 0, iw = 0, c = 0] = input.shape;
    const [, oh = 0, ow = 0] = output.shape;
    const params = [ih, iw, c, oh, ow, o.strideH, o.strideW, o.filterH, o.filterW, o.padding.top, o.padding.left, r.act_min, r.act_max];
    return { op, code: OP[op.type], params, blobs: [read(inIdx)], expected };
  }
  if (op.type === 'ADD' && o.kind === 'elementwise' && dumps.has(secondIdx)) {
    const p = addQuantParams(input, t(secondIdx), output, o.activation);
    const params = [p.left_shift, p.input1_offset, p.input1_multiplier, p.input1_shift, p.input2_offset, p.input2_multiplier,
      p.input2_shift, p.output_offset, p.output_multiplier, p.output_shift, p.act_min, p.act_max, 0,
      ...shapeParams(input.shape), ...shapeParams(t(secondIdx).shape), ...shapeParams(output.shape)];
    return { op, code: OP.ADD, params, blobs: [read(inIdx), read(secondIdx)], expected };
  }
  if (op.type === 'SOFTMAX' && o.kind === 'softmax') {
    const p = softmaxQuantParams(input, output, o.beta);
    const depth = input.shape[input.shape.length - 1] ?? 1;
    const outer = input.shape.reduce((a, b) => a * b, 1) / depth;
    return { op, code: OP.SOFTMAX, params: [outer, depth, p.input_multiplier, p.input_left_shift, p.diff_min], blobs: [read(inIdx)], expected };
  }
  if (op.type === 'PAD') {
    const pads = Array.from(new Int32Array((t(secondIdx).data as Uint8Array).slice().buffer));
    const rank = input.shape.length;
    const before = [0, 1, 2, 3, 4, 5].map((d) => (d < rank ? pads[2 * d] ?? 0 : 0));
    const after = [0, 1, 2, 3, 4, 5].map((d) => (d < rank ? pads[2 * d + 1] ?? 0 : 0));
    const padValue = output.quantization?.zeroPoint[0] ?? 0; // TFLM: output zero point when no constant given
    return { op, code: OP.PAD, params: [...shapeParams(input.shape), ...before, ...after, padValue, expected.length], blobs: [read(inIdx)], expected };
  }
  return undefined;
}

function encode(cases: Case[]): Buffer {
  const parts: Buffer[] = [];
  for (const c of cases) {
    parts.push(Buffer.from(int32Bytes([c.code, c.params.length, ...c.params, c.blobs.length])));
    for (const b of c.blobs) {
      parts.push(Buffer.from(int32Bytes([b.length])), Buffer.from(b), Buffer.alloc((4 - (b.length % 4)) % 4));
    }
  }
  return Buffer.concat(parts);
}

interface Result { status: number; tiled: number; inPlace: number; bytes: Uint8Array; }

function decode(buf: Buffer): Result[] {
  const results: Result[] = [];
  for (let off = 0; off < buf.length;) {
    const [status, tiled, inPlace, n] = [0, 1, 2, 3].map((i) => buf.readInt32LE(off + 4 * i)) as [number, number, number, number];
    results.push({ status, tiled, inPlace, bytes: new Uint8Array(buf.subarray(off + 16, off + 16 + n)) });
    off += 16 + n;
  }
  return results;
}

let workDir = '';
let runner = '';

beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcb-golden-'));
  runner = path.join(workDir, 'golden_runner');
  const kernels = path.join(REPO_ROOT, 'native', 'runtime', 'kernels');
  const sources = fs.readdirSync(kernels).filter((f) => f.endsWith('.c')).map((f) => path.join(kernels, f));
  execFileSync('gcc', ['-std=c99', '-O2', '-Wall', '-Wextra', '-Werror', `-I${path.join(REPO_ROOT, 'native', 'runtime', 'include')}`,
    `-I${kernels}`, path.join(REPO_ROOT, 'tests', 'native', 'kernels', 'golden_runner.c'), ...sources, '-lm', '-o', runner]);
});

afterAll(() => {
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

describe.each([
  ['person_detect', 'layers_no_person', ['DEPTHWISE_CONV_2D', 'CONV_2D', 'AVERAGE_POOL_2D', 'SOFTMAX']],
  ['mcunet-in3_320kb-1mb_imagenet', 'layers_in_n01440764_tench', ['PAD', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'ADD', 'AVERAGE_POOL_2D']],
])('%s: every layer equals the TFLM dump', (model, layersDir, expectedOps) => {
  it('bit-exact whole, tiled and in place', () => {
    const graph = loadModel(sharedModel(model), { normalise: false });
    const dumps = readDumpIndex(path.join(SHARED_GOLDEN, model, layersDir));
    const cases = graph.operators.map((op) => buildCase(graph, op, dumps)).filter((c): c is Case => c !== undefined);
    const skipped = graph.operators.filter((op) => !cases.some((c) => c.op === op)).map((op) => op.type);
    expect([...new Set(skipped)]).toEqual(['RESHAPE']); // everything but the no-op RESHAPE is checked
    expect([...new Set(cases.map((c) => c.op.type))].sort()).toEqual([...expectedOps].sort());

    const casesFile = path.join(workDir, `${model}.cases`);
    const outFile = path.join(workDir, `${model}.out`);
    fs.writeFileSync(casesFile, encode(cases));
    execFileSync(runner, [casesFile, outFile]);
    const results = decode(fs.readFileSync(outFile));
    expect(results).toHaveLength(cases.length);

    const problems: string[] = [];
    cases.forEach((c, i) => {
      const r = results[i] as Result;
      const where = `op ${c.op.index} ${c.op.type}`;
      if (r.status !== 0) problems.push(`${where}: status ${r.status}`);
      else if (Buffer.compare(Buffer.from(r.bytes), Buffer.from(c.expected)) !== 0) {
        const at = r.bytes.findIndex((v, k) => v !== c.expected[k]);
        problems.push(`${where}: byte ${at} is ${r.bytes[at]}, TFLM has ${c.expected[at]}`);
      }
      if (r.tiled === 1) problems.push(`${where}: tiled result differs from whole-tensor result`);
      if (r.inPlace === 1) problems.push(`${where}: in-place result differs`);
    });
    expect(problems).toEqual([]);
    // The windowed and in-place paths were actually exercised on real layers.
    expect(results.filter((r) => r.tiled === 0).length).toBeGreaterThan(10);
    expect(results.filter((r) => r.inPlace === 0).length).toBeGreaterThan(5);
  });
});
