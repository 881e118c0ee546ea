// RESHAPE stays an operator (the planner aliases its output to its input) but keeps only its data input:
// the new shape is already resolved in its options from the output tensor, so the shape operand is redundant.
import { Graph } from './graph';

export function dropReshapeShapeOperands(graph: Graph): Graph {
  const operators = graph.operators.map((op) => (op.type === 'RESHAPE' && op.inputs.length > 1 ? { ...op, inputs: [op.inputs[0]] } : op));
  return { ...graph, operators };
}
