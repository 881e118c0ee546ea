// Per-operator facts the planners need: which tensors are activations, who produces and reads them,
// MACs by the conventional count, and the sliding-window geometry of spatial ops.
import { DTYPE_BYTES, Graph, Operator, Tensor, tensorBytes } from '../model/graph';
import { PlanError } from './plan-error';

/** Producer and readers of every activation (a tensor produced by an op, or a graph input). */
export interface DataFlow {
  isActivation: boolean[];
  /** Operator that writes the tensor, -1 for graph inputs and constants. */
  producer: number[];
  /** Operators that read the tensor, ascending. */
  consumers: number[][];
  graphInputs: Set<number>;
  graphOutputs: Set<number>;
}

export function dataFlow(graph: Graph): DataFlow {
  const n = graph.tensors.length;
  const producer = new Array<number>(n).fill(-1);
  const consumers: number[][] = Array.from({ length: n }, () => []);
  const isActivation = new Array<boolean>(n).fill(false);
  for (const t of graph.inputs) isActivation[t] = true;
  for (const op of graph.operators) {
    for (const t of op.outputs) {
      if (t < 0) continue;
      producer[t] = op.index;
      isActivation[t] = true;
    }
    for (const t of new Set(op.inputs)) if (t >= 0) consumers[t].push(op.index);
  }
  return { isActivation, producer, consumers, graphInputs: new Set(graph.inputs), graphOutputs: new Set(graph.outputs) };
}

/** Activation inputs of an op (constants and omitted inputs dropped), in input order, without repeats. */
export function activationInputs(op: Operator, flow: DataFlow): number[] {
  return [...new Set(op.inputs.filter((t) => t >= 0 && flow.isActivation[t]))];
}

/** Sliding-window geometry of a spatial op; elementwise ops are the 1×1 identity window. */
export interface Window {
  kh: number; kw: number; sh: number; sw: number; dh: number; dw: number; padTop: number; padLeft: number;
}

const IDENTITY: Window = { kh: 1, kw: 1, sh: 1, sw: 1, dh: 1, dw: 1, padTop: 0, padLeft: 0 };

export function opWindow(graph: Graph, op: Operator): Window {
  const o = op.options;
  if (o.kind === 'conv' || o.kind === 'depthwise') {
    const w = weightShape(graph, op);
    return { kh: w[1], kw: w[2], sh: o.strideH, sw: o.strideW, dh: o.dilationH, dw: o.dilationW, padTop: o.padding.top, padLeft: o.padding.left };
  }
  if (o.kind === 'pool') {
    return { kh: o.filterH, kw: o.filterW, sh: o.strideH, sw: o.strideW, dh: 1, dw: 1, padTop: o.padding.top, padLeft: o.padding.left };
  }
  return IDENTITY;
}

function weightShape(graph: Graph, op: Operator): number[] {
  const w = graph.tensors[op.inputs[1]];
  if (!w || w.shape.length !== 4) {
    throw new PlanError(`${graph.source}: operator ${op.index} (${op.type}): expected a 4-D weight tensor as input 1`);
  }
  return w.shape;
}

function numel(t: Tensor): number {
  return t.shape.reduce((a, b) => a * b, 1);
}

/**
 * MACs of one output pixel (all its channels), for ops with a spatial output. Convention: only CONV_2D,
 * DEPTHWISE_CONV_2D and FULLY_CONNECTED count (kernel taps × input channels per output value, padding taps
 * included); pools and elementwise ops are 0. This is the count published figures use (MobileNetV2 ≈ 300M).
 */
export function macsPerOutputPixel(graph: Graph, op: Operator): number {
  const out = graph.tensors[op.outputs[0]];
  const cout = out.shape[out.shape.length - 1];
  if (op.type === 'CONV_2D') {
    const w = weightShape(graph, op);
    return cout * w[1] * w[2] * w[3];
  }
  if (op.type === 'DEPTHWISE_CONV_2D') {
    const w = weightShape(graph, op);
    return cout * w[1] * w[2];
  }
  return 0;
}

export function opMacs(graph: Graph, op: Operator): number {
  if (op.type === 'FULLY_CONNECTED') {
    const w = graph.tensors[op.inputs[1]];
    const out = graph.tensors[op.outputs[0]];
    // Weights are [units, inputDepth]: each output value reads one row.
    return numel(out) * w.shape[w.shape.length - 1];
  }
  if (op.type !== 'CONV_2D' && op.type !== 'DEPTHWISE_CONV_2D') return 0;
  const out = graph.tensors[op.outputs[0]];
  const pixels = numel(out) / out.shape[out.shape.length - 1];
  return pixels * macsPerOutputPixel(graph, op);
}

/** Offset alignment a tensor needs in the arena: its element width (int32/float tensors are read by word). */
export function elementAlign(graph: Graph, tensor: number): number {
  return DTYPE_BYTES[graph.tensors[tensor].dtype];
}

export function activationBytes(graph: Graph, tensor: number): number {
  return tensorBytes(graph.tensors[tensor]);
}
