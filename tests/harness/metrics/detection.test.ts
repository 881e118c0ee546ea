// Detection: YOLO decoding (hand-made heads and the real golden outputs of Yolo-Fastest), NMS, COCO→VOC, VOC AP.
import * as fs from 'fs';
import * as path from 'path';
import { SHARED_GOLDEN, SHARED_MODELS } from '../../support/paths';
import {
  COCO80_DARKNET, COCO_TO_VOC, Detection, HeadTensor, MCUNET_PERSON_DET, YOLO_FASTEST_COCO, YOLO_FASTEST_PERSON, YoloModelConfig,
  classAp, cocoToVocDetections, decodeYolo, evaluateVoc, iou, nms, toImageCoordinates, vocIou,
} from '../../../harness/metrics/detection';
import { VOC_CLASSES, detectDataset } from '../../../harness/data';
import type { GroundTruthBox } from '../../../harness/data';

const det = (classIndex: number, score: number, x1: number, y1: number, x2: number, y2: number): Detection => ({ classIndex, score, x1, y1, x2, y2 });
const gt = (xmin: number, ymin: number, xmax: number, ymax: number, difficult = false, classIndex = 0): GroundTruthBox =>
  ({ className: VOC_CLASSES[classIndex], classIndex, xmin, ymin, xmax, ymax, difficult, truncated: false });

describe('YOLO head decoding', () => {
  const tiny: YoloModelConfig = { name: 'tiny', inputWidth: 64, inputHeight: 64, numClasses: 1, scaleXY: 1, heads: [{ gridH: 2, gridW: 2, anchors: [[20, 10]] }] };

  it('decodes an int8 head: sigmoid offsets, exp sizes, objectness × class score', () => {
    // scale 0.25, zp −10: real = 0.25 (q + 10). Cell (gy=1, gx=0): tx=ty=0 (q −10), tw=1 (q −6), th=0, obj=2 (q −2), cls=0
    // cx = (0 + σ(0)) / 2 · 64 = 16; cy = (1 + 0.5) / 2 · 64 = 48; w = e¹ · 20 = 54.366; h = e⁰ · 10 = 10
    // score = σ(2) · σ(0) = 0.880797 · 0.5 = 0.440399. Every other cell has obj = 0.25·(−128+10) = −29.5 → dropped.
    const q = new Int8Array(2 * 2 * 6).fill(-128);
    q.set([-10, -10, -6, -10, -2, -10], (1 * 2 + 0) * 6);
    const head: HeadTensor = { data: new Uint8Array(q.buffer), shape: [1, 2, 2, 6], dtype: 'int8', scale: 0.25, zeroPoint: -10 };
    const [d, ...rest] = decodeYolo([head], tiny, 0.3);
    expect(rest).toEqual([]);
    expect(d.classIndex).toBe(0);
    expect(d.score).toBeCloseTo(0.440399, 6);
    expect(d.x1).toBeCloseTo(16 - 27.18282, 4);
    expect(d.x2).toBeCloseTo(16 + 27.18282, 4);
    expect([d.y1, d.y2]).toEqual([43, 53]);
    expect(decodeYolo([head], tiny, 0.45)).toEqual([]);
  });

  it('matches float32 heads to configs by grid size and checks channel counts', () => {
    const heads = MCUNET_PERSON_DET.heads.map((h): HeadTensor => ({ data: new Uint8Array(h.gridH * h.gridW * 18 * 4), shape: [1, h.gridH, h.gridW, 18], dtype: 'float32' }));
    // all-zero logits: objectness σ(0)·σ(0) = 0.25 per anchor → nothing above 0.3
    expect(decodeYolo([...heads].reverse(), MCUNET_PERSON_DET, 0.3)).toEqual([]);
    expect(decodeYolo(heads, MCUNET_PERSON_DET, 0.2).length).toBe((20 + 80 + 320) * 3);
    expect(() => decodeYolo(heads.slice(1), MCUNET_PERSON_DET, 0.3)).toThrow(/expected 3 output heads/);
    const bad = { ...heads[0], shape: [1, 4, 5, 17] };
    expect(() => decodeYolo([bad, heads[1], heads[2]], MCUNET_PERSON_DET, 0.3)).toThrow(/17 channels/);
  });

  it('Yolo-Fastest person: two int8 heads of 3 × (4+1+1) = 18 channels', () => {
    // every value at q = zp → real 0 → score σ(0)·σ(0) = 0.25: (400 + 100) cells × 3 anchors above 0.2, none above 0.3
    const head = (g: number): HeadTensor => ({ data: new Uint8Array(g * g * 18).fill(5), shape: [1, g, g, 18], dtype: 'int8', scale: 0.1, zeroPoint: 5 });
    expect(decodeYolo([head(10), head(20)], YOLO_FASTEST_PERSON, 0.3)).toEqual([]);
    const dets = decodeYolo([head(10), head(20)], YOLO_FASTEST_PERSON, 0.2);
    expect(dets.length).toBe(1500);
    // 10×10 head, cell (0,0), anchor 3 (179×94): centre (0.5/10·320, 0.5/10·320) = (16, 16)
    expect(dets).toContainEqual({ classIndex: 0, score: 0.25, x1: 16 - 89.5, y1: 16 - 47, x2: 16 + 89.5, y2: 16 + 47 });
  });

  it('finds the annotated objects in the golden Yolo-Fastest outputs of two VOC images', () => {
    // Output tensors and their quantization from shared/golden/manifest.json (20×20 head first, then 10×10).
    const voc = detectDataset(path.join(SHARED_GOLDEN, '..', 'datasets', 'pascal_voc2012_sample'));
    const truth = new Map([...voc.samples()].map((s) => [s.name, s]));
    for (const [id, vocClass] of [['2007_000256', 'aeroplane'], ['2007_000272', 'person']]) {
      const out = fs.readFileSync(path.join(SHARED_GOLDEN, 'yolo-fastest-1.1-int8', `voc_${id}.out`));
      const heads: HeadTensor[] = [
        { data: out.subarray(0, 102000), shape: [1, 20, 20, 255], dtype: 'int8', scale: 0.156807944, zeroPoint: 82 },
        { data: out.subarray(102000), shape: [1, 10, 10, 255], dtype: 'int8', scale: 0.166396812, zeroPoint: 89 },
      ];
      const sample = truth.get(id)!;
      const dets = cocoToVocDetections(toImageCoordinates(nms(decodeYolo(heads, YOLO_FASTEST_COCO, 0.3), 0.45), 320, 320, sample.width!, sample.height!, true));
      const best = dets.reduce((a, b) => (b.score > a.score ? b : a));
      expect(VOC_CLASSES[best.classIndex]).toBe(vocClass);
      const box = sample.boxes!.find((b) => b.className === vocClass)!;
      expect(vocIou({ x1: box.xmin, y1: box.ymin, x2: box.xmax, y2: box.ymax }, best)).toBeGreaterThan(0.5);
    }
  });
});

describe('NMS and box overlap', () => {
  it('computes IoU in continuous and in VOC inclusive-pixel coordinates', () => {
    expect(iou(det(0, 1, 0, 0, 10, 10), det(0, 1, 5, 0, 15, 10))).toBeCloseTo(50 / 150, 12);
    expect(vocIou({ x1: 0, y1: 0, x2: 9, y2: 9 }, { x1: 5, y1: 0, x2: 14, y2: 9 })).toBeCloseTo(50 / 150, 12); // 5×10 of 10×10+10×10−50
    expect(iou(det(0, 1, 0, 0, 1, 1), det(0, 1, 2, 2, 3, 3))).toBe(0);
  });

  it('suppresses per class only, keeping the higher score', () => {
    const a = det(0, 0.9, 0, 0, 10, 10), b = det(0, 0.8, 1, 0, 11, 10), c = det(1, 0.7, 1, 0, 11, 10), d = det(0, 0.6, 20, 20, 30, 30);
    // IoU(a,b) = 90/110 = 0.82 > 0.45 → b dropped; c is another class; d does not overlap
    expect(nms([d, c, b, a], 0.45)).toEqual([a, c, d]);
    expect(nms([a, b], 0.9)).toEqual([a, b]); // 0.82 ≤ 0.9 keeps both
  });
});

describe('COCO → VOC class map', () => {
  it('matches shared/models/labels and the data-inventory table', () => {
    const names = fs.readFileSync(path.join(SHARED_MODELS, 'labels', 'coco80_darknet.names'), 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
    expect([...COCO80_DARKNET]).toEqual(names);
    const voc20 = fs.readFileSync(path.join(SHARED_MODELS, 'labels', 'voc20.names'), 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
    expect([...VOC_CLASSES]).toEqual(voc20);
    // data-inventory.md §1: VOC → COCO80 indices
    const inventory = { aeroplane: 4, bicycle: 1, bird: 14, boat: 8, bottle: 39, bus: 5, car: 2, cat: 15, chair: 56, cow: 19, diningtable: 60, dog: 16, horse: 17, motorbike: 3, person: 0, pottedplant: 58, sheep: 18, sofa: 57, train: 6, tvmonitor: 62 };
    for (const [voc, coco] of Object.entries(inventory)) expect(COCO_TO_VOC[coco]).toBe(VOC_CLASSES.indexOf(voc as never));
    expect(COCO_TO_VOC.filter((v) => v >= 0).length).toBe(20);
    expect(cocoToVocDetections([det(7, 0.9, 0, 0, 1, 1), det(4, 0.8, 0, 0, 1, 1)])).toEqual([det(0, 0.8, 0, 0, 1, 1)]); // truck dropped, aeroplane → 0
  });
});

describe('VOC average precision (hand-computed)', () => {
  // Class 0. Image A: g1 (0,0,9,9), g2 (20,0,29,9), g3 (40,0,49,9) difficult. Image B: g4 (0,0,9,9). Positives = 3.
  // Detections by score:
  //   .9 A (0,0,9,9)      → g1, IoU 1            TP   tp=1 fp=0  rec 1/3 prec 1
  //   .8 A (40,0,49,9)    → g3 difficult          ignored (no point on the curve)
  //   .7 A (0,0,9,9)      → g1 again              FP   tp=1 fp=1  rec 1/3 prec 1/2
  //   .6 B (100,100,109,109) no overlap           FP   tp=1 fp=2  rec 1/3 prec 1/3
  //   .5 B (0,0,9,9)      → g4                    TP   tp=2 fp=2  rec 2/3 prec 1/2
  //   .4 A (20,0,29,8)    → g2, IoU 90/100 = 0.9  TP   tp=3 fp=2  rec 1   prec 3/5
  // 11-point: r = 0, .1, .2, .3 → max prec 1 (4 points); r = .4 … 1.0 → max prec over rec ≥ r = .6 (7 points)
  //   AP = (4 + 7·0.6) / 11 = 8.2 / 11 = 0.745454…
  // all-point: precision envelope = 1 up to rec 1/3, then .6 → AP = 1/3·1 + (2/3−1/3)·.6 + (1−2/3)·.6 = 0.733333…
  const truth = [
    { image: 'A', boxes: [gt(0, 0, 9, 9), gt(20, 0, 29, 9), gt(40, 0, 49, 9, true)] },
    { image: 'B', boxes: [gt(0, 0, 9, 9), gt(50, 50, 59, 59, false, 1)] },
    { image: 'C', boxes: [gt(0, 0, 9, 9, true, 2)] },
  ];
  const detections = [
    { image: 'A', detections: [det(0, 0.8, 40, 0, 49, 9), det(0, 0.4, 20, 0, 29, 8), det(0, 0.9, 0, 0, 9, 9), det(0, 0.7, 0, 0, 9, 9)] },
    { image: 'B', detections: [det(0, 0.6, 100, 100, 109, 109), det(0, 0.5, 0, 0, 9, 9), det(1, 0.3, 50, 50, 59, 59)] },
  ];

  it('VOC2007 11-point AP', () => {
    const c = classAp(0, detections, truth, 'voc07-11point');
    expect(c).toMatchObject({ positives: 3, truePositives: 3, falsePositives: 2, detections: 5 });
    expect(c.recall).toEqual([1 / 3, 1 / 3, 1 / 3, 2 / 3, 1]);
    expect(c.precision).toEqual([1, 1 / 2, 1 / 3, 1 / 2, 3 / 5]);
    expect(c.ap).toBeCloseTo(8.2 / 11, 12);
  });

  it('VOC2010+ all-point AP', () => {
    expect(classAp(0, detections, truth, 'voc10-allpoint').ap).toBeCloseTo(1 / 3 + 0.2 + 0.2, 12);
  });

  it('mAP averages classes with non-difficult ground truth only', () => {
    // class 1: one GT, one exact detection → AP 1; class 2: only a difficult box → no AP (NaN), not averaged
    const e07 = evaluateVoc(detections, truth, 3, 'voc07-11point');
    expect(e07.classes[1].ap).toBe(1);
    expect(e07.classes[2].ap).toBeNaN();
    expect(e07.mAP).toBeCloseTo((8.2 / 11 + 1) / 2, 12);
    expect(evaluateVoc(detections, truth, 3, 'voc10-allpoint').mAP).toBeCloseTo((11 / 15 + 1) / 2, 12);
  });

  it('a class with ground truth but no detections scores 0', () => {
    expect(classAp(0, [], truth, 'voc10-allpoint').ap).toBe(0);
    expect(classAp(0, [], truth, 'voc07-11point').ap).toBe(0);
  });
});
