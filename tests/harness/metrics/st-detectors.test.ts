// The ST person detectors on the Pascal VOC sample through `mcubench eval`, decoded as the ST model zoo decodes them.
// ST YOLO LC v1 (tiny-YOLOv2: softmax classes, anchors normalised to the input). The anchor scale is checked by its effect: at
// the documented scale the person AP is far higher than at half or double (0.1 % and 6.3 % when this was written).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../../harness/cli/main';
import { decodeYolo, ST_YOLO_LC_PERSON } from '../../../harness/metrics/detection';
import type { Results } from '../../../harness/report/results';
import { SHARED_DATASETS, sharedModel } from '../../support/paths';

jest.setTimeout(180_000);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcubench-styolo-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('softmax over one class is 1: the score is the objectness alone', () => {
  const v = new Float32Array(12 * 12 * 30).fill(-20); // every objectness σ(−20) ≈ 0
  const at = (5 * 12 + 7) * 30 + 2 * 6; // cell (x 7, y 5), anchor 2
  v.set([0, 0, 0, 0, 2, -3], at);
  const dets = decodeYolo([{ data: new Uint8Array(v.buffer), shape: [1, 12, 12, 30], dtype: 'float32' }], ST_YOLO_LC_PERSON, 0.5);
  expect(dets).toHaveLength(1);
  expect(dets[0].score).toBeCloseTo(1 / (1 + Math.exp(-2)), 12); // not × σ(−3)
  const [w, h] = ST_YOLO_LC_PERSON.heads[0].anchors[2];
  expect(dets[0]).toMatchObject({ classIndex: 0 });
  expect(dets[0].x1).toBeCloseTo(((7 + 0.5) / 12) * 192 - w / 2, 9);
  expect(dets[0].y2).toBeCloseTo(((5 + 0.5) / 12) * 192 + h / 2, 9);
});

test('mcubench eval gives the ST detector a person AP on VOC', async () => {
  const out = path.join(tmp, 'voc');
  const so = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const se = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    expect(await main(['node', 'mcubench', 'eval', sharedModel('st_yolo_lc_v1_192_person_int8'), '--dataset', path.join(SHARED_DATASETS, 'pascal_voc2012_sample'), '--out', out])).toBe(0);
  } finally {
    so.mockRestore();
    se.mockRestore();
  }
  const r = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')) as Results;
  expect(r.count).toBe(100);
  expect(Object.keys(r.detection!.perClass)).toEqual(['person']);
  expect(r.detection!.map07).toBeGreaterThan(0.3);
  expect(r.detection!.map07).toBeLessThan(0.6); // 36.9 % when written; yolo-fastest-person (320²) gets 70.0 % here
});

test('ST SSD: the third output is the prior boxes (the same for every image), and the person AP on VOC', async () => {
  const out = path.join(tmp, 'ssd');
  const so = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const se = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    expect(await main(['node', 'mcubench', 'eval', sharedModel('st_ssd_mobilenet_v1_025_192_person_int8'), '--dataset', path.join(SHARED_DATASETS, 'pascal_voc2012_sample'), '--out', out])).toBe(0);
  } finally {
    so.mockRestore();
    se.mockRestore();
  }
  // Outputs in model order, float32 on the caller side: scores 3830×2, offsets 3830×4, priors 3830×4.
  const files = ['2007_000027', '2007_000032', '2007_000033'].map((n) => fs.readFileSync(path.join(out, 'outputs', `${n}.out`)));
  const priors = (b: Buffer): Buffer => b.subarray(3830 * 6 * 4);
  const offsets = (b: Buffer): Buffer => b.subarray(3830 * 2 * 4, 3830 * 6 * 4);
  expect(files.every((b) => b.length === 3830 * 10 * 4 && priors(b).equals(priors(files[0])))).toBe(true);
  expect(offsets(files[1]).equals(offsets(files[0]))).toBe(false);
  const r = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')) as Results;
  expect(Object.keys(r.detection!.perClass)).toEqual(['person']);
  expect(r.detection!.map07).toBeGreaterThan(0.45); // 58.8 % when written; priors and offsets swapped give 0.0 %
  expect(r.detection!.map07).toBeLessThan(0.75);
});
