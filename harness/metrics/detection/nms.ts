// Greedy per-class non-maximum suppression: highest score first; a box is dropped when its IoU with an already
// kept box of the same class is above the threshold. Equal scores keep their input order (stable sort), so the
// result is deterministic.
import { iou } from './box';
import type { Detection } from './types';

export function nms(detections: readonly Detection[], iouThreshold: number): Detection[] {
  const order = detections.map((d, i) => ({ d, i })).sort((a, b) => b.d.score - a.d.score || a.i - b.i).map((x) => x.d);
  const kept: Detection[] = [];
  for (const d of order) {
    if (!kept.some((k) => k.classIndex === d.classIndex && iou(k, d) > iouThreshold)) kept.push(d);
  }
  return kept;
}
