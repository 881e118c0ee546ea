// Decides, for every tensor the packed model touches, where its bytes live (arena offset, constant data, a
// patch tile, the caller's input) and lays out the TENSORS records and the CONSTANTS section.
import { DTYPE_BYTES, Graph, Tensor } from '../model/graph';
import { BufferPlacement } from '../plan/types';
import { ByteWriter } from './byte-writer';
import { CONSTANT_ALIGN } from './image-layout';
import { DTYPE_CODES, IMAGE_MAX_RANK, STORAGE } from './image-ids';
import { ImageError } from './image-error';
import type { Schedule } from './schedule';

type StorageCode = (typeof STORAGE)[keyof typeof STORAGE];

export interface TensorTable {
  /** Graph tensor index → image tensor index. */
  imageIndex: Map<number, number>;
  /** Image order: graph tensor indices, ascending. */
  graphIndex: number[];
  records: Uint8Array;
  constants: Uint8Array;
  /** Arena offset per graph tensor (ARENA storage and patch tiles). */
  placement: Map<number, BufferPlacement>;
}

/** Graph tensors the ops and the boundary refer to, ascending. */
function usedTensors(graph: Graph): number[] {
  const used = new Set<number>();
  for (const op of graph.operators) for (const t of [...op.inputs, ...op.outputs]) if (t >= 0) used.add(t);
  for (const t of [...graph.inputs, ...graph.outputs]) used.add(t);
  return [...used].sort((a, b) => a - b);
}

/** Tensors produced inside the patch stage except its output: only per-patch tiles of them ever exist. */
function tileTensors(graph: Graph, schedule: Schedule): Set<number> {
  const tiles = new Set<number>();
  if (schedule.kind !== 'patch') return tiles;
  const { split, stageOutput } = schedule.plan;
  for (const op of graph.operators.slice(0, split)) for (const t of op.outputs) if (t !== stageOutput) tiles.add(t);
  return tiles;
}

export function buildTensorTable(graph: Graph, schedule: Schedule): TensorTable {
  const graphIndex = usedTensors(graph);
  const imageIndex = new Map(graphIndex.map((g, i) => [g, i]));
  const placement = new Map(schedule.plan.buffers.map((b) => [b.tensor, b]));
  const tiles = tileTensors(graph, schedule);
  const stageInput = schedule.kind === 'patch' ? schedule.plan.stageInput : -1;
  const rings = new Set(schedule.kind === 'stream' ? schedule.plan.segments.flatMap((s) => s.rings.map((r) => r.tensor)) : []);
  const records = new ByteWriter();
  const constants = new ByteWriter();

  for (const g of graphIndex) {
    const t = graph.tensors[g];
    let storage: StorageCode;
    let offset = 0;
    if (t.data && !graph.inputs.includes(g)) {
      storage = STORAGE.CONSTANT;
      constants.align(CONSTANT_ALIGN);
      offset = constants.size;
      if (t.data.length !== byteSize(graph, t)) {
        throw new ImageError(`${graph.source}: constant tensor ${g} '${t.name}' holds ${t.data.length} bytes, its shape needs ${byteSize(graph, t)}`);
      }
      constants.bytes(t.data);
    } else if (g === stageInput) {
      storage = STORAGE.EXTERNAL_INPUT;
    } else if (tiles.has(g)) {
      storage = STORAGE.TILE;
    } else if (rings.has(g)) {
      storage = STORAGE.RING; // rows at the ring's offset (STREAM_SCHEDULE)
      offset = placement.get(g)!.offset;
    } else {
      const at = placement.get(g);
      if (!at) throw new ImageError(`${graph.source}: tensor ${g} '${t.name}' has no arena place in the ${schedule.kind} plan`);
      storage = STORAGE.ARENA;
      offset = at.offset;
      if (offset % DTYPE_BYTES[t.dtype] !== 0) {
        // The runtime rejects it too: kernels access int32/float elements in place.
        throw new ImageError(`${graph.source}: tensor ${g} '${t.name}' (${t.dtype}) is planned at arena offset ${offset}, ` +
          `not ${DTYPE_BYTES[t.dtype]}-byte aligned; the memory plan must align buffers of wide tensors`);
      }
    }
    writeTensorRecord(records, graph, t, storage, offset);
  }
  return { imageIndex, graphIndex, records: records.finish(), constants: constants.align(CONSTANT_ALIGN).finish(), placement };
}

function byteSize(graph: Graph, t: Tensor): number {
  return t.shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[t.dtype];
}

function writeTensorRecord(w: ByteWriter, graph: Graph, t: Tensor, storage: StorageCode, offset: number): void {
  if (t.shape.length > IMAGE_MAX_RANK) {
    throw new ImageError(`${graph.source}: tensor ${t.index} '${t.name}' has rank ${t.shape.length}; the image allows ${IMAGE_MAX_RANK}`);
  }
  const q = t.quantization;
  w.u8(DTYPE_CODES[t.dtype]).u8(t.shape.length).u8(storage).u8(0);
  for (let d = 0; d < IMAGE_MAX_RANK; d++) w.i32(d < t.shape.length ? t.shape[d] : 1);
  w.u32(offset).u32(byteSize(graph, t));
  w.f32(q && q.scale.length ? q.scale[0] : 0).i32(q && q.zeroPoint.length ? q.zeroPoint[0] : 0);
  w.u32(t.index);
}
