// Which operators may write their output over an input (the executor contract in docs/memory-plan.md).
// This file checks the op's own structure only; the planners add "the input dies here" and, in the patch
// stage, the per-patch region conditions.
import { Graph, Operator, Tensor } from '../model/graph';
import { DataFlow } from './op-analysis';
import { AliasKind } from './types';

export interface InPlaceCandidate { input: number; kind: AliasKind }

function sameShape(a: Tensor, b: Tensor): boolean {
  return a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
}

function pixels(t: Tensor): number {
  return t.shape.slice(0, -1).reduce((a, b) => a * b, 1);
}

/** Inputs the op could overwrite, best first; RESHAPE is always an alias, not an in-place computation. */
export function inPlaceCandidates(graph: Graph, op: Operator, flow: DataFlow): InPlaceCandidate[] {
  const out = graph.tensors[op.outputs[0]];
  const data = op.inputs[0];
  if (op.outputs.length !== 1 || data < 0 || !flow.isActivation[data]) return [];
  const input = graph.tensors[data];
  const o = op.options;
  if (op.type === 'RESHAPE') return [{ input: data, kind: 'reshape' }];
  if (input.dtype !== 'int8' || out.dtype !== 'int8') return [];
  if (op.type === 'DEPTHWISE_CONV_2D' && o.kind === 'depthwise' && o.depthMultiplier === 1 && pixels(out) <= pixels(input)) {
    return [{ input: data, kind: 'depthwise' }];
  }
  if (op.type === 'CONV_2D' && o.kind === 'conv') {
    const w = graph.tensors[op.inputs[1]].shape;
    const unpadded = o.padding.top === 0 && o.padding.bottom === 0 && o.padding.left === 0 && o.padding.right === 0;
    const pointwise = w[1] === 1 && w[2] === 1 && o.strideH === 1 && o.strideW === 1 && unpadded;
    const cin = input.shape[input.shape.length - 1];
    const cout = out.shape[out.shape.length - 1];
    if (pointwise && cout <= cin) return [{ input: data, kind: 'pointwise' }];
    return [];
  }
  if (op.type === 'LEAKY_RELU') return sameShape(input, out) ? [{ input: data, kind: 'elementwise' }] : [];
  if (op.type === 'ADD' || op.type === 'MUL') {
    return op.inputs
      .filter((t, i) => t >= 0 && flow.isActivation[t] && op.inputs.indexOf(t) === i)
      .filter((t) => sameShape(graph.tensors[t], out) && graph.tensors[t].dtype === out.dtype)
      // The earliest-produced operand first: a residual add then writes into its block input (the trunk),
      // whatever the operand order in the file, so one long-lived buffer carries the residual stream.
      .sort((a, b) => flow.producer[a] - flow.producer[b])
      .map((t) => ({ input: t, kind: 'elementwise' as const }));
  }
  return [];
}

/** Scratch the in-place algorithm needs (bytes, outside the arena) for an output of `outPixels` × `cout`. */
export function inPlaceScratch(kind: AliasKind, outPixels: number, cout: number): number {
  if (kind === 'depthwise') return outPixels;
  if (kind === 'pointwise') return cout;
  return 0;
}
