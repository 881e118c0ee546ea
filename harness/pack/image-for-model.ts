// One call from "a model file" to image bytes: a packed image is used as-is; a .tflite is imported, its
// static shape arithmetic folded to constants, planned with the requested schedule and packed.
import * as fs from 'fs';
import { Graph, loadModel } from '../model';
import { ImageError } from './image-error';
import { foldShapeOps } from './fold-shape-ops';
import { packImage } from './pack-image';
import { isModelImage } from './read-image';
import { ScheduleRequest, selectSchedule } from './select-schedule';

export interface ModelImage {
  bytes: Uint8Array;
  /** The imported graph; absent when the file already was an image. */
  graph?: Graph;
  schedule: 'layer' | 'patch' | 'prepacked';
}

export function imageForModel(file: string, request: ScheduleRequest): ModelImage {
  let head: Buffer;
  try {
    head = fs.readFileSync(file);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message;
    throw new ImageError(`${file}: cannot read model: ${reason}; pass a .tflite file or a packed model image`);
  }
  const bytes = new Uint8Array(head.buffer, head.byteOffset, head.byteLength);
  if (isModelImage(bytes)) {
    if (request.schedule !== 'layer') throw new ImageError(`${file}: is already a packed image; its schedule is fixed (drop --schedule/--split/--patches)`);
    return { bytes, schedule: 'prepacked' };
  }
  // SHAPE → STRIDED_SLICE → PACK on static shapes is a constant: fold it rather than run it on the board.
  const graph = foldShapeOps(loadModel(file)).graph;
  const schedule = selectSchedule(graph, request);
  return { bytes: packImage(graph, schedule).bytes, graph, schedule: schedule.kind };
}
