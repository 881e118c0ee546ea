// Normalisation on real models: PAD folding, boundary QUANTIZE/DEQUANTIZE to I/O descriptors, RESHAPE operands,
// dead shape-computation chains, and renumbering — each checked against the un-normalised graph of the same file.
import * as fs from 'fs';
import { Graph, loadModel, normaliseGraph, Operator } from '../../../harness/model';
import { SHARED_MODELS, sharedModel } from '../../support/paths';
import { walkModel } from './flatbuffer-walker';

const MODELS = fs.readdirSync(SHARED_MODELS).filter((f) => f.endsWith('.tflite')).sort();
const load = (name: string): [Graph, Graph] => [loadModel(sharedModel(name), { normalise: false }), loadModel(sharedModel(name))];

/** Every operator input is a constant, a graph input or the output of an earlier operator. */
function expectWellFormed(g: Graph): void {
  const available = new Set(g.inputs);
  g.operators.forEach((op, i) => {
    expect(op.index).toBe(i);
    for (const t of op.inputs) if (t >= 0 && !g.tensors[t].data) expect(available.has(t)).toBe(true);
    op.outputs.forEach((t) => available.add(t));
  });
  for (const t of g.outputs) expect(available.has(t)).toBe(true);
}

describe.each(MODELS)('%s normalises to a well-formed graph', (file) => {
  test('structure and descriptors', () => {
    const g = loadModel(`${SHARED_MODELS}/${file}`);
    expectWellFormed(g);
    expect(g.io!.inputs.map((d) => d.tensor)).toEqual(g.inputs);
    expect(g.io!.outputs.map((d) => d.tensor)).toEqual(g.outputs);
    for (const d of [...g.io!.inputs, ...g.io!.outputs]) {
      const t = g.tensors[d.tensor];
      expect(d.shape).toEqual(t.shape);
      // The caller's dtype differs from the tensor's only across a removed float wrapper.
      if (d.external.dtype !== t.dtype) expect([d.external.dtype, t.dtype]).toEqual(['float32', 'int8']);
      if (t.quantization) expect([d.external.scale, d.external.zeroPoint]).toEqual([t.quantization.scale[0], t.quantization.zeroPoint[0]]);
    }
    for (const op of g.operators) if (op.type === 'RESHAPE') {
      expect(op.inputs).toHaveLength(1);
      expect(op.options).toEqual({ kind: 'reshape', newShape: g.tensors[op.outputs[0]].shape });
    }
  });
});

describe('PAD folding', () => {
  test('mcunet-in3: every PAD feeding a single conv is folded into its padding', () => {
    const [raw, g] = load('mcunet-in3_320kb-1mb_imagenet');
    const bytes = new Uint8Array(fs.readFileSync(sharedModel('mcunet-in3_320kb-1mb_imagenet')));
    const walked = walkModel(bytes);
    const pads = raw.operators.filter((op) => op.type === 'PAD');
    expect(pads).toHaveLength(54);
    expect(g.operators.filter((op) => op.type === 'PAD')).toHaveLength(0);
    expect(g.operators).toHaveLength(raw.operators.length - 54);
    for (const pad of pads) {
      const rawConv = raw.operators.find((op) => op.inputs[0] === pad.outputs[0]) as Operator;
      const conv = g.operators.find((op) => op.outputs[0] === rawConv.outputs[0]) as Operator;
      expect(conv.inputs).toEqual([pad.inputs[0], ...rawConv.inputs.slice(1)]);
      // Pad amounts read straight from the file's int32 [4,2] paddings tensor (rows N, H, W, C).
      const amounts = walked.tensors[pad.inputs[1]];
      expect(amounts.shape).toEqual([4, 2]);
      const view = new DataView(raw.tensors[pad.inputs[1]].data!.buffer);
      const [top, bottom, left, right] = [2, 3, 4, 5].map((i) => view.getInt32(i * 4, true));
      if (rawConv.options.kind !== 'conv' && rawConv.options.kind !== 'depthwise') throw new Error('not a conv');
      if (conv.options.kind !== rawConv.options.kind) throw new Error('kind changed');
      const before = rawConv.options.padding;
      expect(conv.options.padding).toEqual({ top: before.top + top, bottom: before.bottom + bottom, left: before.left + left, right: before.right + right });
    }
    expect(pads.some((pad) => raw.tensors[pad.inputs[1]].data!.some((b) => b !== 0))).toBe(true);
  });

  test('st_ssd: a PAD feeding an ADD stays', () => {
    const [raw, g] = load('st_ssd_mobilenet_v1_025_192_person_int8');
    const kept = g.operators.filter((op) => op.type === 'PAD');
    expect(raw.operators.filter((op) => op.type === 'PAD')).toHaveLength(5);
    expect(kept).toHaveLength(1);
    expect(g.operators.filter((op) => op.inputs.includes(kept[0].outputs[0])).map((op) => op.type)).toEqual(['ADD']);
  });

  test('a PAD whose output has a different zero point than its input is not folded', () => {
    const [raw] = load('tinyengine_vww');
    const pad = raw.operators.find((op) => op.type === 'PAD')!;
    const output = raw.tensors[pad.outputs[0]];
    const tensors = raw.tensors.map((t) => (t === output ? { ...t, quantization: { ...t.quantization!, zeroPoint: [t.quantization!.zeroPoint[0] + 1] } } : t));
    const g = normaliseGraph({ ...raw, tensors });
    expect(raw.operators.filter((op) => op.type === 'PAD')).toHaveLength(4);
    expect(g.operators.filter((op) => op.type === 'PAD')).toEqual([expect.objectContaining({ inputs: pad.inputs, outputs: pad.outputs })]);
  });
});

describe('boundary QUANTIZE/DEQUANTIZE', () => {
  test('tinyengine_vww: float I/O becomes descriptors over the int8 tensors', () => {
    const [raw, g] = load('tinyengine_vww');
    expect(raw.tensors[raw.inputs[0]].dtype).toBe('float32');
    const quantize = raw.operators[0];
    const dequantize = raw.operators[raw.operators.length - 1];
    expect([quantize.type, dequantize.type]).toEqual(['QUANTIZE', 'DEQUANTIZE']);
    expect(g.operators.some((op) => op.type === 'QUANTIZE' || op.type === 'DEQUANTIZE')).toBe(false);
    expect(g.inputs).toEqual(quantize.outputs);
    expect(g.outputs).toEqual([dequantize.inputs[0]]);
    // Values from the file itself: the QUANTIZE output and DEQUANTIZE input tensors' quantization.
    const walked = walkModel(new Uint8Array(fs.readFileSync(sharedModel('tinyengine_vww'))));
    const qIn = walked.tensors[quantize.outputs[0]];
    const qOut = walked.tensors[dequantize.inputs[0]];
    expect(g.io!.inputs).toEqual([{ tensor: quantize.outputs[0], name: 'input_0_f.1', shape: [1, 80, 80, 3], external: { dtype: 'float32', scale: qIn.scale[0], zeroPoint: qIn.zeroPoint[0] } }]);
    expect(g.io!.outputs).toEqual([{ tensor: dequantize.inputs[0], name: '1422', shape: [1, 2], external: { dtype: 'float32', scale: qOut.scale[0], zeroPoint: qOut.zeroPoint[0] } }]);
    expect(g.tensors[g.inputs[0]].dtype).toBe('int8');
  });

  test('tf2_mobilenet_v2: uint8 <-> int8 QUANTIZE at both ends stays an operator', () => {
    const [raw, g] = load('tf2_mobilenet_v2_1.0_224_ptq');
    expect(g.operators.filter((op) => op.type === 'QUANTIZE')).toHaveLength(2);
    expect(g.inputs).toEqual(raw.inputs);
    expect(g.io!.inputs[0].external).toEqual({ dtype: 'uint8', scale: raw.tensors[raw.inputs[0]].quantization!.scale[0], zeroPoint: 127 });
    expect(g.io!.outputs[0].external.dtype).toBe('uint8');
  });

  test('int8 models get descriptors with their own dtype and quantization', () => {
    const [raw, g] = load('person_detect');
    expect(g.operators).toHaveLength(raw.operators.length);
    expect(g.io!.inputs[0]).toEqual({ tensor: 88, name: 'input', shape: [1, 96, 96, 1], external: { dtype: 'int8', scale: raw.tensors[88].quantization!.scale[0], zeroPoint: -1 } });
  });

  test('tinyengine_person_detection: all three float outputs lose their DEQUANTIZE', () => {
    const [raw, g] = load('tinyengine_person_detection');
    expect(raw.outputs.map((t) => raw.tensors[t].dtype)).toEqual(['float32', 'float32', 'float32']);
    expect(g.io!.outputs.map((d) => [d.external.dtype, g.tensors[d.tensor].dtype])).toEqual([['float32', 'int8'], ['float32', 'int8'], ['float32', 'int8']]);
    expect(g.operators).toHaveLength(raw.operators.length - 5 - 1 - 3);
  });
});

describe('RESHAPE operands and dead operators', () => {
  test('st_ssd: reshapes whose shape came from SHAPE/STRIDED_SLICE/PACK lose that chain; TILE keeps its own', () => {
    const [raw, g] = load('st_ssd_mobilenet_v1_025_192_person_int8');
    const count = (graph: Graph, type: string) => graph.operators.filter((op) => op.type === type).length;
    expect([count(raw, 'SHAPE'), count(raw, 'STRIDED_SLICE'), count(raw, 'PACK'), count(raw, 'TILE')]).toEqual([21, 21, 21, 5]);
    // Every remaining shape-computing chain feeds a TILE's multiples operand.
    expect([count(g, 'SHAPE'), count(g, 'STRIDED_SLICE'), count(g, 'PACK'), count(g, 'TILE')]).toEqual([5, 5, 5, 5]);
    for (const pack of g.operators.filter((op) => op.type === 'PACK')) {
      expect(g.operators.filter((op) => op.inputs.includes(pack.outputs[0])).map((op) => op.type)).toEqual(['TILE']);
    }
    expect(count(g, 'RESHAPE')).toBe(16);
  });

  test('normalisation leaves its input graph untouched', () => {
    const [raw] = load('mcunet-in3_320kb-1mb_imagenet');
    const before = JSON.stringify(raw, (_, v) => (v instanceof Uint8Array ? v.length : v));
    normaliseGraph(raw);
    expect(JSON.stringify(raw, (_, v) => (v instanceof Uint8Array ? v.length : v))).toBe(before);
  });
});
