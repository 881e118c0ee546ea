// A deliberately separate, minimal reader of the TFLite flatbuffer (raw DataView reads of tables and vtables,
// field ids from schema.fbs), so tests can check the importer against values it did not compute itself.
export class Walker {
  private readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  root(): number {
    return this.view.getUint32(0, true);
  }

  /** Absolute position of field `id` of the table at `table`, or 0 when absent. */
  field(table: number, id: number): number {
    const vtable = table - this.view.getInt32(table, true);
    const vtableSize = this.view.getUint16(vtable, true);
    const slot = 4 + 2 * id;
    if (slot >= vtableSize) return 0;
    const rel = this.view.getUint16(vtable + slot, true);
    return rel === 0 ? 0 : table + rel;
  }

  int(table: number, id: number, fallback = 0): number {
    const at = this.field(table, id);
    return at === 0 ? fallback : this.view.getInt32(at, true);
  }

  byte(table: number, id: number, fallback = 0): number {
    const at = this.field(table, id);
    return at === 0 ? fallback : this.view.getInt8(at);
  }

  /** Table referenced by field `id` (offset stored in the field). */
  table(table: number, id: number): number {
    const at = this.field(table, id);
    return at === 0 ? 0 : at + this.view.getUint32(at, true);
  }

  /** [start of elements, length] of the vector in field `id`. */
  vector(table: number, id: number): [number, number] {
    const at = this.field(table, id);
    if (at === 0) return [0, 0];
    const base = at + this.view.getUint32(at, true);
    return [base + 4, this.view.getUint32(base, true)];
  }

  tables(table: number, id: number): number[] {
    const [start, n] = this.vector(table, id);
    return Array.from({ length: n }, (_, i) => start + i * 4 + this.view.getUint32(start + i * 4, true));
  }

  ints(table: number, id: number): number[] {
    const [start, n] = this.vector(table, id);
    return Array.from({ length: n }, (_, i) => this.view.getInt32(start + i * 4, true));
  }

  floats(table: number, id: number): number[] {
    const [start, n] = this.vector(table, id);
    return Array.from({ length: n }, (_, i) => this.view.getFloat32(start + i * 4, true));
  }

  longs(table: number, id: number): number[] {
    const [start, n] = this.vector(table, id);
    return Array.from({ length: n }, (_, i) => Number(this.view.getBigInt64(start + i * 8, true)));
  }

  string(table: number, id: number): string {
    const [start, n] = this.vector(table, id);
    return new TextDecoder().decode(this.bytes.subarray(start, start + n));
  }
}

/** The parts of a model the tests compare, read with field ids taken from schema.fbs. */
export interface WalkedModel {
  opcodes: number[];
  operators: { code: number; inputs: number[]; outputs: number[] }[];
  tensors: { name: string; shape: number[]; type: number; scale: number[]; zeroPoint: number[]; axis: number; bufferBytes: number }[];
  inputs: number[];
  outputs: number[];
}

export function walkModel(bytes: Uint8Array): WalkedModel {
  const w = new Walker(bytes);
  const model = w.root();
  // Model: 1 operator_codes, 2 subgraphs, 4 buffers. OperatorCode: 0 deprecated_builtin_code (int8), 3 builtin_code.
  const opcodes = w.tables(model, 1).map((c) => Math.max(w.byte(c, 0), w.int(c, 3)));
  const buffers = w.tables(model, 4);
  const subgraph = w.tables(model, 2)[0];
  // SubGraph: 0 tensors, 1 inputs, 2 outputs, 3 operators. Operator: 0 opcode_index, 1 inputs, 2 outputs.
  const operators = w.tables(subgraph, 3).map((op) => ({ code: opcodes[w.int(op, 0)], inputs: w.ints(op, 1), outputs: w.ints(op, 2) }));
  // Tensor: 0 shape, 1 type (int8 enum), 2 buffer, 3 name, 4 quantization.
  // QuantizationParameters: 2 scale, 3 zero_point (int64), 6 quantized_dimension.
  const tensors = w.tables(subgraph, 0).map((t) => {
    const q = w.table(t, 4);
    const buffer = buffers[w.int(t, 2)];
    return {
      name: w.string(t, 3), shape: w.ints(t, 0), type: w.byte(t, 1),
      scale: q ? w.floats(q, 2) : [], zeroPoint: q ? w.longs(q, 3) : [], axis: q ? w.int(q, 6) : 0,
      bufferBytes: w.vector(buffer, 0)[1],
    };
  });
  return { opcodes, operators, tensors, inputs: w.ints(subgraph, 1), outputs: w.ints(subgraph, 2) };
}
