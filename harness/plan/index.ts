// Public entry of the memory planner: pure functions, Graph in, plan out.
import { Graph } from '../model/graph';
import { planLayers } from './layer-planner';
import { planPatches } from './patch-planner';
import { choosePatchPlan, rankTogether, searchPatchPlans, searchStreams } from './search';
import { chosenStreamPlan, DEFAULT_STREAM_MAX_MAC_OVERHEAD, planStream, planStreamChoice, searchStream, streamsAnything, StreamPlan } from './stream-planner';
import { LayerPlan, PatchPlan, SearchResult } from './types';

export * from './types';
export { PlanError } from './plan-error';
export { planLayers } from './layer-planner';
export { planPatches } from './patch-planner';
export { searchPatchPlans, searchPlans, legalSplits, paretoFront, choosePatchPlan } from './search';
export { planStream, planStreamChoice, chosenStreamPlan, streamsAnything, searchStream, DEFAULT_STREAM_MAX_MAC_OVERHEAD, MAX_STREAM_STRIPS } from './stream-planner';
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
  /**
   * The planner's stream plan (lowest peak within the MAC budget, default DEFAULT_STREAM_MAX_MAC_OVERHEAD), or one
   * whose prefix segment ends at `split` (in `strips` strips, default 1).
   */
  | { mode: 'stream'; split?: number; strips?: number; maxMacOverhead?: number };

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
    if (request.split !== undefined) return { source: graph.source, layer, stream: planStream(graph, request.split, { strips: request.strips }) };
    return { source: graph.source, layer, stream: chosenStreamPlan(graph, searchStream(graph, request.maxMacOverhead ?? DEFAULT_STREAM_MAX_MAC_OVERHEAD)) };
  }
  const patchSearch = searchPatchPlans(graph, request.maxMacOverhead, layer.peakBytes);
  const search = rankTogether(patchSearch, searchStreams(graph, request.maxMacOverhead));
  const { split, patches } = patchSearch.chosen;
  return {
    source: graph.source, layer, search,
    patch: split > 0 ? planPatches(graph, split, patches) : undefined,
    stream: streamsAnything(search.stream) ? planStreamChoice(graph, search.stream) : undefined,
  };
}
