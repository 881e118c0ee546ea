// Public entry of the memory planner: pure functions, Graph in, plan out.
import { Graph } from '../model/graph';
import { planLayers } from './layer-planner';
import { planPatches } from './patch-planner';
import { choosePatchPlan, searchPatchPlans } from './search';
import { LayerPlan, PatchPlan, SearchResult } from './types';

export * from './types';
export { PlanError } from './plan-error';
export { planLayers } from './layer-planner';
export { planPatches } from './patch-planner';
export { searchPatchPlans, legalSplits, paretoFront, choosePatchPlan } from './search';
export { validateArena } from './arena-validator';
export { loadBuiltin, isBuiltinSpec, builtinNames } from './builtin';

export const DEFAULT_MAX_MAC_OVERHEAD = 0.2;

export type PlanRequest =
  | { mode: 'layer' }
  | { mode: 'patch'; split: number; patches: number }
  /** The planner's patch plan: lowest peak within the MAC budget (`--schedule patch` alone). */
  | { mode: 'patch-choice'; maxMacOverhead: number }
  | { mode: 'search'; maxMacOverhead: number };

export interface PlanReport {
  source: string;
  layer: LayerPlan;
  /** The requested patch plan, or the searched one when it beats layer-based. */
  patch?: PatchPlan;
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
  const search = searchPatchPlans(graph, request.maxMacOverhead, layer.peakBytes);
  const { split, patches } = search.chosen;
  return { source: graph.source, layer, search, patch: split > 0 ? planPatches(graph, split, patches) : undefined };
}
