// Folds an explicit PAD into the convolution it feeds: the conv's implicit padding reads the input zero point,
// which is exactly what PAD writes for a quantized tensor (and 0.0 for float), so the result is identical and
// the padded copy of the activation — often the largest buffer in the model — never exists.
import { Graph, Operator, Quantization, Tensor } from './graph';
import { consumersOf } from './graph-queries';

/** The [rank, 2] pad amounts of a PAD operator, or undefined if they are not a constant we can read. */
function padAmounts(tensor: Tensor | undefined): number[][] | undefined {
  if (!tensor?.data || tensor.shape.length !== 2 || tensor.shape[1] !== 2) return undefined;
  const view = new DataView(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
  const rows: number[][] = [];
  for (let r = 0; r < tensor.shape[0]; r++) {
    const read = (c: number): number => {
      const i = r * 2 + c;
      if (tensor.dtype === 'int32') return view.getInt32(i * 4, true);
      return Number(view.getBigInt64(i * 8, true));
    };
    if (tensor.dtype !== 'int32' && tensor.dtype !== 'int64') return undefined;
    rows.push([read(0), read(1)]);
  }
  return rows;
}

function sameQuantization(a?: Quantization, b?: Quantization): boolean {
  if (!a || !b) return a === b;
  return a.scale.length === 1 && b.scale.length === 1 && a.scale[0] === b.scale[0] && a.zeroPoint[0] === b.zeroPoint[0];
}

/** The conv a PAD may fold into, with the pads to add, or undefined when folding would change the result. */
function foldTarget(graph: Graph, pad: Operator, consumers: Map<number, number[]>): { conv: number; pads: number[][] } | undefined {
  const [input, amounts] = [graph.tensors[pad.inputs[0]], graph.tensors[pad.inputs[1]]];
  const output = pad.outputs[0];
  const pads = padAmounts(amounts);
  if (!input || !pads || pads.length !== 4 || pad.outputs.length !== 1) return undefined;
  // Only spatial padding can move into the conv; batch and channel pads would change the tensor it sees.
  if ([0, 3].some((axis) => pads[axis][0] !== 0 || pads[axis][1] !== 0) || pads.flat().some((p) => p < 0)) return undefined;
  // PAD writes its output's zero point; the conv reads the tensor it will now take (PAD's input) with that
  // tensor's zero point, so both must carry the same quantization.
  if (!sameQuantization(input.quantization, graph.tensors[output]?.quantization)) return undefined;
  if (graph.outputs.includes(output)) return undefined;
  const readers = consumers.get(output) ?? [];
  if (readers.length !== 1) return undefined;
  const conv = graph.operators[readers[0]];
  if ((conv.type !== 'CONV_2D' && conv.type !== 'DEPTHWISE_CONV_2D') || conv.inputs[0] !== output || conv.inputs.indexOf(output, 1) !== -1) return undefined;
  return { conv: readers[0], pads };
}

export function foldPads(graph: Graph): Graph {
  const consumers = consumersOf(graph.operators);
  const removed = new Set<number>();
  const operators = graph.operators.map((op) => ({ ...op }));
  operators.forEach((pad, position) => {
    if (pad.type !== 'PAD') return;
    const target = foldTarget(graph, pad, consumers);
    if (!target) return;
    const conv = operators[target.conv];
    if (conv.options.kind !== 'conv' && conv.options.kind !== 'depthwise') return;
    const [, [top, bottom], [left, right]] = target.pads;
    const p = conv.options.padding;
    conv.options = { ...conv.options, padding: { top: p.top + top, bottom: p.bottom + bottom, left: p.left + left, right: p.right + right } };
    conv.inputs = [pad.inputs[0], ...conv.inputs.slice(1)];
    removed.add(position);
  });
  return { ...graph, operators: operators.filter((_, i) => !removed.has(i)) };
}
