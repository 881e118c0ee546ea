// `mcubench eval` pipeline on the host addon with real models and the shared samples. Expectations are derived
// independently: from TFLM golden outputs (bit-exact images → outputs → argmax), from the TFLite host accuracy
// recorded in shared/research/data-inventory.md §3, or by hand (detection subset, see the yolo test).
import * as fs from 'fs';
import * as path from 'path';
import { loadModel } from '../../harness/model';
import { planLayers, planPatches, searchPatchPlans } from '../../harness/plan';
import { writeHtmlReport } from '../../harness/report/html-writer';
import { readJournal } from '../../harness/run/journal';
import type { EvalRecord } from '../../harness/run/results-builder';
import { ensureAddon } from './pack/addon-fixture';
import { SHARED_DATASETS } from '../support/paths';
import { argmaxInt8, csvSubset, evalOnHost, goldenOutput, removeTmpDirs, sha256, top5Int8, vocSubset } from './eval-fixtures';

beforeAll(ensureAddon, 300000);
afterAll(removeTmpDirs);

const IMAGENET = path.join(SHARED_DATASETS, 'imagenet_sample');
const MCUNET = 'mcunet-in3_320kb-1mb_imagenet';

function imagenetLabel(file: string): number {
  const row = fs.readFileSync(path.join(IMAGENET, 'labels.csv'), 'utf8').split('\n').find((l) => l.startsWith(`${file},`));
  return Number(row!.split(',')[1]);
}

describe('host evaluation on the shared samples', () => {
  // The golden-vector images pin outputs and accuracy exactly; the whole sample below checks the preset's accuracy.
  it('mcunet-in3 on the 8 ImageNet golden images: outputs bit-exact with TFLM, accuracy from the golden outputs', async () => {
    const vectors = fs.readdirSync(path.join(SHARED_DATASETS, '..', 'golden', MCUNET)).filter((f) => /^in_n\d+.*\.out$/.test(f)).map((f) => f.slice(0, -4));
    expect(vectors).toHaveLength(8);
    const files = vectors.map((v) => `${v.slice(3)}.JPEG`);
    const dir = csvSubset(files.map((f) => ({ source: path.join(IMAGENET, 'images', f), label: imagenetLabel(f) })));
    const { results } = await evalOnHost(MCUNET, dir);
    expect(results.count).toBe(8);
    const golden = vectors.map((v) => goldenOutput(MCUNET, v));
    expect(results.samples.map((s) => s.outputSha256)).toEqual(golden.map(sha256));
    expect(results.samples.map((s) => s.predicted)).toEqual(golden.map(argmaxInt8));
    const labels = files.map(imagenetLabel);
    const top1 = golden.filter((g, i) => argmaxInt8(g) === labels[i]).length / 8;
    const top5 = golden.filter((g, i) => top5Int8(g).includes(labels[i])).length / 8;
    expect(results.accuracy).toEqual({ top1, top5 });
  });

  it('mcunet-in3 on the whole 334-image ImageNet sample: top-1 within a point of TFLite\'s 72.8 % (data-inventory.md)', async () => {
    const { results } = await evalOnHost(MCUNET, IMAGENET);
    expect(results.count).toBe(334);
    expect(results.skipped).toEqual([]);
    const correct = results.samples.filter((s) => s.predicted === s.label).length;
    expect(Math.abs(correct - 243)).toBeLessThanOrEqual(3); // 72.8 % of 334 = 243.2, ± one point (3.34 images)
  });

  it('mlperf_tiny_ic ResNet-8 on the 500-image CIFAR-10 sample: top-1 within a point of TFLite\'s 74.8 %', async () => {
    const { results } = await evalOnHost('mlperf_tiny_ic_pretrainedResnet_quant', path.join(SHARED_DATASETS, 'cifar10_test_sample'));
    expect(results.count).toBe(500);
    expect(results.skipped).toEqual([]);
    const correct = results.samples.filter((s) => s.predicted === s.label).length;
    expect(Math.abs(correct - 374)).toBeLessThanOrEqual(5); // 74.8 % of 500, ± one point
    // The golden CIFAR vectors are test/<class>/0000.jpg: same bytes out as TFLM.
    for (const cls of ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog']) {
      const s = results.samples.find((x) => x.name === `test/${cls}/0000`)!;
      expect(s.outputSha256).toBe(sha256(goldenOutput('mlperf_tiny_ic_pretrainedResnet_quant', `cifar_${cls}_0000`)));
    }
  });

  it('tinyengine_vww (float32 in and out) on its VOC golden images: outputs equal TFLM, person-presence scored', async () => {
    const ids = ['2007_000121', '2007_000123', '2007_000175', '2007_000187'];
    const { results } = await evalOnHost('tinyengine_vww', vocSubset(ids));
    const golden = ids.map((id) => goldenOutput('tinyengine_vww', `voc_${id}`));
    expect(results.samples.map((s) => s.outputSha256)).toEqual(golden.map(sha256));
    const argmaxF32 = (b: Buffer): number => (b.readFloatLE(4) > b.readFloatLE(0) ? 1 : 0);
    expect(results.samples.map((s) => s.predicted)).toEqual(golden.map(argmaxF32));
    // Hand-checked annotations: tv monitors, a train, a sheep, a tv monitor; no person anywhere.
    expect(results.samples.map((s) => s.label)).toEqual([0, 0, 0, 0]);
  });

  it('person_detect on the TFLM person / no_person BMPs (int8 pixels): TFLM outputs, person detected only in person.bmp', async () => {
    const vww = path.join(SHARED_DATASETS, 'vww_person_detection_testdata');
    const dir = csvSubset([{ source: path.join(vww, 'person.bmp'), label: 1 }, { source: path.join(vww, 'no_person.bmp'), label: 0 }]);
    const { results } = await evalOnHost('person_detect', dir, { decodeOptions: { int8Pixels: true } });
    expect(results.samples.map((s) => s.outputSha256)).toEqual([sha256(goldenOutput('person_detect', 'person')), sha256(goldenOutput('person_detect', 'no_person'))]);
    // Output is [notperson, person]; TFLM's own test expects person > notperson on person.bmp and the reverse.
    expect(results.samples.map((s) => s.predicted)).toEqual([1, 0]);
    expect(results.accuracy!.top1).toBe(1);

    // The plan travels with the results, so the HTML report draws this model's memory bars for both schedules:
    // the layer plan that ran, next to the patch plan the search picks (the paper's Figure 1 for person_detect).
    const graph = loadModel(path.join(SHARED_DATASETS, '..', 'models', 'person_detect.tflite'));
    const layer = planLayers(graph);
    const { chosen } = searchPatchPlans(graph, 0.2, layer.peakBytes);
    const patch = planPatches(graph, chosen.split, chosen.patches);
    expect(results.plan!.layerBased.peakBytes).toBe(layer.peakBytes);
    expect(results.plan!.layerBased.ops.map((o) => o.liveBytes)).toEqual(layer.ops.map((o) => o.liveBytes));
    expect(results.plan!.patchBased).toMatchObject({ split: chosen.split, patches: chosen.patches, peakBytes: patch.peakBytes });
    expect(results.plan!.patchBased!.peakBytes).toBeLessThan(layer.peakBytes);
    const html = writeHtmlReport(results);
    for (const schedule of ['layer', 'patch']) {
      const chart = new RegExp(`<svg class="chart memory-chart" data-schedule="${schedule}" data-bars="(\\d+)" data-peak-bytes="(\\d+)"`).exec(html);
      expect(chart && Number(chart[1])).toBe(graph.operators.length);
      expect(chart && Number(chart[2])).toBe(schedule === 'layer' ? layer.peakBytes : patch.peakBytes);
    }
  });

  it('person_detect on VOC golden images: person-presence labels from the boxes, outputs equal TFLM', async () => {
    const ids = ['2007_000027', '2007_000032', '2007_000033', '2007_000039'];
    const { results } = await evalOnHost('person_detect', vocSubset(ids));
    const golden = ids.map((id) => goldenOutput('person_detect', `voc_${id}`));
    expect(results.samples.map((s) => s.outputSha256)).toEqual(golden.map(sha256));
    expect(results.samples.map((s) => s.predicted)).toEqual(golden.map(argmaxInt8));
    // Hand-checked annotations: 000027 has a person; 000032 aeroplanes and persons; 000033 aeroplanes; 000039 a tv.
    expect(results.samples.map((s) => s.label)).toEqual([1, 1, 0, 0]);
  });

  it('yolo-fastest-1.1 VOC mAP on the two golden VOC images, checked by hand', async () => {
    const ids = ['2007_000256', '2007_000272'];
    const outcome = await evalOnHost('yolo-fastest-1.1-int8', vocSubset(ids));
    const { results } = outcome;
    expect(results.samples.map((s) => s.outputSha256)).toEqual(ids.map((id) => sha256(goldenOutput('yolo-fastest-1.1-int8', `voc_${id}`))));
    // Each image has one ground-truth object (000256: aeroplane 8,96–491,232; 000272: person 25,71–304,500).
    // With one positive, AP (11-point and all-point alike) is 1 / rank of the first true positive among that
    // class's detections over both images by score. IoU here is VOC's inclusive-pixel one, computed by hand.
    const records = readJournal<EvalRecord>(path.join(outcome.outDir, 'journal.jsonl')).records;
    const truth = new Map(records.map((r) => [r.sample, r.truth!]));
    const vocIou = (a: number[], b: number[]): number => {
      const iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]) + 1, ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]) + 1;
      if (iw <= 0 || ih <= 0) return 0;
      const area = (x: number[]): number => (x[2] - x[0] + 1) * (x[3] - x[1] + 1);
      return (iw * ih) / (area(a) + area(b) - iw * ih);
    };
    const expected: Record<string, number> = {};
    for (const [cls, name] of [[0, 'aeroplane'], [14, 'person']] as const) {
      const ranked = records.flatMap((r) => r.detections!.filter((d) => d.classIndex === cls).map((d) => ({ image: r.sample, d })))
        .sort((a, b) => b.d.score - a.d.score);
      const firstTp = ranked.findIndex(({ image, d }) => truth.get(image)!.some((g) => g.classIndex === cls && vocIou([g.xmin, g.ymin, g.xmax, g.ymax], [d.x1, d.y1, d.x2, d.y2]) > 0.5));
      expect(firstTp).toBeGreaterThanOrEqual(0);
      // By hand from the images: the strongest box of each class is the true object, tightly.
      const best = ranked[0];
      const g = truth.get(best.image)!.find((t) => t.classIndex === cls)!;
      expect(vocIou([g.xmin, g.ymin, g.xmax, g.ymax], [best.d.x1, best.d.y1, best.d.x2, best.d.y2])).toBeGreaterThan(0.8);
      expected[name] = 1 / (firstTp + 1);
    }
    expect(results.detection!.perClass).toEqual(expected);
    const mean = (expected.aeroplane + expected.person) / 2;
    expect(results.detection!.map07).toBeCloseTo(mean, 12);
    expect(results.detection!.map12).toBeCloseTo(mean, 12);
  });
});
