// YOLOv3-style head decoding (darknet [yolo] layer semantics) from int8/uint8/float32 output tensors.
// Channel layout per cell: anchor a occupies channels a·(5+C) … a·(5+C)+4+C as [tx, ty, tw, th, obj, cls0 … clsC−1].
//   cx = (gx + σ(tx)·s − (s−1)/2) / gridW · inputW      (s = scale_x_y, 1 for these models)
//   w  = exp(tw) · anchorW                              (anchors in input pixels)
//   score(class) = σ(obj) · σ(cls)                      (one detection per class above the threshold;
//                                                        softmax over the classes for YOLOv2-style heads)
import type { DType } from '../../model/graph';
import { OutputQuant, dequantize } from '../tensor-values';
import type { YoloModelConfig } from './anchors';
import type { Detection } from './types';

export interface HeadTensor extends OutputQuant { data: Uint8Array; shape: number[]; dtype: DType; }

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Class c's probability from the logits at v[from …]: a sigmoid each (YOLOv3) or a softmax over them (YOLOv2). */
function classProbabilities(v: Float64Array, from: number, config: YoloModelConfig): (c: number) => number {
  if (config.classActivation !== 'softmax') return (c) => sigmoid(v[from + c]);
  let max = -Infinity;
  for (let c = 0; c < config.numClasses; c++) max = Math.max(max, v[from + c]);
  let sum = 0;
  for (let c = 0; c < config.numClasses; c++) sum += Math.exp(v[from + c] - max);
  return (c) => Math.exp(v[from + c] - max) / sum;
}

/** Decodes every head of a YOLO model. Heads are matched to outputs by grid size, so output order does not matter. */
export function decodeYolo(outputs: readonly HeadTensor[], config: YoloModelConfig, scoreThreshold: number): Detection[] {
  if (outputs.length !== config.heads.length) throw new Error(`${config.name}: expected ${config.heads.length} output heads, got ${outputs.length}`);
  const detections: Detection[] = [];
  for (const head of config.heads) {
    const out = outputs.find((o) => o.shape.length === 4 && o.shape[1] === head.gridH && o.shape[2] === head.gridW);
    if (!out) throw new Error(`${config.name}: no output of shape [1,${head.gridH},${head.gridW},…] among ${outputs.map((o) => `[${o.shape.join(',')}]`).join(' ')}`);
    const per = 5 + config.numClasses;
    const channels = out.shape[3];
    if (channels !== head.anchors.length * per) throw new Error(`${config.name}: head ${head.gridH}×${head.gridW} has ${channels} channels, expected ${head.anchors.length}×${per}`);
    const v = dequantize(out.data, out);
    if (v.length !== head.gridH * head.gridW * channels) throw new Error(`${config.name}: head ${head.gridH}×${head.gridW} has ${v.length} values, shape says ${head.gridH * head.gridW * channels}`);
    const s = config.scaleXY;
    for (let gy = 0; gy < head.gridH; gy++) {
      for (let gx = 0; gx < head.gridW; gx++) {
        const cell = (gy * head.gridW + gx) * channels;
        head.anchors.forEach(([aw, ah], a) => {
          const at = cell + a * per;
          const objectness = sigmoid(v[at + 4]);
          if (objectness <= scoreThreshold) return; // σ(cls) ≤ 1, so no class can pass either
          const cx = ((gx + sigmoid(v[at]) * s - (s - 1) / 2) / head.gridW) * config.inputWidth;
          const cy = ((gy + sigmoid(v[at + 1]) * s - (s - 1) / 2) / head.gridH) * config.inputHeight;
          const w = Math.exp(v[at + 2]) * aw;
          const h = Math.exp(v[at + 3]) * ah;
          const probability = classProbabilities(v, at + 5, config);
          for (let c = 0; c < config.numClasses; c++) {
            const score = objectness * probability(c);
            if (score > scoreThreshold) detections.push({ classIndex: c, score, x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2 });
          }
        });
      }
    }
  }
  return detections;
}

/**
 * Maps boxes from a stretched model input back to the source image, clipped to it. With `vocPixels` the result
 * uses VOC's 1-based pixel indices (darknet's VOC export adds 1), ready for VOC evaluation.
 */
export function toImageCoordinates(dets: readonly Detection[], inputW: number, inputH: number, imageW: number, imageH: number, vocPixels = false): Detection[] {
  const sx = imageW / inputW, sy = imageH / inputH, o = vocPixels ? 1 : 0;
  const clip = (v: number, max: number): number => Math.min(Math.max(v, 0), max);
  return dets.map((d) => ({ ...d, x1: clip(d.x1 * sx, imageW - 1) + o, y1: clip(d.y1 * sy, imageH - 1) + o, x2: clip(d.x2 * sx, imageW - 1) + o, y2: clip(d.y2 * sy, imageH - 1) + o }));
}
