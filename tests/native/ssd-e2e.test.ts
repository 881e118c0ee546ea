// ST SSD MobileNet v1 (person) end to end on the host reference runtime: SHAPE/STRIDED_SLICE/PACK folded to
// constants (fold-shape-ops.ts), TILE and RESIZE_BILINEAR run by the C kernels, real Pascal VOC images through the
// model's preset (st-uint8-nearest). No golden exists for this model, so the checks are independent plausibility
// checks: the anchors output must equal the model's own constant anchor tensors (TILE with multiples 1 → RESHAPE →
// CONCATENATION → DEQUANTIZE), the softmax pairs must sum to 1, and the decoded best box (ST's SSD decoding:
// corner offsets scaled by the anchor size) must overlap the annotated person; images without people score low.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Graph, loadModel, Operator } from '../../harness/model';
import { NativeModel } from '../../harness/native';
import { loadVoc } from '../../harness/data';
import { inputSpecFromIo, preprocessImage, presetForModel } from '../../harness/data/preprocess';
import { foldShapeOps } from '../../harness/pack/fold-shape-ops';
import { packImage } from '../../harness/pack/pack-image';
import { selectSchedule } from '../../harness/pack/select-schedule';
import { ensureAddon } from '../harness/pack/addon-fixture';
import { REPO_ROOT, SHARED_DATASETS, sharedModel } from '../support/paths';

const MODEL = 'st_ssd_mobilenet_v1_025_192_person_int8';
const ANCHORS = 3830;
const PERSON_IMAGES = ['2007_000027', '2007_000272', '2007_000346'];
const OTHER_IMAGES = ['2007_000033', '2007_000039', '2007_000042'];

type Box = [number, number, number, number];

function iou(a: Box, b: Box): number {
  const ix = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const iy = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = ix * iy;
  return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
}

/** The constant int8 tensor behind each CONCATENATION input of `tensor`: RESHAPE ← TILE ← constant. */
function anchorConstants(graph: Graph, tensor: number): { values: Int8Array; scale: number; zeroPoint: number }[] {
  const producer = (t: number): Operator => graph.operators.find((op) => op.outputs.includes(t))!;
  const concat = producer(tensor);
  expect(concat.type).toBe('CONCATENATION');
  return concat.inputs.map((t) => {
    const reshape = producer(t);
    expect(reshape.type).toBe('RESHAPE');
    const tile = producer(reshape.inputs[0]);
    expect(tile.type).toBe('TILE');
    const c = graph.tensors[tile.inputs[0]];
    expect(c.data).toBeDefined();
    return { values: new Int8Array(c.data!.buffer, c.data!.byteOffset, c.data!.byteLength), scale: c.quantization!.scale[0], zeroPoint: c.quantization!.zeroPoint[0] };
  });
}

describe('ST SSD MobileNet v1 person detector on the host runtime', () => {
  let graph: Graph;
  let model: NativeModel;
  const inputs = new Map<string, Uint8Array>();
  const outputs = new Map<string, { scores: Float32Array; boxes: Float32Array; anchors: Float32Array }>();
  const truth = new Map<string, Box[]>();

  beforeAll(async () => {
    ensureAddon();
    const folded = foldShapeOps(loadModel(sharedModel(MODEL)));
    expect(folded.foldedOperators.length).toBe(15);
    graph = folded.graph;
    model = new NativeModel(packImage(graph, selectSchedule(graph, { schedule: 'layer' })).bytes, MODEL);
    expect(graph.io!.outputs.map((o) => o.name)).toEqual(['StatefulPartitionedCall:2', 'StatefulPartitionedCall:1', 'StatefulPartitionedCall:0']);
    const preset = presetForModel(MODEL);
    const spec = inputSpecFromIo(graph.io!.inputs[0]);
    const wanted = new Set([...PERSON_IMAGES, ...OTHER_IMAGES]);
    for (const sample of loadVoc(`${SHARED_DATASETS}/pascal_voc2012_sample`).samples()) {
      if (!wanted.has(sample.name)) continue;
      const input = await preprocessImage(sample.file, preset, spec);
      inputs.set(sample.name, input);
      const run = model.run(input);
      expect(run.guardsIntact).toBe(true);
      const f = new Float32Array(run.output.buffer.slice(run.output.byteOffset, run.output.byteOffset + run.output.length));
      outputs.set(sample.name, { scores: f.subarray(0, 2 * ANCHORS), boxes: f.subarray(2 * ANCHORS, 6 * ANCHORS), anchors: f.subarray(6 * ANCHORS) });
      // VOC boxes are 1-based inclusive pixels; the preset stretches the whole image, so normalise by its size.
      truth.set(sample.name, (sample.boxes ?? []).filter((b) => b.className === 'person')
        .map((b) => [(b.xmin - 1) / sample.width!, (b.ymin - 1) / sample.height!, b.xmax / sample.width!, b.ymax / sample.height!] as Box));
    }
    expect(outputs.size).toBe(wanted.size);
  }, 300_000);

  it('outputs are finite and every (background, person) softmax pair sums to 1 within one 1/256 step', () => {
    for (const { scores, boxes, anchors } of outputs.values()) {
      expect([scores.length, boxes.length, anchors.length]).toEqual([2 * ANCHORS, 4 * ANCHORS, 4 * ANCHORS]);
      expect([scores, boxes, anchors].every((a) => a.every(Number.isFinite))).toBe(true);
      let worst = 0;
      for (let i = 0; i < ANCHORS; i++) worst = Math.max(worst, Math.abs(scores[2 * i] + scores[2 * i + 1] - 1));
      expect(worst).toBeLessThanOrEqual(1 / 256 + 1e-6);
    }
  });

  it('the anchors output is the model\'s constant anchor tensors, tiled once and concatenated', () => {
    const expected: number[] = [];
    for (const c of anchorConstants(graph, graph.io!.outputs[2].tensor)) {
      for (const q of c.values) expected.push(Math.fround(c.scale * (q - c.zeroPoint)));
    }
    expect(expected.length).toBe(4 * ANCHORS);
    for (const { anchors } of outputs.values()) {
      let worst = 0;
      for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(anchors[i] - expected[i]));
      expect(worst).toBeLessThan(1e-6);
    }
  });

  it('finds the annotated person: best score > 0.8 and its decoded box overlaps a ground-truth person (IoU > 0.5)', () => {
    for (const name of PERSON_IMAGES) {
      const { scores, boxes, anchors } = outputs.get(name)!;
      let best = 0;
      for (let i = 1; i < ANCHORS; i++) if (scores[2 * i + 1] > scores[2 * best + 1]) best = i;
      const a = anchors.subarray(4 * best, 4 * best + 4);
      const d = boxes.subarray(4 * best, 4 * best + 4);
      const w = a[2] - a[0];
      const h = a[3] - a[1];
      const box: Box = [d[0] * w + a[0], d[1] * h + a[1], d[2] * w + a[2], d[3] * h + a[3]];
      expect({ name, score: scores[2 * best + 1] > 0.8 }).toEqual({ name, score: true });
      expect({ name, overlaps: Math.max(...truth.get(name)!.map((t) => iou(box, t))) > 0.5 }).toEqual({ name, overlaps: true });
    }
  });

  it('scores images without people below 0.5', () => {
    for (const name of OTHER_IMAGES) {
      expect(truth.get(name)).toEqual([]);
      const { scores } = outputs.get(name)!;
      let max = 0;
      for (let i = 0; i < ANCHORS; i++) max = Math.max(max, scores[2 * i + 1]);
      expect({ name, below: max < 0.5 }).toEqual({ name, below: true });
    }
  });

  it('`mcubench infer` on the .tflite (which folds the shape ops before packing) gives the same bytes', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcb-ssd-'));
    try {
      const [input, output] = ['in.bin', 'out.bin'].map((f) => path.join(dir, f));
      fs.writeFileSync(input, inputs.get(PERSON_IMAGES[0])!);
      execFileSync('node', [path.join(REPO_ROOT, 'bin', 'mcubench.js'), 'infer', sharedModel(MODEL), input, output],
        { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      const out = fs.readFileSync(output);
      const { scores, boxes, anchors } = outputs.get(PERSON_IMAGES[0])!;
      const expected = Buffer.concat([scores, boxes, anchors].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)));
      expect(out.length).toBe(40 * ANCHORS);
      expect(out.equals(expected)).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
