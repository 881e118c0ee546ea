// Public entry of the memory planner: pure functions, Graph in, plan out.
import { Graph } from '../model/graph';
import { planLayers } from './layer-planner';
import { planPatches } from './patch-planner';
import { choosePatchPlan, rankTogether, searchPatchPlans } from './search';
import { planStream, searchStream, StreamPlan } from './stream-planner';
import { LayerPlan, PatchPlan, SearchResult } from './types';

export * from './types';
export { PlanError } from './plan-error';
export { planLayers } from './layer-planner';
export { planPatches } from './patch-planner';
export { searchPatchPlans, searchPlans, legalSplits, paretoFront, choosePatchPlan } from './search';
export { planStream, searchStream } from './stream-planner';
export type { StreamPlan, StreamSegment, StreamRing, StreamStep, StreamChoice } from './stream-planner';
export { validateArena } from './arena-validator';
export { opMacsUnder } from './op-macs';
export { loadBuiltin, isBuiltinSpec, builtinNames } from './builtin';

export const DEFAULT_MAX_MAC_OVERHEAD = 0.2;

export type PlanRequest =
  | { mode: 'layer' }
  | { mode: 'patch'; split: number; patches: number }
  /** The planner's patch plan: lowest peak within the MAC budget (`--schedule patch` alone). */
  | { mode: 'patch-choice'; maxMacOverhead: number }
  | { mode: 'search'; maxMacOverhead: number }
  /** The planner's stream plan, or one whose prefix segment ends at `split`. */
  | { mode: 'stream'; split?: number };

export interface PlanReport {
  source: string;
  layer: LayerPlan;
  /** The requested patch plan, or the searched one when it beats layer-based. */
  patch?: PatchPlan;
  /** The requested stream plan, or the searched one (with --search: always, it ranks with the others). */
  stream?: StreamPlan;
  /** With --search: layer, patch and stream candidates ranked together. */
  search?: SearchResult;
}

export function planModel(graph: Graph, request: PlanRequest): PlanReport {
  const layer = planLayers(graph);
  if (request.mode === 'layer') return { source: graph.source, layer };
  if (request.mode === 'patch') return { source: graph.source, layer, patch: planPatches(graph, request.split, request.patches) };
  if (request.mode === 'patch-choice') {
    const search = searchPatchPlans(graph, request.maxMacOverhead, layer.peakBytes);
    const { split, patches } = choosePatchPlan(graph, request.maxMacOverhead, search);
    return { source: graph.source, layer, search, patch: planPatches(graph, split, patches) };
  }
  if (request.mode === 'stream') {
    if (request.split !== undefined) return { source: graph.source, layer, stream: planStream(graph, request.split) };
    const choice = searchStream(graph);
    return { source: graph.source, layer, stream: planStream(graph, choice.split, { later: choice.later }) };
  }
  const patchSearch = searchPatchPlans(graph, request.maxMacOverhead, layer.peakBytes);
  const search = rankTogether(patchSearch, searchStream(graph));
  const { split, patches } = patchSearch.chosen;
  return {
    source: graph.source, layer, search,
    patch: split > 0 ? planPatches(graph, split, patches) : undefined,
    stream: planStream(graph, search.stream.split, { later: search.stream.later }),
  };
}
