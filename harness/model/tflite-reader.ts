// Parses `.tflite` bytes into the graph IR: subgraph 0's tensors, operators (in file order, which is TFLite's
// execution order) and I/O. Every out-of-bounds read or inconsistency becomes a ModelError naming the file.
import { Model } from './tflite-schema/generated/tflite/model';
import { SubGraph } from './tflite-schema/generated/tflite/sub-graph';
import { BuiltinOperator } from './tflite-schema/generated/tflite/builtin-operator';
import { CheckedByteBuffer, OutOfBoundsRead } from './checked-byte-buffer';
import { Graph, ModelError, Operator, OpType, SUPPORTED_OPS, Tensor } from './graph';
import { readTensors } from './tflite-tensors';
import { readOptions } from './tflite-options';

/** Inputs each operator needs at least (later stages index them without checking). */
const MIN_INPUTS: Partial<Record<OpType, number>> = {
  CONV_2D: 2, DEPTHWISE_CONV_2D: 2, FULLY_CONNECTED: 2, ADD: 2, MUL: 2, PAD: 2, TRANSPOSE: 2, MEAN: 2,
  STRIDED_SLICE: 4, TILE: 2, RESIZE_NEAREST_NEIGHBOR: 2, RESIZE_BILINEAR: 2,
};

/** More inputs or outputs than any real operator or model has; refusing them bounds the work per operator. */
const MAX_OPERANDS = 4096;

/** Root offset (4) + "TFL3" identifier (4): nothing shorter can be a model. */
const MIN_FILE_BYTES = 8;

function opTypeOf(model: Model, opcodeIndex: number, source: string, index: number): OpType {
  const codes = model.operatorCodesLength();
  if (opcodeIndex < 0 || opcodeIndex >= codes) {
    throw new ModelError(source, `opcode index ${opcodeIndex} is out of range (the model has ${codes} operator codes)`, index);
  }
  const code = model.operatorCodes(opcodeIndex);
  if (code === null) throw new ModelError(source, `operator code ${opcodeIndex} is missing`, index);
  // Files written before the schema widened the code keep it only in the int8 field (builtin_code reads 0);
  // newer ones keep both, with the int8 field at 127 for codes that do not fit. As in TFLite, the larger wins.
  const builtin = Math.max(code.deprecatedBuiltinCode(), code.builtinCode());
  const name = BuiltinOperator[builtin] ?? `builtin code ${builtin}`;
  if (builtin === BuiltinOperator.CUSTOM) {
    throw new ModelError(source, `unsupported custom operator '${code.customCode() ?? ''}'; supported: ${SUPPORTED_OPS.join(', ')}`, index);
  }
  if (!(SUPPORTED_OPS as readonly string[]).includes(name)) {
    throw new ModelError(source, `unsupported operator ${name}; supported: ${SUPPORTED_OPS.join(', ')}`, index);
  }
  return name as OpType;
}

/** An int32 index vector (operator or subgraph inputs/outputs), each entry checked against the tensor count. */
function tensorList(read: (i: number) => number | null, length: number, tensorCount: number, allowOmitted: boolean, source: string, what: string, index?: number): number[] {
  if (length > MAX_OPERANDS) throw new ModelError(source, `${what} list has ${length} entries; at most ${MAX_OPERANDS} are supported`, index);
  const ids: number[] = [];
  for (let i = 0; i < length; i++) {
    const id = read(i) ?? -2;
    const omitted = allowOmitted && id === -1;
    if (!omitted && (id < 0 || id >= tensorCount)) {
      throw new ModelError(source, `${what} ${i} refers to tensor ${id}, but the model has ${tensorCount} tensors`, index);
    }
    ids.push(id);
  }
  return ids;
}

/**
 * Operators in file order, which must be an execution order: each reads only constants, graph inputs and
 * earlier outputs, and writes tensors nothing else writes. Later stages rely on this without checking.
 */
function readOperators(model: Model, graph: SubGraph, tensors: Tensor[], graphInputs: number[], source: string): Operator[] {
  const operators: Operator[] = [];
  const written = new Set(graphInputs);
  const count = graph.operatorsLength();
  for (let index = 0; index < count; index++) operators.push(atOperator(source, index, () => readOperator(model, graph, tensors, written, source, index)));
  return operators;
}

function checkOrder(source: string, index: number, type: OpType, tensors: Tensor[], written: Set<number>, inputs: number[], outputs: number[]): void {
  for (const t of inputs) {
    if (t >= 0 && !tensors[t].data && !written.has(t)) {
      throw new ModelError(source, `${type} reads tensor ${t} '${tensors[t].name}' before any operator produces it`, index);
    }
  }
  for (const t of outputs) {
    if (written.has(t) || tensors[t].data) throw new ModelError(source, `${type} writes tensor ${t} '${tensors[t].name}', which already has a value`, index);
    written.add(t);
  }
}

/** Runs `read` for one operator so that a read outside the file is reported against that operator. */
function atOperator<T>(source: string, index: number, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof OutOfBoundsRead) throw new ModelError(source, `corrupt or truncated file: ${err.message}; re-export or re-copy the model`, index);
    throw err;
  }
}

function readOperator(model: Model, graph: SubGraph, tensors: Tensor[], written: Set<number>, source: string, index: number): Operator {
  const op = graph.operators(index);
  if (op === null) throw new ModelError(source, 'operator table is missing', index);
  const type = opTypeOf(model, op.opcodeIndex(), source, index);
  const inputs = tensorList((i) => op.inputs(i), op.inputsLength(), tensors.length, true, source, 'input', index);
  const outputs = tensorList((i) => op.outputs(i), op.outputsLength(), tensors.length, false, source, 'output', index);
  const needed = MIN_INPUTS[type] ?? 1;
  if (inputs.length < needed || inputs.slice(0, needed).some((t) => t < 0) || outputs.length === 0) {
    throw new ModelError(source, `${type} has ${inputs.length} inputs and ${outputs.length} outputs; it needs at least ${needed} inputs and 1 output`, index);
  }
  checkOrder(source, index, type, tensors, written, inputs, outputs);
  const options = readOptions({ source, index, type, op, inputs, outputs, tensors });
  return { index, type, inputs, outputs, options };
}

function parseChecked(bytes: Uint8Array, source: string): Graph {
  if (bytes.length < MIN_FILE_BYTES) throw new ModelError(source, `file is ${bytes.length} bytes, too short to be a TFLite model`);
  const bb = new CheckedByteBuffer(bytes);
  if (!Model.bufferHasIdentifier(bb)) {
    throw new ModelError(source, 'not a TFLite model (no "TFL3" file identifier at byte 4); export it with the TFLite converter');
  }
  const rootOffset = bb.readUint32(0);
  if (rootOffset < MIN_FILE_BYTES || rootOffset + 4 > bytes.length) {
    throw new ModelError(source, `root table offset ${rootOffset} lies outside the ${bytes.length}-byte file`);
  }
  const model = Model.getRootAsModel(bb);
  if (model.subgraphsLength() < 1) throw new ModelError(source, 'model has no subgraphs');
  const graph = model.subgraphs(0);
  if (graph === null) throw new ModelError(source, 'subgraph 0 is missing');
  const tensors = readTensors(model, graph, bb, source);
  const inputs = tensorList((i) => graph.inputs(i), graph.inputsLength(), tensors.length, false, source, 'model input');
  const outputs = tensorList((i) => graph.outputs(i), graph.outputsLength(), tensors.length, false, source, 'model output');
  if (inputs.length === 0 || outputs.length === 0) throw new ModelError(source, `model has ${inputs.length} inputs and ${outputs.length} outputs`);
  const operators = readOperators(model, graph, tensors, inputs, source);
  const produced = new Set([...inputs, ...operators.flatMap((op) => op.outputs)]);
  const missing = outputs.find((t) => !produced.has(t) && !tensors[t].data);
  if (missing !== undefined) throw new ModelError(source, `model output tensor ${missing} '${tensors[missing].name}' is never produced`);
  return { source, tensors, operators, inputs, outputs };
}

/**
 * Reads a TFLite flatbuffer. Reads outside the file surface as ModelError; so does anything else the generated
 * readers might throw on corrupt input, so that callers only ever see ModelError for a bad file.
 */
export function parseTflite(bytes: Uint8Array, source: string): Graph {
  try {
    return parseChecked(bytes, source);
  } catch (err) {
    if (err instanceof ModelError) throw err;
    if (err instanceof OutOfBoundsRead) {
      throw new ModelError(source, `corrupt or truncated file: ${err.message}; re-export or re-copy the model`);
    }
    throw new ModelError(source, `corrupt file (${err instanceof Error ? err.message : String(err)}); re-export or re-copy the model`);
  }
}
