// Corrupt, truncated and hand-broken models: each must give a ModelError naming the file (and the operator
// when there is one) — never another error type, never a hang.
import * as fs from 'fs';
import { Graph, ModelError, parseModel } from '../../../harness/model';
import { sharedModel } from '../../support/paths';
import { Walker } from './flatbuffer-walker';
import { seededRandom } from '../../../harness/seeded-random';

const SOURCE = 'broken.tflite';

/** Parses and returns the graph, or the ModelError; any other throw fails the test with the variant's name. */
function attempt(bytes: Uint8Array, variant: string): Graph | ModelError {
  try {
    return parseModel(bytes, SOURCE);
  } catch (err) {
    if (!(err instanceof ModelError)) throw new Error(`${variant}: ${err instanceof Error ? err.stack : String(err)}`);
    expect(err.message.startsWith(`${SOURCE}: `)).toBe(true);
    // The reader's last-resort wrapper for unexpected exceptions must never be what caught the problem.
    if (/corrupt file \(/.test(err.message)) throw new Error(`${variant}: unexpected internal error: ${err.message}`);
    return err;
  }
}

function expectModelError(bytes: Uint8Array, pattern: RegExp, operatorIndex?: number): ModelError {
  const result = attempt(bytes, pattern.source);
  expect(result).toBeInstanceOf(ModelError);
  const err = result as ModelError;
  expect(err.message).toMatch(pattern);
  expect(err.operatorIndex).toBe(operatorIndex);
  return err;
}

const original = (name: string): Uint8Array => new Uint8Array(fs.readFileSync(sharedModel(name)));

/** Positions of the structural tables (model, subgraph, operators, tensors, opcodes, buffers) of a model. */
function tablePositions(bytes: Uint8Array): number[] {
  const w = new Walker(bytes);
  const model = w.root();
  const subgraph = w.tables(model, 2)[0];
  return [model, subgraph, ...w.tables(model, 1), ...w.tables(model, 4), ...w.tables(subgraph, 0), ...w.tables(subgraph, 3)];
}

describe.each(['mlperf_tiny_kws_ref_model', 'tinyengine_vww'])('fuzzed variants of %s', (name) => {
  const bytes = original(name);
  const tables = tablePositions(bytes);

  test('truncations', () => {
    const random = seededRandom(0x7f1e);
    const lengths = [0, 1, 4, 7, 8, 12, 64, ...Array.from({ length: 150 }, () => Math.floor(random() * bytes.length))];
    for (const length of lengths) {
      const result = attempt(bytes.slice(0, length), `truncated to ${length}`);
      // The flatbuffer's tables sit at both ends of the file, so no real truncation still holds a whole model.
      expect(result).toBeInstanceOf(ModelError);
    }
  });

  test('bit flips and overwritten words near the tables', () => {
    const random = seededRandom(0xb17f + bytes.length);
    let errors = 0;
    for (let variant = 0; variant < 200; variant++) {
      const copy = bytes.slice();
      const flips = 1 + Math.floor(random() * 4);
      for (let f = 0; f < flips; f++) {
        const near = tables[Math.floor(random() * tables.length)] + Math.floor(random() * 96) - 32;
        const at = Math.min(Math.max(near, 0), copy.length - 4);
        if (random() < 0.5) copy[at] ^= 1 << Math.floor(random() * 8);
        else new DataView(copy.buffer).setUint32(at, Math.floor(random() * 2 ** 32), true);
      }
      const result = attempt(copy, `variant ${variant}`);
      if (result instanceof ModelError) errors++;
    }
    // Most flips in the structure are caught; a few land in unused fields or names and parse fine.
    expect(errors).toBeGreaterThan(80);
  });
});

describe('hand-made corruptions', () => {
  const kws = original('mlperf_tiny_kws_ref_model');
  const w = new Walker(kws);
  const model = w.root();
  const subgraph = w.tables(model, 2)[0];
  const setInt = (bytes: Uint8Array, at: number, value: number) => new DataView(bytes.buffer).setInt32(at, value, true);
  const firstOperator = w.tables(subgraph, 3)[0];
  const firstTensor = w.tables(subgraph, 0)[0];

  test('too short to hold a header', () => {
    expectModelError(kws.slice(0, 6), /broken\.tflite: file is 6 bytes, too short to be a TFLite model/);
  });

  test('wrong file identifier', () => {
    const bytes = kws.slice();
    bytes.set([0x58, 0x58, 0x58, 0x58], 4);
    expectModelError(bytes, /not a TFLite model \(no "TFL3" file identifier/);
  });

  test('root offset past the end', () => {
    const bytes = kws.slice();
    setInt(bytes, 0, kws.length + 100);
    expectModelError(bytes, /root table offset \d+ lies outside the \d+-byte file/);
  });

  test('opcode index out of range names the operator', () => {
    const bytes = kws.slice();
    // Index 0 is the default and so not stored; pick the first operator whose opcode_index field exists.
    const operators = w.tables(subgraph, 3);
    const index = operators.findIndex((op) => w.field(op, 0) !== 0);
    setInt(bytes, w.field(operators[index], 0), 9999);
    expectModelError(bytes, new RegExp(`operator ${index}: opcode index 9999 is out of range \\(the model has \\d+ operator codes\\)`), index);
  });

  test('operator input tensor index out of range', () => {
    const bytes = kws.slice();
    const [inputs] = w.vector(firstOperator, 1);
    setInt(bytes, inputs, 123456);
    expectModelError(bytes, /operator 0: input 0 refers to tensor 123456, but the model has 35 tensors/, 0);
  });

  test('an operator reading a tensor that only a later operator writes', () => {
    const bytes = kws.slice();
    const [inputs] = w.vector(firstOperator, 1);
    setInt(bytes, inputs, w.ints(subgraph, 2)[0]);
    expectModelError(bytes, /operator 0: CONV_2D reads tensor 34 '.*' before any operator produces it/, 0);
  });

  test('buffer index out of range', () => {
    const bytes = kws.slice();
    setInt(bytes, w.field(firstTensor, 2), 1_000_000);
    expectModelError(bytes, /tensor 0 '.*' refers to buffer 1000000, but the model has \d+ buffers/);
  });

  test('negative dimension', () => {
    const bytes = kws.slice();
    setInt(bytes, w.vector(firstTensor, 0)[0] + 4, -5);
    expectModelError(bytes, /tensor 0 '.*' has invalid dimension -5/);
  });

  test('absurd shape is refused before anything is sized from it', () => {
    const bytes = kws.slice();
    const [shape, rank] = w.vector(firstTensor, 0);
    for (let i = 0; i < rank; i++) setInt(bytes, shape + i * 4, 0x7fffffff);
    expectModelError(bytes, /tensor 0 '.*' has shape \[2147483647,.*larger than any supported model/);
  });

  test('constant buffer shorter than its tensor', () => {
    const bytes = kws.slice();
    // Input 1 of the first CONV_2D is its filter; growing its kernel height outgrows the buffer.
    const filterId = w.ints(firstOperator, 1)[1];
    const filter = w.tables(subgraph, 0)[filterId];
    const [shape] = w.vector(filter, 0);
    setInt(bytes, shape + 4, new DataView(bytes.buffer).getInt32(shape + 4, true) + 1);
    expectModelError(bytes, new RegExp(`tensor ${filterId} '.*' needs \\d+ bytes for shape .* but its buffer \\d+ holds \\d+`));
  });

  test('vector length running past the end of the file', () => {
    const bytes = kws.slice();
    const at = w.field(subgraph, 0);
    setInt(bytes, at + new DataView(bytes.buffer).getUint32(at, true), 0x7ffffff0);
    expectModelError(bytes, /corrupt or truncated file: read of \d+ byte\(s\) at offset \d+ is outside the \d+-byte file/);
  });

  test('huge operator input vector is reported against its operator', () => {
    const bytes = kws.slice();
    const at = w.field(firstOperator, 1);
    setInt(bytes, at + new DataView(bytes.buffer).getUint32(at, true), 0x40000000);
    expectModelError(bytes, /operator 0: corrupt or truncated file/, 0);
  });

  test('many tensor entries pointing at one table cost no more than one read of the file', () => {
    // Append a 200k-entry tensors vector whose entries all point at the tensor with the most scales, and
    // point subgraph 0 at it; without per-table caching and the name budget this re-reads that table and
    // re-decodes its name 200k times.
    const vww = original('tinyengine_vww');
    const vw = new Walker(vww);
    const sg = vw.tables(vw.root(), 2)[0];
    const tensors = vw.tables(sg, 0);
    const target = tensors.reduce((best, t) => {
      const q = vw.table(t, 4);
      return q && vw.vector(q, 2)[1] > best.n ? { t, n: vw.vector(q, 2)[1] } : best;
    }, { t: tensors[0], n: 0 }).t;
    const entries = 200_000;
    const at = Math.ceil(vww.length / 4) * 4;
    const bytes = new Uint8Array(at + 4 + entries * 4);
    bytes.set(vww);
    const view = new DataView(bytes.buffer);
    view.setUint32(at, entries, true);
    for (let i = 0; i < entries; i++) view.setInt32(at + 4 + i * 4, target - (at + 4 + i * 4), true);
    const field = vw.field(sg, 0);
    view.setInt32(field, at - field, true);
    // The shared name runs the name budget (file size) out before the tensors run out: the work is bounded by the
    // file size, which is what this error proves (jest's timeout catches a hang).
    expectModelError(bytes, /tensor \d+: tensor names add up to more than the file size \(corrupt string offsets\)/);
  });

  describe('operator codes', () => {
    test('an old file storing only deprecated_builtin_code reads (mlperf_tiny_ad01: FULLY_CONNECTED = 9)', () => {
      const ad = original('mlperf_tiny_ad01_int8');
      const aw = new Walker(ad);
      const code = aw.tables(aw.root(), 1)[0];
      expect([aw.byte(code, 0), aw.field(code, 3)]).toEqual([9, 0]);
      const g = attempt(ad, 'old opcode') as Graph;
      expect(g.operators.map((op) => op.type)).toEqual(Array(10).fill('FULLY_CONNECTED'));
    });

    // mlperf_tiny_vww stores both fields; its opcode 0 is CONV_2D (3), used first by operator 0.
    const vww = original('mlperf_tiny_vww_96_int8');
    const vw = new Walker(vww);
    const code = vw.tables(vw.root(), 1)[0];
    const deprecatedAt = vw.field(code, 0);
    const builtinAt = vw.field(code, 3);
    const firstUser = vw.tables(vw.tables(vw.root(), 2)[0], 3).findIndex((op) => vw.int(op, 0) === 0);

    test('the chosen model stores CONV_2D in both code fields', () => {
      expect([vw.byte(code, 0), vw.int(code, 3), firstUser]).toEqual([3, 3, 0]);
    });

    test('a code above 127 comes from builtin_code and is named when unsupported', () => {
      const bytes = vww.slice();
      bytes[deprecatedAt] = 127;
      setInt(bytes, builtinAt, 150); // 150 = GELU in schema.fbs
      expectModelError(bytes, /operator 0: unsupported operator GELU; supported: CONV_2D, DEPTHWISE_CONV_2D,/, 0);
    });

    test('an unsupported low code is named too', () => {
      const bytes = vww.slice();
      bytes[deprecatedAt] = 5;
      setInt(bytes, builtinAt, 5); // 5 = DEPTH_TO_SPACE
      expectModelError(bytes, /operator 0: unsupported operator DEPTH_TO_SPACE; supported:/, 0);
    });
  });
});
