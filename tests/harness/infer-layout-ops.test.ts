// ST's SSD MobileNet person detector needs SHAPE, STRIDED_SLICE, PACK, TILE and RESIZE_BILINEAR, which TFLM
// cannot run, so there is no golden output. The checks: the detector does its job on real photos (Pascal VOC
// images annotated with a person score clearly higher for "person" than images without one), and running the
// shape arithmetic in C gives the same bytes as folding it to constants on the host (fold-shape-ops.ts).
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { loadModel } from '../../harness/model';
import { NativeModel } from '../../harness/native';
import { packImage } from '../../harness/pack';
import { foldShapeOps } from '../../harness/pack/fold-shape-ops';
import { planLayers } from '../../harness/plan';
import { SHARED_DATASETS, sharedModel } from '../support/paths';
import { ensureAddon } from './pack/addon-fixture';

beforeAll(ensureAddon, 300000);

const voc = path.join(SHARED_DATASETS, 'pascal_voc2012_sample');
const ids = fs.readdirSync(path.join(voc, 'Annotations')).map((f) => f.replace(/\.xml$/, '')).sort();
const hasPerson = (id: string) => /<name>\s*person\s*<\/name>/.test(fs.readFileSync(path.join(voc, 'Annotations', `${id}.xml`), 'utf8'));
const graph = loadModel(sharedModel('st_ssd_mobilenet_v1_025_192_person_int8'));

/** Raw RGB, plain resize to 192x192: the model's uint8 input (scale 1/127.5, zero point 127) is the pixel value. */
async function modelInput(id: string): Promise<Buffer> {
  return sharp(path.join(voc, 'JPEGImages', `${id}.jpg`)).resize(192, 192, { fit: 'fill' }).removeAlpha().raw().toBuffer();
}

/** Highest person probability over the 3830 anchors (scores output: [1,3830,2] float32, [background, person]). */
function maxPersonScore(output: Buffer): number {
  let best = 0;
  for (let a = 0; a < 3830; a++) best = Math.max(best, output.readFloatLE((2 * a + 1) * 4));
  return best;
}

test('st_ssd_mobilenet_v1_025_192_person_int8 (shape ops folded) separates VOC images with and without people', async () => {
  const folded = foldShapeOps(graph).graph;
  for (const op of ['TILE', 'RESIZE_BILINEAR']) expect(folded.operators.some((o) => o.type === op)).toBe(true);
  const model = new NativeModel(packImage(folded, { kind: 'layer', plan: planLayers(folded) }).bytes, 'st_ssd');
  expect(model.info.outputBytes).toBe(3830 * (2 + 4 + 4) * 4);
  const withPeople = ids.filter(hasPerson).slice(0, 12);
  const without = ids.filter((id) => !hasPerson(id)).slice(0, 12);
  const results = await model.runBatch(await Promise.all([...withPeople, ...without].map(modelInput)), 2);
  const scores = results.map((r) => maxPersonScore(r.output));
  const person = scores.slice(0, withPeople.length);
  const empty = scores.slice(withPeople.length);
  // Rank statistic (AUC): how often a person image outscores a person-free one. Chance is 0.5.
  let wins = 0;
  for (const p of person) for (const e of empty) wins += p > e ? 1 : p === e ? 0.5 : 0;
  expect(wins / (person.length * empty.length)).toBeGreaterThan(0.8);
  for (const s of scores) expect(s).toBeGreaterThanOrEqual(0);
  for (const s of scores) expect(s).toBeLessThanOrEqual(1);
});

test('SHAPE, STRIDED_SLICE and PACK run in C give the bytes the host fold gives', async () => {
  for (const op of ['SHAPE', 'STRIDED_SLICE', 'PACK']) expect(graph.operators.some((o) => o.type === op)).toBe(true);
  const folded = foldShapeOps(graph).graph;
  const input = await modelInput(ids.find(hasPerson)!);
  // Packing fails with a clear message while the planner puts int32 tensors at unaligned offsets.
  const unfolded = new NativeModel(packImage(graph, { kind: 'layer', plan: planLayers(graph) }).bytes, 'st_ssd unfolded').run(input);
  const reference = new NativeModel(packImage(folded, { kind: 'layer', plan: planLayers(folded) }).bytes, 'st_ssd folded').run(input);
  expect(unfolded.output.equals(reference.output)).toBe(true);
  expect(unfolded.guardsIntact).toBe(true);
});
