// The one way from a model to image bytes, used by every command (infer, eval, run, build): static shape arithmetic
// folded to constants, the requested schedule planned on the folded graph, then packed. So one model and one
// schedule give one image (one model hash) whichever command packs it.
import * as fs from 'fs';
import { Graph, loadModel } from '../model';
import { UsageError } from '../errors';
import { ImageError } from './image-error';
import { foldShapeOps } from './fold-shape-ops';
import { packImage, type PackedImage } from './pack-image';
import { isModelImage } from './read-image';
import type { Schedule } from './schedule';
import { ScheduleRequest, selectSchedule } from './select-schedule';

export interface PlannedImage {
  /** The graph the image was packed from: the imported one with its shape ops folded away. */
  graph: Graph;
  schedule: Schedule;
  image: PackedImage;
}

export function planImage(graph: Graph, request: ScheduleRequest): PlannedImage {
  return planImageFor(graph, (folded) => selectSchedule(folded, request));
}

/** planImage with the schedule chosen by the caller on the folded graph (e.g. the best fit for a board). */
export function planImageFor(graph: Graph, choose: (folded: Graph) => Schedule): PlannedImage {
  // SHAPE → STRIDED_SLICE → PACK on static shapes is a constant: fold it rather than run it on the board.
  const folded = foldShapeOps(graph).graph;
  const schedule = choose(folded);
  return { graph: folded, schedule, image: packImage(folded, schedule) };
}

export interface ModelImage {
  bytes: Uint8Array;
  /** How the image was made; absent when the file already was an image. */
  planned?: PlannedImage;
  schedule: 'layer' | 'patch' | 'stream' | 'prepacked';
}

/** A packed image file is used as-is; a .tflite goes through planImage. */
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
  const planned = planImage(loadModel(file), request);
  return { bytes: planned.image.bytes, planned, schedule: planned.schedule.kind };
}

/** A model that a command needs as a .tflite (for its I/O description and to plan for a board), not a packed image. */
export function loadTflite(modelFile: string, command: string, why: string): Graph {
  if (fs.existsSync(modelFile) && isModelImage(new Uint8Array(fs.readFileSync(modelFile)))) {
    throw new UsageError(`${modelFile}: is a packed model image; ${command} needs the .tflite (${why})`);
  }
  return loadModel(modelFile);
}

