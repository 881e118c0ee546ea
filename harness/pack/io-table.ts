// The IO records: how each model input and output crosses the boundary (inputs first, in graph order).
import { DTYPE_BYTES, Graph, IoDescriptor } from '../model/graph';
import { ByteWriter } from './byte-writer';
import { ImageError } from './image-error';
import { DTYPE_CODES, IO_CONVERT, IO_DIRECTION } from './image-ids';
import type { TensorTable } from './tensor-table';

export interface IoTable { records: Uint8Array; count: number; inputBytes: number; outputBytes: number }

/** The boundary of a graph, with plain as-is descriptors when normalisation did not set `io`. */
export function ioDescriptors(graph: Graph): { inputs: IoDescriptor[]; outputs: IoDescriptor[] } {
  if (graph.io) return graph.io;
  const asIs = (t: number): IoDescriptor => {
    const tensor = graph.tensors[t];
    return { tensor: t, name: tensor.name, shape: [...tensor.shape], external: { dtype: tensor.dtype } };
  };
  return { inputs: graph.inputs.map(asIs), outputs: graph.outputs.map(asIs) };
}

export function externalBytes(d: IoDescriptor): number {
  return d.shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[d.external.dtype];
}

export function buildIoTable(graph: Graph, tensors: TensorTable): IoTable {
  const io = ioDescriptors(graph);
  const w = new ByteWriter();
  const write = (d: IoDescriptor, direction: number): number => {
    const t = graph.tensors[d.tensor];
    let convert: number = IO_CONVERT.COPY;
    if (d.external.dtype !== t.dtype) {
      if (d.external.dtype === 'float32' && t.dtype === 'int8') {
        convert = direction === IO_DIRECTION.INPUT ? IO_CONVERT.QUANTIZE_FLOAT : IO_CONVERT.DEQUANTIZE_FLOAT;
      } else {
        throw new ImageError(`${graph.source}: ${d.name}: the boundary cannot convert ${d.external.dtype} to ${t.dtype}`);
      }
    }
    const bytes = externalBytes(d);
    w.u32(tensors.imageIndex.get(d.tensor)!).u8(direction).u8(DTYPE_CODES[d.external.dtype]).u8(convert).u8(0);
    w.u32(bytes).f32(d.external.scale ?? 0).i32(d.external.zeroPoint ?? 0);
    return bytes;
  };
  const inputBytes = io.inputs.reduce((s, d) => s + write(d, IO_DIRECTION.INPUT), 0);
  const outputBytes = io.outputs.reduce((s, d) => s + write(d, IO_DIRECTION.OUTPUT), 0);
  return { records: w.finish(), count: io.inputs.length + io.outputs.length, inputBytes, outputBytes };
}
