// Bit-exactness against TFLM end to end: each golden model is run operator by operator through the C
// kernels (parameters from harness/pack/quant-params.ts, RESHAPE as a byte copy), starting from the golden
// input vector, and the model outputs must equal TFLM's golden outputs byte for byte. This covers the ops
// without per-layer dumps: FULLY_CONNECTED, MEAN, MUL, QUANTIZE, DEQUANTIZE, TRANSPOSE, LEAKY_RELU,
// CONCATENATION, RESIZE_NEAREST_NEIGHBOR, MAX_POOL_2D.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Graph, loadModel } from '../../harness/model';
import { SHARED_GOLDEN, sharedModel } from '../support/paths';
import { buildCase, buildRunner } from './golden-cases';

let workDir = '';
let run: ReturnType<typeof buildRunner>;

beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcb-chain-'));
  run = buildRunner(workDir);
});

afterAll(() => {
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

/** Runs the graph op by op; returns the concatenated output tensors. */
function runGraph(graph: Graph, input: Uint8Array, tag: string): Uint8Array {
  const values = new Map<number, Uint8Array>([[graph.inputs[0] as number, input]]);
  const bytesOf = (i: number): Uint8Array | undefined => values.get(i) ?? graph.tensors[i]?.data;
  for (const op of graph.operators) {
    const out = op.outputs[0] as number;
    if (op.type === 'RESHAPE') {
      values.set(out, bytesOf(op.inputs[0] as number) as Uint8Array);
      continue;
    }
    const c = buildCase(graph, op, bytesOf);
    if (c === undefined) throw new Error(`${tag}: op ${op.index} ${op.type} cannot be run by the kernels`);
    const [r] = run([c], tag, true);
    if (r === undefined || r.status !== 0) throw new Error(`${tag}: op ${op.index} ${op.type} returned status ${r?.status}`);
    values.set(out, r.bytes);
  }
  return Buffer.concat(graph.outputs.map((o) => Buffer.from(values.get(o) as Uint8Array)));
}

const MODELS: Array<[string, string, string[]]> = [
  ['mlperf_tiny_ad01_int8', 'random1', ['FULLY_CONNECTED']],
  ['mlperf_tiny_kws_ref_model', 'random1', ['FULLY_CONNECTED', 'SOFTMAX']],
  ['mlperf_tiny_ic_pretrainedResnet_quant', 'cifar_airplane_0000', ['ADD', 'FULLY_CONNECTED']],
  ['mlperf_tiny_vww_96_int8', 'random1', ['FULLY_CONNECTED']],
  ['st_yolo_lc_v1_192_person_int8', 'random1', ['QUANTIZE', 'MAX_POOL_2D', 'DEQUANTIZE']],
  ['tinyengine_vww', 'voc_2007_000121', ['QUANTIZE', 'MEAN', 'TRANSPOSE', 'DEQUANTIZE']],
  ['tinyengine_person_detection', 'voc_2007_000243', ['RESIZE_NEAREST_NEIGHBOR', 'MAX_POOL_2D']],
  ['yolo-fastest-1.1-int8', 'voc_2007_000256', ['LEAKY_RELU', 'CONCATENATION', 'RESIZE_NEAREST_NEIGHBOR']],
  ['tinyengine_mcunetv2_large', 'random1', ['MUL', 'MEAN']],
  ['tf2_mobilenet_v2_1.0_224_ptq', 'in_n01518878_ostrich', ['QUANTIZE', 'MEAN']],
  ['mobilenet_v2_quantized_1x3x224x224', 'random1', ['TRANSPOSE', 'MEAN']],
];

describe.each(MODELS)('%s', (model, vector, mustUse) => {
  it(`runs ${vector} end to end and matches TFLM's output bytes`, () => {
    const graph = loadModel(sharedModel(model), { normalise: false });
    const types = new Set(graph.operators.map((op) => op.type));
    for (const t of mustUse) expect(types).toContain(t);
    const dir = path.join(SHARED_GOLDEN, model);
    const input = new Uint8Array(fs.readFileSync(path.join(dir, `${vector}.bin`)));
    const expected = new Uint8Array(fs.readFileSync(path.join(dir, `${vector}.out`)));
    const actual = runGraph(graph, input, model);
    expect(actual.length).toBe(expected.length);
    const at = actual.findIndex((v, k) => v !== expected[k]);
    expect(at === -1 ? 'identical' : `first difference at byte ${at}: ${actual[at]} vs TFLM ${expected[at]}`).toBe('identical');
  });
});
