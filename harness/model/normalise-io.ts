// Turns the float boundary of a model into I/O descriptors. A float32 input feeding only a QUANTIZE to int8,
// or a float32 output made by a DEQUANTIZE from int8, is a wrapper the caller can apply itself; removing it
// lets the runtime work purely on int8 and tells the caller the scale and zero point to convert with.
// QUANTIZE between integer types (uint8 ↔ int8, int8 requantization) stays an operator, boundary or not: it
// is real arithmetic the runtime must reproduce bit-exactly, and the descriptor then says the caller's dtype
// is the tensor's own dtype.
import { Graph, IoDescriptor, Operator, Tensor } from './graph';
import { consumersOf } from './graph-queries';

function perTensorInt8(t: Tensor | undefined): t is Tensor & { quantization: NonNullable<Tensor['quantization']> } {
  return t?.dtype === 'int8' && t.quantization?.scale.length === 1;
}

/** Descriptor for a tensor the caller exchanges as-is. */
function asIs(t: Tensor): IoDescriptor {
  const q = t.quantization?.scale.length === 1 ? { scale: t.quantization.scale[0], zeroPoint: t.quantization.zeroPoint[0] } : {};
  return { tensor: t.index, name: t.name, shape: [...t.shape], external: { dtype: t.dtype, ...q } };
}

/** Descriptor for an int8 tensor the caller sees as float32 through the removed QUANTIZE/DEQUANTIZE. */
function throughFloat(inner: Tensor & { quantization: NonNullable<Tensor['quantization']> }, outer: Tensor): IoDescriptor {
  return {
    tensor: inner.index, name: outer.name, shape: [...inner.shape],
    external: { dtype: 'float32', scale: inner.quantization.scale[0], zeroPoint: inner.quantization.zeroPoint[0] },
  };
}

export function boundaryIo(graph: Graph): Graph {
  const consumers = consumersOf(graph.operators);
  const producer = new Map<number, number>();
  graph.operators.forEach((op, i) => op.outputs.forEach((t) => producer.set(t, i)));
  const removed = new Set<number>();
  const isBoundaryTensor = (t: number): boolean => graph.inputs.includes(t) || graph.outputs.includes(t);

  const inputs: IoDescriptor[] = graph.inputs.map((id) => {
    const outer = graph.tensors[id];
    const readers = consumers.get(id) ?? [];
    const op: Operator | undefined = readers.length === 1 ? graph.operators[readers[0]] : undefined;
    const inner = op?.type === 'QUANTIZE' ? graph.tensors[op.outputs[0]] : undefined;
    if (outer.dtype === 'float32' && !graph.outputs.includes(id) && op && perTensorInt8(inner) && !isBoundaryTensor(inner.index)) {
      removed.add(readers[0]);
      return throughFloat(inner, outer);
    }
    return asIs(outer);
  });

  const outputs: IoDescriptor[] = graph.outputs.map((id) => {
    const outer = graph.tensors[id];
    const at = producer.get(id);
    const op = at === undefined ? undefined : graph.operators[at];
    const inner = op?.type === 'DEQUANTIZE' ? graph.tensors[op.inputs[0]] : undefined;
    const readLater = (consumers.get(id) ?? []).length > 0;
    if (outer.dtype === 'float32' && at !== undefined && !readLater && perTensorInt8(inner) && !graph.inputs.includes(id)) {
      removed.add(at);
      return throughFloat(inner, outer);
    }
    return asIs(outer);
  });

  return {
    ...graph,
    operators: graph.operators.filter((_, i) => !removed.has(i)),
    inputs: inputs.map((d) => d.tensor),
    outputs: outputs.map((d) => d.tensor),
    io: { inputs, outputs },
  };
}
