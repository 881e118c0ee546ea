// The importer against the shared models: every tensor and operator compared with an independent walk of the
// flatbuffer, I/O compared with the TFLM golden manifest, and padding checked against hand-derived values.
import * as fs from 'fs';
import * as path from 'path';
import { DType, Graph, loadModel, ModelError, parseModel } from '../../../harness/model';
import { SHARED_GOLDEN, SHARED_MODELS, sharedModel } from '../../support/paths';
import { walkModel } from './flatbuffer-walker';

const MODELS = fs.readdirSync(SHARED_MODELS).filter((f) => f.endsWith('.tflite')).sort();

/** Each model is parsed once for the whole file (parsing the set is most of this suite's time). */
const parsed = new Map<string, Graph>();
function rawGraph(name: string): Graph {
  const file = sharedModel(name);
  if (!parsed.has(file)) parsed.set(file, loadModel(file, { normalise: false }));
  return parsed.get(file)!;
}

// TFLite builtin operator codes and tensor type codes, copied by hand from schema.fbs.
const OP_CODES: Record<string, number> = {
  ADD: 0, AVERAGE_POOL_2D: 1, CONCATENATION: 2, CONV_2D: 3, DEPTHWISE_CONV_2D: 4, DEQUANTIZE: 6, FULLY_CONNECTED: 9,
  MAX_POOL_2D: 17, MUL: 18, RESHAPE: 22, RESIZE_BILINEAR: 23, SOFTMAX: 25, PAD: 34, TRANSPOSE: 39, MEAN: 40,
  STRIDED_SLICE: 45, TILE: 69, SHAPE: 77, PACK: 83, RESIZE_NEAREST_NEIGHBOR: 97, LEAKY_RELU: 98, QUANTIZE: 114,
};
const TYPE_CODES: Record<DType, number> = { float32: 0, float16: 1, int32: 2, uint8: 3, int64: 4, bool: 6, int16: 7, int8: 9 };

test('the shared model set is the expected 16 files', () => {
  expect(MODELS).toHaveLength(16);
});

describe.each(MODELS)('%s', (file) => {
  const bytes = new Uint8Array(fs.readFileSync(path.join(SHARED_MODELS, file)));
  const walked = walkModel(bytes);
  const graph = rawGraph(file);

  test('tensors match the raw flatbuffer', () => {
    expect(graph.tensors).toHaveLength(walked.tensors.length);
    graph.tensors.forEach((t, i) => {
      const w = walked.tensors[i];
      expect(t.index).toBe(i);
      expect(t.name).toBe(w.name);
      expect(t.shape).toEqual(w.shape);
      expect(TYPE_CODES[t.dtype]).toBe(w.type);
      expect(t.quantization?.scale ?? []).toEqual(w.scale);
      expect(t.quantization?.zeroPoint ?? []).toEqual(w.zeroPoint);
      expect(t.data?.length ?? 0).toBe(w.bufferBytes);
      if (w.scale.length > 1) expect(t.shape[t.quantization!.axis]).toBe(w.scale.length);
    });
  });

  test('operators match the raw flatbuffer in file order', () => {
    expect(graph.operators.map((op) => OP_CODES[op.type])).toEqual(walked.operators.map((op) => op.code));
    graph.operators.forEach((op, i) => {
      expect(op.index).toBe(i);
      expect(op.inputs).toEqual(walked.operators[i].inputs);
      expect(op.outputs).toEqual(walked.operators[i].outputs);
    });
    expect(graph.inputs).toEqual(walked.inputs);
    expect(graph.outputs).toEqual(walked.outputs);
  });

  test('explicit padding reproduces every convolution and pool output size', () => {
    for (const op of graph.operators) {
      const o = op.options;
      if (o.kind !== 'conv' && o.kind !== 'depthwise' && o.kind !== 'pool') continue;
      const input = graph.tensors[op.inputs[0]].shape;
      const output = graph.tensors[op.outputs[0]].shape;
      const filter = o.kind === 'pool' ? [0, o.filterH, o.filterW] : graph.tensors[op.inputs[1]].shape;
      const [dH, dW] = o.kind === 'pool' ? [1, 1] : [o.dilationH, o.dilationW];
      const outH = Math.floor((input[1] + o.padding.top + o.padding.bottom - ((filter[1] - 1) * dH + 1)) / o.strideH) + 1;
      const outW = Math.floor((input[2] + o.padding.left + o.padding.right - ((filter[2] - 1) * dW + 1)) / o.strideW) + 1;
      expect([outH, outW]).toEqual([output[1], output[2]]);
      // TFLite puts the odd pixel of SAME padding at the bottom/right, never more than one.
      expect(o.padding.bottom - o.padding.top).toBeGreaterThanOrEqual(0);
      expect(o.padding.bottom - o.padding.top).toBeLessThanOrEqual(1);
    }
  });
});

describe('I/O against the TFLM golden manifest', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(SHARED_GOLDEN, 'manifest.json'), 'utf8')) as {
    models: Record<string, { tensors: string[] }>;
  };
  const line = /^(input|output)\[(\d+)\] tensor #(\d+) '(.*)': shape \[([\d,]*)\] dtype (\w+) bytes \d+ (?:scale (\S+) zero_point (-?\d+)|\(not quantized\))$/;
  test.each(Object.keys(manifest.models))('%s', (name) => {
    const graph = rawGraph(name);
    const entries = manifest.models[name].tensors.map((t) => line.exec(t)).filter((m): m is RegExpExecArray => m !== null);
    expect(entries.length).toBeGreaterThanOrEqual(2);
    for (const [, kind, position, id, tensorName, shape, dtype, scale, zeroPoint] of entries) {
      const tensorId = (kind === 'input' ? graph.inputs : graph.outputs)[Number(position)];
      expect(tensorId).toBe(Number(id));
      const t = graph.tensors[tensorId];
      expect(t.name).toBe(tensorName);
      expect(t.shape).toEqual(shape.split(',').map(Number));
      expect(t.dtype).toBe(dtype);
      if (scale === undefined) expect(t.quantization).toBeUndefined();
      else {
        expect(t.quantization!.scale[0]).toBeCloseTo(Number(scale), 9);
        expect(t.quantization!.zeroPoint[0]).toBe(Number(zeroPoint));
      }
    }
  });
});

describe('hand-derived values', () => {
  const vww = rawGraph('mlperf_tiny_vww_96_int8');

  test('first conv of the MLPerf VWW model: 3x3 stride 2 SAME on 96 pixels pads 0 before and 1 after', () => {
    // total = max((48 - 1) * 2 + 3 - 96, 0) = 1 → top = floor(1 / 2) = 0, bottom = 1.
    const first = vww.operators[0];
    expect(first.type).toBe('CONV_2D');
    expect(vww.tensors[first.outputs[0]].shape).toEqual([1, 48, 48, 8]);
    expect(first.options).toMatchObject({ kind: 'conv', strideH: 2, strideW: 2, padding: { top: 0, bottom: 1, left: 0, right: 1 } });
  });

  test('person_detect biases carry per-channel quantization on axis 0 despite the stored axis 3', () => {
    const g = rawGraph('person_detect');
    const bias = g.tensors[g.operators[0].inputs[2]];
    expect(bias.shape).toHaveLength(1);
    expect(bias.quantization!.scale).toHaveLength(bias.shape[0]);
    expect(bias.quantization!.axis).toBe(0);
  });

  test('constant data is a plain Uint8Array copy, not a view of the file', () => {
    const filter = vww.tensors[vww.operators[0].inputs[1]];
    expect(Object.getPrototypeOf(filter.data)).toBe(Uint8Array.prototype);
    expect(filter.data!.byteOffset).toBe(0);
    expect(filter.data!.buffer.byteLength).toBe(filter.data!.length);
  });
});

test('parseModel on the bytes gives what loadModel gives on the path', () => {
  const file = sharedModel('mlperf_tiny_kws_ref_model');
  const fromBytes = parseModel(new Uint8Array(fs.readFileSync(file)), file);
  expect(fromBytes).toEqual(loadModel(file));
  expect(fromBytes.source).toBe(file);
});

test('a missing file is a ModelError that names it', () => {
  expect(() => loadModel('/nonexistent/model.tflite')).toThrow(ModelError);
  expect(() => loadModel('/nonexistent/model.tflite')).toThrow(/\/nonexistent\/model\.tflite: cannot read model: file not found/);
});

