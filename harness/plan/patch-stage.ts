// Legality of a patch stage: which prefixes of the execution order can run patch by patch.
import { Graph } from '../model/graph';
import { activationInputs, DataFlow } from './op-analysis';
import { PlanError } from './plan-error';

/** Pixel-wise unary ops: QUANTIZE (the uint8→int8 step a uint8-input model starts with) and LEAKY_RELU. */
export const UNARY_PIXELWISE_OPS = ['QUANTIZE', 'LEAKY_RELU'] as const;

/** Ops that compute each output pixel from a window of input pixels, so a region maps to a region. */
export const PATCHABLE_OPS = ['CONV_2D', 'DEPTHWISE_CONV_2D', 'AVERAGE_POOL_2D', 'MAX_POOL_2D', 'ADD', 'MUL', ...UNARY_PIXELWISE_OPS] as const;

/** Stage ops whose windowed kernels exist for int8 only (uint8 stage tensors are allowed elsewhere). */
const INT8_ONLY_OPS = ['ADD', 'MUL', 'LEAKY_RELU', 'MAX_POOL_2D'] as const;

export interface StageInfo {
  split: number;
  /** The graph input the stage reads (streamed as input patches). */
  input: number;
  /** The single tensor consumed after the stage, written tile by tile by op split−1. */
  output: number;
  /** Tensors produced and consumed inside the stage. */
  internal: number[];
}

function isFeatureMap(shape: number[]): boolean {
  return shape.length === 4 && shape[0] === 1;
}

/** Checks that ops [0, split) form a spatial chain with one input and one output; throws PlanError saying why not. */
export function analyseStage(graph: Graph, flow: DataFlow, split: number): StageInfo {
  const where = `${graph.source}: split ${split}`;
  const n = graph.operators.length;
  if (!Number.isInteger(split) || split < 1 || split >= n) {
    throw new PlanError(`${where}: the split must be an integer in 1..${n - 1} (ops before it run patch by patch, at least one op must follow)`);
  }
  const stageInputs = new Set<number>();
  const produced: number[] = [];
  for (const op of graph.operators.slice(0, split)) {
    if (!(PATCHABLE_OPS as readonly string[]).includes(op.type)) {
      throw new PlanError(`${where}: operator ${op.index} (${op.type}) cannot run patch by patch; the patch stage may hold only ${PATCHABLE_OPS.join(', ')} — use a split <= ${op.index}`);
    }
    const out = op.outputs[0];
    const outShape = graph.tensors[out].shape;
    for (const t of [...activationInputs(op, flow), out]) {
      if (!isFeatureMap(graph.tensors[t].shape)) {
        throw new PlanError(`${where}: operator ${op.index} (${op.type}) has tensor ${t} of shape [${graph.tensors[t].shape}], not a 1×H×W×C feature map`);
      }
    }
    // The runtime keeps one byte per element in a patch tile and has int8-only kernels for these ops.
    for (const t of [...activationInputs(op, flow), out]) {
      const dtype = graph.tensors[t].dtype;
      const allowed = (INT8_ONLY_OPS as readonly string[]).includes(op.type) ? ['int8'] : ['int8', 'uint8'];
      if (!allowed.includes(dtype)) {
        throw new PlanError(`${where}: operator ${op.index} (${op.type}) has ${dtype} tensor ${t}; the patch stage runs only on ${allowed.join('/')} tensors — use a split <= ${op.index}`);
      }
    }
    if ((UNARY_PIXELWISE_OPS as readonly string[]).includes(op.type) && graph.tensors[op.inputs[0]].shape.join() !== outShape.join()) {
      throw new PlanError(`${where}: operator ${op.index} (${op.type}) changes the shape; it cannot be split into patches`);
    }
    if (op.type === 'ADD' || op.type === 'MUL') {
      for (const t of op.inputs) {
        const s = graph.tensors[t].shape;
        if (!flow.isActivation[t] || s.join() !== outShape.join()) {
          throw new PlanError(`${where}: operator ${op.index} (${op.type}) broadcasts or reads a constant (input ${t}); only same-shape elementwise ops can be split into patches`);
        }
      }
    }
    for (const t of activationInputs(op, flow)) if (flow.producer[t] < 0) stageInputs.add(t);
    produced.push(out);
  }
  if (stageInputs.size !== 1) {
    throw new PlanError(`${where}: the patch stage reads ${stageInputs.size} graph inputs; it must read exactly one (the image)`);
  }
  const input = [...stageInputs][0];
  const lateReader = flow.consumers[input].find((c) => c >= split);
  if (lateReader !== undefined || flow.graphOutputs.has(input)) {
    throw new PlanError(`${where}: the graph input ${input} is also read by operator ${lateReader ?? 'graph output'} after the stage; it is streamed patch by patch and not kept`);
  }
  const output = graph.operators[split - 1].outputs[0];
  const usedLater = (t: number) => flow.graphOutputs.has(t) || flow.consumers[t].some((c) => c >= split);
  for (const t of produced) {
    if (t === output) continue;
    if (usedLater(t)) {
      throw new PlanError(`${where}: tensor ${t} (output of operator ${flow.producer[t]}) is read after the stage; only the last stage op's output may leave the stage — try split ${flow.producer[t] + 1}`);
    }
    if (flow.consumers[t].length === 0) throw new PlanError(`${where}: tensor ${t} (output of operator ${flow.producer[t]}) is never read`);
  }
  if (!usedLater(output)) {
    throw new PlanError(`${where}: the output of operator ${split - 1} is not read after the stage, so it cannot be the stage output`);
  }
  return { split, input, output, internal: produced.filter((t) => t !== output) };
}
