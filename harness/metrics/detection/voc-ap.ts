// Pascal VOC average precision, following the VOC devkit's evaluation semantics:
//  - detections of one class over all images, sorted by confidence (highest first, ties in input order);
//  - each is matched to the ground-truth box of that class in its image with the highest IoU, where IoU uses
//    VOC's inclusive pixel convention (width = x2 − x1 + 1);
//  - IoU > threshold (0.5): a `difficult` match is ignored (neither TP nor FP); a non-difficult one is a TP the
//    first time and an FP (duplicate) afterwards; otherwise FP;
//  - recall = TP / (non-difficult ground truths), precision = TP / (TP + FP);
//  - AP: VOC2007 11-point (mean over r ∈ {0, 0.1, …, 1} of the best precision at recall ≥ r) or VOC2010+
//    all-point (area under the precision envelope, summed where recall changes).
import type { GroundTruthBox } from '../../data/types';
import type { Detection } from './types';

export type ApMethod = 'voc07-11point' | 'voc10-allpoint';

export interface ImageDetections { image: string; detections: readonly Detection[]; }
export interface ImageGroundTruth { image: string; boxes: readonly GroundTruthBox[]; }

export interface ClassAp { classIndex: number; ap: number; positives: number; detections: number; truePositives: number; falsePositives: number; recall: number[]; precision: number[]; }

type Box = { x1: number; y1: number; x2: number; y2: number };

export function vocIou(a: Box, b: Box): number {
  const iw = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) + 1;
  const ih = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) + 1;
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  return inter / ((a.x2 - a.x1 + 1) * (a.y2 - a.y1 + 1) + (b.x2 - b.x1 + 1) * (b.y2 - b.y1 + 1) - inter);
}

export function apFromCurve(recall: readonly number[], precision: readonly number[], method: ApMethod): number {
  if (method === 'voc07-11point') {
    let sum = 0;
    for (let t = 0; t <= 10; t++) {
      let best = 0;
      recall.forEach((r, i) => { if (r >= t / 10 - 1e-12) best = Math.max(best, precision[i]); });
      sum += best;
    }
    return sum / 11;
  }
  const mrec = [0, ...recall, 1];
  const mpre = [0, ...precision, 0];
  for (let i = mpre.length - 2; i >= 0; i--) mpre[i] = Math.max(mpre[i], mpre[i + 1]);
  let ap = 0;
  for (let i = 1; i < mrec.length; i++) if (mrec[i] !== mrec[i - 1]) ap += (mrec[i] - mrec[i - 1]) * mpre[i];
  return ap;
}

export function classAp(classIndex: number, detections: readonly ImageDetections[], truth: readonly ImageGroundTruth[], method: ApMethod, iouThreshold = 0.5): ClassAp {
  const gt = new Map<string, { box: GroundTruthBox; used: boolean }[]>();
  let positives = 0;
  for (const t of truth) {
    const boxes = t.boxes.filter((b) => b.classIndex === classIndex).map((box) => ({ box, used: false }));
    gt.set(t.image, [...(gt.get(t.image) ?? []), ...boxes]);
    positives += boxes.filter((b) => !b.box.difficult).length;
  }
  const dets = detections.flatMap((d) => d.detections.filter((x) => x.classIndex === classIndex).map((x) => ({ image: d.image, det: x })))
    .map((x, i) => ({ ...x, i }))
    .sort((a, b) => b.det.score - a.det.score || a.i - b.i);
  let tp = 0, fp = 0;
  const recall: number[] = [], precision: number[] = [];
  for (const { image, det } of dets) {
    let best = -Infinity;
    let match: { box: GroundTruthBox; used: boolean } | undefined;
    for (const g of gt.get(image) ?? []) {
      const o = vocIou({ x1: g.box.xmin, y1: g.box.ymin, x2: g.box.xmax, y2: g.box.ymax }, det);
      if (o > best) { best = o; match = g; }
    }
    if (match && best > iouThreshold) {
      if (match.box.difficult) continue; // ignored: neither TP nor FP
      if (!match.used) { match.used = true; tp++; } else fp++;
    } else fp++;
    recall.push(positives > 0 ? tp / positives : 0);
    precision.push(tp / (tp + fp));
  }
  return { classIndex, ap: positives > 0 ? apFromCurve(recall, precision, method) : NaN, positives, detections: tp + fp, truePositives: tp, falsePositives: fp, recall, precision };
}

export interface VocEvaluation { mAP: number; method: ApMethod; iouThreshold: number; classes: ClassAp[]; }

/** AP per class and their mean over classes that have at least one non-difficult ground-truth box. */
export function evaluateVoc(detections: readonly ImageDetections[], truth: readonly ImageGroundTruth[], numClasses: number, method: ApMethod, iouThreshold = 0.5): VocEvaluation {
  const classes = Array.from({ length: numClasses }, (_, c) => classAp(c, detections, truth, method, iouThreshold));
  const scored = classes.filter((c) => c.positives > 0);
  return { mAP: scored.length ? scored.reduce((s, c) => s + c.ap, 0) / scored.length : NaN, method, iouThreshold, classes };
}
