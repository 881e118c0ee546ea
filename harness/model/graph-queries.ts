// Small read-only questions about a graph that several normalisation passes ask.
import { Operator } from './graph';

/** Operators (by position) that read each tensor. */
export function consumersOf(operators: Operator[]): Map<number, number[]> {
  const consumers = new Map<number, number[]>();
  operators.forEach((op, position) => {
    for (const t of op.inputs) {
      if (t < 0) continue;
      const list = consumers.get(t) ?? [];
      if (!list.includes(position)) list.push(position);
      consumers.set(t, list);
    }
  });
  return consumers;
}
