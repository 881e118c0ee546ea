// Legacy uint8 models (TF1 QAT, per-tensor weights with zero points) that TFLM no longer runs, so there is no
// golden output: the check is the model doing its job. The ImageNet validation crops of the mcunet golden
// set, resampled to 128x128 and re-quantized to this model's uint8 input, must mostly land in the top 5
// under their true ImageNet label; and the patch schedule must reproduce the layer schedule byte for byte.
import * as fs from 'fs';
import * as path from 'path';
import { loadModel } from '../../harness/model';
import { NativeModel } from '../../harness/native';
import { packImage } from '../../harness/pack';
import { planLayers, planPatches } from '../../harness/plan';
import { SHARED_GOLDEN, SHARED_MODELS, sharedModel } from '../support/paths';
import { ensureAddon } from './pack/addon-fixture';

beforeAll(ensureAddon, 300000);

const graph = loadModel(sharedModel('mobilenet_v1_0.25_128_quant'));
const labels = fs.readFileSync(path.join(SHARED_MODELS, 'labels', 'imagenet_labels_1001_coral.txt'), 'utf8').split('\n');
const mcunetDir = path.join(SHARED_GOLDEN, 'mcunet-in3_320kb-1mb_imagenet');
const crops = fs.readdirSync(mcunetDir).filter((n) => /^in_n\d+_.*\.bin$/.test(n)).sort();

/** mcunet input (int8 176x176x3, real = q / 127) → this model's input (uint8 128x128x3, real = (u - 128) / 128). */
function toMobilenetInput(file: string): Buffer {
  const src = fs.readFileSync(path.join(mcunetDir, file));
  const dst = Buffer.alloc(128 * 128 * 3);
  for (let y = 0; y < 128; y++) {
    for (let x = 0; x < 128; x++) {
      const from = (Math.floor((y * 176) / 128) * 176 + Math.floor((x * 176) / 128)) * 3;
      for (let c = 0; c < 3; c++) {
        const q = (src[from + c] << 24) >> 24;
        dst[(y * 128 + x) * 3 + c] = Math.max(0, Math.min(255, Math.round((q / 127) * 128) + 128));
      }
    }
  }
  return dst;
}

/** Label line of the vector's class: "in_n01440764_tench.bin" → the line starting "tench,". */
function labelIndex(file: string): number {
  const name = file.replace(/^in_n\d+_/, '').replace(/\.bin$/, '').replace(/_/g, ' ').toLowerCase();
  return labels.findIndex((l) => l.split(',')[0].trim().toLowerCase() === name);
}

test('the golden set covers eight labelled ImageNet crops', () => {
  expect(crops.length).toBe(8);
  crops.forEach((f) => expect(labelIndex(f)).toBeGreaterThan(0));
});

test('mobilenet_v1_0.25_128_quant (uint8): true label in the top 5 for most ImageNet crops', async () => {
  const model = new NativeModel(packImage(graph, { kind: 'layer', plan: planLayers(graph) }).bytes, 'mobilenet_v1_0.25_128_quant');
  expect(model.info.inputBytes).toBe(128 * 128 * 3);
  expect(model.info.outputBytes).toBe(1001);
  const results = await model.runBatch(crops.map(toMobilenetInput), 2);
  const hits = results.filter((r, i) => {
    const top5 = [...r.output.keys()].sort((a, b) => r.output[b] - r.output[a]).slice(0, 5);
    return top5.includes(labelIndex(crops[i]));
  }).length;
  // Published top-5 accuracy of this model is about 66 %; random or broken arithmetic gives ~0 of 8.
  expect(hits).toBeGreaterThanOrEqual(6);
  // The softmax output is a distribution in units of 1/256 (each byte rounds, so the sum lands near 256).
  for (const r of results) expect(Math.abs(r.output.reduce((s, b) => s + b, 0) - 256)).toBeLessThan(40);
});

test('uint8 patch schedule (split 8, 3x3) equals the layer schedule and stays inside its planned arena', () => {
  const input = toMobilenetInput(crops[0]);
  const layer = new NativeModel(packImage(graph, { kind: 'layer', plan: planLayers(graph) }).bytes).run(input);
  const plan = planPatches(graph, 8, 3);
  const patched = new NativeModel(packImage(graph, { kind: 'patch', plan }).bytes).run(input, { exactHighWater: true });
  expect(patched.output.equals(layer.output)).toBe(true);
  expect(patched.arenaHighWater).toBe(plan.arenaBytes);
  expect(patched.guardsIntact).toBe(true);
});
