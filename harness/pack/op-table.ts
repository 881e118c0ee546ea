// Lays out the OPS records, the INDICES operand lists and the PARAMS blocks, one op per graph operator in
// execution order (image op index == graph op index).
import { Graph } from '../model/graph';
import { inPlaceScratch } from '../plan/in-place';
import { ByteWriter } from './byte-writer';
import { ImageError } from './image-error';
import { OP_CODES } from './image-ids';
import { encodeOpParams } from './op-params';
import type { Schedule } from './schedule';
import type { TensorTable } from './tensor-table';

export interface OpTable { records: Uint8Array; indices: Uint8Array; indexCount: number; params: Uint8Array; scratchBytes: number }

/** Scratch each op's in-place algorithm needs, from the plan's alias links (0 for ops that are not in place). */
function opScratch(graph: Graph, schedule: Schedule): Map<number, number> {
  const need = new Map<number, number>();
  const patch = schedule.kind === 'patch' ? schedule.plan : undefined;
  for (const link of schedule.plan.aliases) {
    const out = graph.tensors[link.output].shape;
    let pixels = out.slice(0, -1).reduce((a, b) => a * b, 1);
    if (patch && link.op < patch.split) {
      // Inside the patch stage the kernel only ever sees one tile: the largest one over all patches.
      pixels = Math.max(...patch.patchList.map((p) => {
        const r = p.steps[link.op].outRegion;
        return (r.y1 - r.y0) * (r.x1 - r.x0);
      }));
    }
    need.set(link.op, Math.max(need.get(link.op) ?? 0, inPlaceScratch(link.kind, pixels, out[out.length - 1])));
  }
  return need;
}

export function buildOpTable(graph: Graph, schedule: Schedule, tensors: TensorTable): OpTable {
  const records = new ByteWriter();
  const indices = new ByteWriter();
  const params = new ByteWriter();
  const scratch = opScratch(graph, schedule);
  let indexCount = 0;
  for (const op of graph.operators) {
    if (op.inputs.length > 255 || op.outputs.length > 255) {
      throw new ImageError(`${graph.source}: operator ${op.index} ${op.type} has too many operands for the image`);
    }
    const words = encodeOpParams(graph, op);
    const paramsOffset = params.size;
    for (const w of words) params.i32(w);
    records.u16(OP_CODES[op.type]).u8(op.inputs.length).u8(op.outputs.length);
    records.u32(indexCount).u32(paramsOffset).u32(4 * words.length).u32(scratch.get(op.index) ?? 0).u32(op.index);
    for (const t of [...op.inputs, ...op.outputs]) {
      indices.i32(t < 0 ? -1 : tensors.imageIndex.get(t)!);
      indexCount++;
    }
  }
  const scratchBytes = Math.max(schedule.plan.scratchBytes, ...scratch.values());
  return { records: records.finish(), indices: indices.finish(), indexCount, params: params.finish(), scratchBytes };
}
