// Which plan an image replays and its two schedule sections: LAYER_SCHEDULE (op order after any patch stage)
// and PATCH_SCHEDULE (per patch, per stage op: output window, input windows, tile offsets).
import { Graph } from '../model/graph';
import type { StreamPlan } from '../plan/stream-planner';
import { LayerPlan, PatchPlan, PatchStep, Region } from '../plan/types';
import { ByteWriter } from './byte-writer';
import { ImageError } from './image-error';
import { IMAGE_MAX_STEP_INPUTS, IMAGE_NONE } from './image-ids';
import { PATCH_STEP_BYTES } from './image-layout';
import type { TensorTable } from './tensor-table';

export type Schedule = { kind: 'layer'; plan: LayerPlan } | { kind: 'patch'; plan: PatchPlan } | { kind: 'stream'; plan: StreamPlan };

/** A schedule by kind and patch grid (or streamed segments) only: what results.json records and messages name. */
export type ScheduleLabel = { kind: 'layer' } | { kind: 'patch'; split: number; patches: number }
  | { kind: 'stream'; split: number; segments: [number, number][] };

export function scheduleLabel(schedule: Schedule): ScheduleLabel {
  if (schedule.kind === 'stream') return { kind: 'stream', split: schedule.plan.split, segments: schedule.plan.segments.map((s) => [s.first, s.end]) };
  return schedule.kind === 'layer' ? { kind: 'layer' } : { kind: 'patch', split: schedule.plan.split, patches: schedule.plan.patches };
}

/** Ops run layer by layer after the patch stage (all of them for a layer plan). */
export function layerOps(schedule: Schedule, opCount: number): number[] {
  const from = schedule.kind === 'patch' ? schedule.plan.split : 0;
  return Array.from({ length: opCount - from }, (_, i) => from + i);
}

export function encodeLayerSchedule(schedule: Schedule, opCount: number): { bytes: Uint8Array; count: number } {
  const ops = layerOps(schedule, opCount);
  const w = new ByteWriter();
  for (const op of ops) w.u32(op);
  return { bytes: w.finish(), count: ops.length };
}

function window(w: ByteWriter, r: Region): void {
  w.i32(r.y0).i32(r.x0).i32(r.y1 - r.y0).i32(r.x1 - r.x0);
}

function writeStep(w: ByteWriter, graph: Graph, plan: PatchPlan, step: PatchStep, tensors: TensorTable, last: boolean): void {
  const op = graph.operators[step.op];
  const offsetOf = (t: number): number => {
    const at = tensors.placement.get(t);
    if (!at) throw new ImageError(`${graph.source}: patch plan has no buffer for tensor ${t} (operator ${op.index})`);
    return at.offset;
  };
  const inputs = step.inRegions.map((r, slot) => ({ r, slot })).filter((x): x is { r: Region; slot: number } => x.r !== null);
  if (inputs.length > IMAGE_MAX_STEP_INPUTS) {
    throw new ImageError(`${graph.source}: operator ${op.index} ${op.type} reads ${inputs.length} activations in the patch stage; the image allows ${IMAGE_MAX_STEP_INPUTS}`);
  }
  const start = w.size;
  window(w, step.outRegion);
  w.u32(last ? IMAGE_NONE : offsetOf(op.outputs[0])).u32(inputs.length);
  for (let k = 0; k < IMAGE_MAX_STEP_INPUTS; k++) {
    const input = inputs[k];
    if (input) {
      window(w, input.r);
      w.u32(offsetOf(op.inputs[input.slot])).u32(input.slot);
    } else {
      for (let z = 0; z < 6; z++) w.u32(0);
    }
  }
  if (w.size - start !== PATCH_STEP_BYTES) throw new Error('patch step layout out of step with image.h');
  void plan;
}

export function encodePatchSchedule(graph: Graph, plan: PatchPlan, tensors: TensorTable): Uint8Array {
  const w = new ByteWriter();
  const image = (t: number): number => tensors.imageIndex.get(t)!;
  w.u32(plan.split).u32(plan.patchList.length).u32(image(plan.stageInput)).u32(image(plan.stageOutput));
  for (let i = 0; i < 4; i++) w.u32(0);
  for (let op = 0; op < plan.split; op++) w.u32(op);
  w.align(8);
  for (const patch of plan.patchList) {
    if (patch.steps.length !== plan.split) throw new ImageError(`${graph.source}: patch (${patch.row},${patch.col}) has ${patch.steps.length} steps for split ${plan.split}`);
    patch.steps.forEach((step, k) => writeStep(w, graph, plan, step, tensors, k === plan.split - 1));
  }
  return w.finish();
}

/** STREAM_SCHEDULE: segments, the rings with their arena offsets, then every row step (with its columns) in execution order. */
export function encodeStreamSchedule(graph: Graph, plan: StreamPlan, tensors: TensorTable): Uint8Array {
  const w = new ByteWriter();
  const rings = plan.segments.flatMap((s) => s.rings);
  const steps = plan.segments.flatMap((s) => s.steps);
  w.u32(plan.segments.length).u32(rings.length).u32(steps.length).u32(0);
  let first = 0;
  for (const s of plan.segments) {
    w.u32(s.first).u32(s.end).u32(first).u32(s.steps.length);
    first += s.steps.length;
  }
  for (const r of rings) {
    const at = tensors.placement.get(r.tensor);
    if (!at) throw new ImageError(`${graph.source}: stream plan has no buffer for the ring of tensor ${r.tensor}`);
    w.u32(tensors.imageIndex.get(r.tensor)!).u32(r.rows).u32(at.offset).u32(r.rowBytes);
  }
  for (const s of steps) w.i32(s.op).i32(s.y0).i32(s.keepFrom).i32(s.x0).i32(s.x1);
  return w.finish();
}
