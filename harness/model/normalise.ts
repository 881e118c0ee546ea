// Rewrites an imported graph into the form the planner and runtime expect. Each pass has its own module;
// this one runs them in order, then drops dead operators and renumbers the survivors.
import { Graph, Operator } from './graph';
import { foldPads } from './normalise-pad';
import { boundaryIo } from './normalise-io';
import { dropReshapeShapeOperands } from './normalise-reshape';

/**
 * Removes operators none of whose outputs is read by a later operator or is a graph output. After RESHAPE
 * drops its shape operand, the SHAPE → STRIDED_SLICE → PACK chains that computed it are such operators.
 * Operators are in execution order, so one backward sweep finds every dead chain.
 */
function dropDeadOperators(operators: Operator[], outputs: number[]): Operator[] {
  const live = new Set<number>(outputs);
  const kept: Operator[] = [];
  for (let i = operators.length - 1; i >= 0; i--) {
    const op = operators[i];
    if (!op.outputs.some((t) => live.has(t))) continue;
    for (const t of op.inputs) if (t >= 0) live.add(t);
    kept.push(op);
  }
  return kept.reverse();
}

/** A normalised copy of `graph` (the input is left untouched); operator `index` fields match their new positions. */
export function normaliseGraph(graph: Graph): Graph {
  let g: Graph = {
    ...graph,
    operators: graph.operators.map((op) => ({ ...op, inputs: [...op.inputs], outputs: [...op.outputs] })),
    inputs: [...graph.inputs],
    outputs: [...graph.outputs],
  };
  g = foldPads(g);
  g = boundaryIo(g);
  g = dropReshapeShapeOperands(g);
  const operators = dropDeadOperators(g.operators, g.outputs).map((op, index) => ({ ...op, index }));
  return { ...g, operators };
}
