// Parses `.tflite` bytes into the graph IR: subgraph 0's tensors, operators (in file order, which is TFLite's
// execution order) and I/O. Every out-of-bounds read or inconsistency becomes a ModelError naming the file.
import { Model } from './tflite-schema/generated/tflite/model';
import { SubGraph } from './tflite-schema/generated/tflite/sub-graph';
import { BuiltinOperator } from './tflite-schema/generated/tflite/builtin-operator';
import { CheckedByteBuffer, OutOfBoundsRead } from './checked-byte-buffer';
import { Graph, ModelError, Operator, OpType, SUPPORTED_OPS, Tensor } from './graph';
import { readTensors } from './tflite-tensors';
import { readOptions } from './tflite-options';

/** Builtin codes below this fit the old int8 `deprecated_builtin_code`; newer files store the real code apart. */
const PLACEHOLDER_FOR_GREATER_OP_CODES = 127;
/** Root offset (4) + "TFL3" identifier (4): nothing shorter can be a model. */
const MIN_FILE_BYTES = 8;

function opTypeOf(model: Model, opcodeIndex: number, source: string, index: number): OpType {
  const codes = model.operatorCodesLength();
  if (opcodeIndex < 0 || opcodeIndex >= codes) {
    throw new ModelError(source, `opcode index ${opcodeIndex} is out of range (the model has ${codes} operator codes)`, index);
  }
  const code = model.operatorCodes(opcodeIndex);
  if (code === null) throw new ModelError(source, `operator code ${opcodeIndex} is missing`, index);
  // Files written before the schema widened the code keep it only in the int8 field; newer ones keep both,
  // with the int8 field saturated at 127 for codes that do not fit. The larger of the two is the real one.
  const deprecated = code.deprecatedBuiltinCode();
  const builtin = deprecated < PLACEHOLDER_FOR_GREATER_OP_CODES ? Math.max(deprecated, code.builtinCode()) : code.builtinCode();
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

function readOperators(model: Model, graph: SubGraph, tensors: Tensor[], source: string): Operator[] {
  const operators: Operator[] = [];
  for (let index = 0; index < graph.operatorsLength(); index++) {
    const op = graph.operators(index);
    if (op === null) throw new ModelError(source, 'operator table is missing', index);
    const type = opTypeOf(model, op.opcodeIndex(), source, index);
    const inputs = tensorList((i) => op.inputs(i), op.inputsLength(), tensors.length, true, source, 'input', index);
    const outputs = tensorList((i) => op.outputs(i), op.outputsLength(), tensors.length, false, source, 'output', index);
    if (inputs.length === 0 || outputs.length === 0) throw new ModelError(source, `${type} has ${inputs.length} inputs and ${outputs.length} outputs`, index);
    const options = readOptions({ source, index, type, op, inputs, outputs, tensors });
    operators.push({ index, type, inputs, outputs, options });
  }
  return operators;
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
  const operators = readOperators(model, graph, tensors, source);
  const inputs = tensorList((i) => graph.inputs(i), graph.inputsLength(), tensors.length, false, source, 'model input');
  const outputs = tensorList((i) => graph.outputs(i), graph.outputsLength(), tensors.length, false, source, 'model output');
  if (inputs.length === 0 || outputs.length === 0) throw new ModelError(source, `model has ${inputs.length} inputs and ${outputs.length} outputs`);
  return { source, tensors, operators, inputs, outputs };
}

/**
 * Reads a TFLite flatbuffer. Reads outside the file surface as ModelError; so does anything else the generated
 * readers might throw on corrupt input, so that callers only ever see ModelError for a bad file.
 */
export function parseTflite(bytes: Uint8Array, source: string): Graph {
  let operatorIndex: number | undefined;
  try {
    return parseChecked(bytes, source);
  } catch (err) {
    if (err instanceof ModelError) throw err;
    if (err instanceof OutOfBoundsRead) {
      throw new ModelError(source, `corrupt or truncated file: ${err.message}`, operatorIndex);
    }
    throw new ModelError(source, `corrupt file: ${err instanceof Error ? err.message : String(err)}`);
  }
}
