// MACs each operator runs under a plan: what per-operator latency is divided by. A patch stage recomputes its
// halos, so its operators run more MACs than layer by layer; every other operator (a streamed one too) runs once.
import type { Graph } from '../model/graph';
import { macsPerOutputPixel, opMacs } from './op-analysis';
import { regionArea } from './regions';
import type { PatchPlan } from './types';

/** MACs per operator of the graph, in operator order; with a patch plan, its stage ops summed over every patch. */
export function opMacsUnder(graph: Graph, patch?: PatchPlan): number[] {
  const macs = graph.operators.map((op) => opMacs(graph, op));
  if (!patch) return macs;
  for (let k = 0; k < patch.split; k++) macs[k] = 0;
  for (const p of patch.patchList) {
    for (const step of p.steps) macs[step.op] += regionArea(step.outRegion) * macsPerOutputPixel(graph, graph.operators[step.op]);
  }
  return macs;
}
