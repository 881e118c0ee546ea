// ST SSD MobileNet v1 (person) outputs, decoded as the ST model zoo's `decode_predictions`
// (object_detection/src/postprocessing/postprocess.py): the model returns, per prior box, class scores
// [background, person] (already probabilities), box offsets and the prior itself as corners (xmin, ymin, xmax,
// ymax) in input-normalised units; box = prior + offset · (prior width, height, width, height).
import { dequantize } from '../tensor-values';
import type { HeadTensor } from './yolo';
import type { Detection } from './types';

export interface SsdModelConfig { name: string; inputWidth: number; inputHeight: number; priors: number; }

export const ST_SSD_PERSON: SsdModelConfig = { name: 'st_ssd_mobilenet_v1_025_192_person_int8', inputWidth: 192, inputHeight: 192, priors: 3830 };

/** True for the three outputs [1,N,2] scores, [1,N,4] offsets, [1,N,4] priors of an ST SSD with N priors. */
export function isStSsdLayout(shapes: readonly number[][], config: SsdModelConfig): boolean {
  return shapes.length === 3 && shapes.every((s) => s.length === 3 && s[0] === 1 && s[1] === config.priors)
    && shapes[0][2] === 2 && shapes[1][2] === 4 && shapes[2][2] === 4;
}

/** Person boxes (class 0) in input pixels, for priors whose person score passes the threshold. Outputs in model order. */
export function decodeStSsd(outputs: readonly HeadTensor[], config: SsdModelConfig, scoreThreshold: number): Detection[] {
  if (!isStSsdLayout(outputs.map((o) => o.shape), config)) {
    throw new Error(`${config.name}: expected outputs [1,${config.priors},2] scores, [1,${config.priors},4] offsets, [1,${config.priors},4] priors; got ${outputs.map((o) => `[${o.shape.join(',')}]`).join(' ')}`);
  }
  const [scores, offsets, priors] = outputs.map((o) => dequantize(o.data, o));
  const detections: Detection[] = [];
  for (let i = 0; i < config.priors; i++) {
    const score = scores[2 * i + 1];
    if (score <= scoreThreshold) continue;
    const [px1, py1, px2, py2] = priors.subarray(4 * i, 4 * i + 4);
    const pw = px2 - px1, ph = py2 - py1;
    const [dx1, dy1, dx2, dy2] = offsets.subarray(4 * i, 4 * i + 4);
    detections.push({
      classIndex: 0, score,
      x1: (px1 + dx1 * pw) * config.inputWidth, y1: (py1 + dy1 * ph) * config.inputHeight,
      x2: (px2 + dx2 * pw) * config.inputWidth, y2: (py2 + dy2 * ph) * config.inputHeight,
    });
  }
  return detections;
}
