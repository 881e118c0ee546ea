// Builds int8 NHWC graphs in the same IR the importer produces (normalised: padding explicit, no PAD ops),
// so built-in architectures exercise the planners on the same code path. Weights carry shape but no data.
import { Activation, Graph, Operator, OpOptions, OpType, Padding, Tensor } from '../../model/graph';

/** 'same' is TFLite SAME (extra pixel at the bottom/right); 'symmetric' is PyTorch-style (k−1)/2·d each side. */
export type PadStyle = 'same' | 'symmetric' | 'valid';

export interface WindowSpec { kernel: number; stride: number; dilation?: number; pad: PadStyle }

function outSize(inSize: number, k: number, s: number, d: number, style: PadStyle): { out: number; before: number; after: number } {
  const span = (k - 1) * d + 1;
  if (style === 'valid') return { out: Math.floor((inSize - span) / s) + 1, before: 0, after: 0 };
  if (style === 'symmetric') {
    const pad = Math.floor(((k - 1) * d) / 2);
    return { out: Math.floor((inSize + 2 * pad - span) / s) + 1, before: pad, after: pad };
  }
  const out = Math.ceil(inSize / s);
  const total = Math.max((out - 1) * s + span - inSize, 0);
  return { out, before: Math.floor(total / 2), after: total - Math.floor(total / 2) };
}

export class GraphBuilder {
  private readonly tensors: Tensor[] = [];
  private readonly operators: Operator[] = [];
  private readonly inputs: number[] = [];

  constructor(private readonly source: string) {}

  private tensor(name: string, shape: number[], dtype: Tensor['dtype'] = 'int8'): number {
    const index = this.tensors.length;
    this.tensors.push({ index, name, shape, dtype });
    return index;
  }

  private op(type: OpType, inputs: number[], outShape: number[], options: OpOptions): number {
    const out = this.tensor(`${type.toLowerCase()}_${this.operators.length}`, outShape);
    this.operators.push({ index: this.operators.length, type, inputs, outputs: [out], options });
    return out;
  }

  shape(t: number): number[] {
    return this.tensors[t].shape;
  }

  input(height: number, width: number, channels: number): number {
    const t = this.tensor('input', [1, height, width, channels]);
    this.inputs.push(t);
    return t;
  }

  private window(x: number, w: WindowSpec): { oh: number; ow: number; padding: Padding } {
    const [, h, wd] = this.shape(x);
    const d = w.dilation ?? 1;
    const v = outSize(h, w.kernel, w.stride, d, w.pad);
    const u = outSize(wd, w.kernel, w.stride, d, w.pad);
    return { oh: v.out, ow: u.out, padding: { top: v.before, bottom: v.after, left: u.before, right: u.after } };
  }

  conv(x: number, cout: number, w: WindowSpec, activation: Activation = 'RELU6'): number {
    const cin = this.shape(x)[3];
    const { oh, ow, padding } = this.window(x, w);
    const weights = this.tensor(`w${this.operators.length}`, [cout, w.kernel, w.kernel, cin]);
    const bias = this.tensor(`b${this.operators.length}`, [cout], 'int32');
    const d = w.dilation ?? 1;
    return this.op('CONV_2D', [x, weights, bias], [1, oh, ow, cout], {
      kind: 'conv', padding, strideH: w.stride, strideW: w.stride, dilationH: d, dilationW: d, activation,
    });
  }

  depthwise(x: number, w: WindowSpec, activation: Activation = 'RELU6'): number {
    const c = this.shape(x)[3];
    const { oh, ow, padding } = this.window(x, w);
    const weights = this.tensor(`w${this.operators.length}`, [1, w.kernel, w.kernel, c]);
    const bias = this.tensor(`b${this.operators.length}`, [c], 'int32');
    const d = w.dilation ?? 1;
    return this.op('DEPTHWISE_CONV_2D', [x, weights, bias], [1, oh, ow, c], {
      kind: 'depthwise', padding, strideH: w.stride, strideW: w.stride, dilationH: d, dilationW: d, depthMultiplier: 1, activation,
    });
  }

  add(a: number, b: number): number {
    return this.op('ADD', [a, b], [...this.shape(a)], { kind: 'elementwise', activation: 'NONE' });
  }

  leakyRelu(x: number, alpha = 0.1): number {
    return this.op('LEAKY_RELU', [x], [...this.shape(x)], { kind: 'leakyRelu', alpha });
  }

  averagePool(x: number, w: WindowSpec): number {
    const { oh, ow, padding } = this.window(x, w);
    return this.op('AVERAGE_POOL_2D', [x], [1, oh, ow, this.shape(x)[3]], {
      kind: 'pool', padding, strideH: w.stride, strideW: w.stride, filterH: w.kernel, filterW: w.kernel, activation: 'NONE',
    });
  }

  reshape(x: number, shape: number[]): number {
    const shapeOperand = this.tensor(`shape${this.operators.length}`, [shape.length], 'int32');
    return this.op('RESHAPE', [x, shapeOperand], shape, { kind: 'reshape', newShape: shape });
  }

  fullyConnected(x: number, units: number): number {
    const depth = this.shape(x)[this.shape(x).length - 1];
    const weights = this.tensor(`w${this.operators.length}`, [units, depth]);
    const bias = this.tensor(`b${this.operators.length}`, [units], 'int32');
    return this.op('FULLY_CONNECTED', [x, weights, bias], [1, units], { kind: 'fullyConnected', activation: 'NONE', keepNumDims: false });
  }

  build(output: number): Graph {
    const descriptor = (t: number) => ({ tensor: t, name: this.tensors[t].name, shape: [...this.shape(t)], external: { dtype: 'int8' as const } });
    return {
      source: this.source,
      tensors: this.tensors,
      operators: this.operators,
      inputs: [...this.inputs],
      outputs: [output],
      io: { inputs: this.inputs.map(descriptor), outputs: [descriptor(output)] },
    };
  }
}
