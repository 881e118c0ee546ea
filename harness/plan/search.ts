// Joint choice of split and patch grid: evaluate every legal (split, p), keep the Pareto front of
// (peak bytes, MAC overhead) and pick the lowest peak within the overhead budget.
import { Graph } from '../model/graph';
import { planLayers } from './layer-planner';
import { dataFlow } from './op-analysis';
import { planPatches } from './patch-planner';
import { analyseStage } from './patch-stage';
import { PlanError } from './plan-error';
import { searchStream, StreamChoice, streamsAnything } from './stream-planner';
import { ParetoPoint, SearchResult } from './types';

export const MAX_SEARCH_PATCHES = 8;

/** Splits whose prefix is a legal patch stage. */
export function legalSplits(graph: Graph): number[] {
  const flow = dataFlow(graph);
  const splits: number[] = [];
  for (let n = 1; n < graph.operators.length; n++) {
    try {
      analyseStage(graph, flow, n);
      splits.push(n);
    } catch (err) {
      if (!(err instanceof PlanError)) throw err;
    }
  }
  return splits;
}

/** Points not dominated in (peakBytes, macOverhead), both lower-is-better; sorted by peak. */
export function paretoFront(points: ParetoPoint[]): ParetoPoint[] {
  const sorted = [...points].sort((a, b) => a.peakBytes - b.peakBytes || a.macOverhead - b.macOverhead);
  const front: ParetoPoint[] = [];
  for (const pt of sorted) {
    if (front.length === 0 || pt.macOverhead < front[front.length - 1].macOverhead) front.push(pt);
  }
  return front;
}

export function searchPatchPlans(graph: Graph, maxMacOverhead: number, layerPeak = planLayers(graph).peakBytes): SearchResult {
  const candidates: ParetoPoint[] = [{ schedule: 'layer', split: 0, patches: 1, peakBytes: layerPeak, macOverhead: 0 }];
  for (const split of legalSplits(graph)) {
    const [, h, w] = graph.tensors[graph.operators[split - 1].outputs[0]].shape;
    for (let p = 1; p <= Math.min(MAX_SEARCH_PATCHES, h, w); p++) {
      const plan = planPatches(graph, split, p, { pack: false });
      candidates.push({ schedule: 'patch', split, patches: p, peakBytes: plan.peakBytes, macOverhead: plan.macOverhead });
    }
  }
  // Ties on peak go to the cheaper, then the shorter stage, then fewer patches.
  const affordable = candidates
    .filter((c) => c.macOverhead <= maxMacOverhead)
    .sort((a, b) => a.peakBytes - b.peakBytes || a.macOverhead - b.macOverhead || a.split - b.split || a.patches - b.patches);
  return { candidates, pareto: paretoFront(candidates), chosen: affordable[0], maxMacOverhead };
}

/**
 * The planner's patch plan for `--schedule patch` without --split/--patches: the lowest peak among the patch
 * plans within the MAC budget (ties as in the search), even when layer-based would be lower.
 */
export function choosePatchPlan(graph: Graph, maxMacOverhead: number, search = searchPatchPlans(graph, maxMacOverhead)): ParetoPoint {
  const best = search.candidates
    .filter((c) => c.split > 0 && c.macOverhead <= maxMacOverhead)
    .sort((a, b) => a.peakBytes - b.peakBytes || a.macOverhead - b.macOverhead || a.split - b.split || a.patches - b.patches)[0];
  if (best) return best;
  if (legalSplits(graph).length === 0) {
    let why = 'no prefix of it is a legal patch stage';
    try {
      analyseStage(graph, dataFlow(graph), 1);
    } catch (err) {
      if (err instanceof PlanError) why = err.message;
    }
    throw new PlanError(`${graph.source}: no patch-based plan exists (${why}); use --schedule layer`);
  }
  throw new PlanError(`${graph.source}: every patch plan costs more than +${(maxMacOverhead * 100).toFixed(0)} % MACs; raise --max-mac-overhead or use --schedule layer`);
}

/**
 * Layer, patch and stream plans ranked together: the patch search's candidates plus the stream plans the
 * stream search finds with no recomputation and within the same budget. `chosen` is the lowest peak within the
 * budget.
 */
export function searchPlans(graph: Graph, maxMacOverhead: number, layerPeak = planLayers(graph).peakBytes): JointSearch {
  return rankTogether(searchPatchPlans(graph, maxMacOverhead, layerPeak), searchStreams(graph, maxMacOverhead));
}

/** The stream search's plan within the budget, and (when different) its plan computing every row once. */
export function searchStreams(graph: Graph, maxMacOverhead: number): StreamChoice[] {
  const within = searchStream(graph, maxMacOverhead);
  return within.macOverhead === 0 ? [within] : [within, searchStream(graph, 0)];
}

/** A stream point streams some ops; a choice of none (no run of ops can stream) is the layer schedule. */
function streamPoints(streams: StreamChoice[]): ParetoPoint[] {
  return streams.filter(streamsAnything)
    .map((s) => ({ schedule: 'stream', split: s.split, patches: 0, strips: s.strips, peakBytes: s.peakBytes, macOverhead: s.macOverhead }));
}

/** `stream` is the stream plan within the budget (the first of the stream choices). */
export type JointSearch = SearchResult & { stream: StreamChoice };

export function rankTogether(patch: SearchResult, streams: StreamChoice[]): JointSearch {
  const { maxMacOverhead } = patch;
  const candidates: ParetoPoint[] = [...patch.candidates, ...streamPoints(streams)];
  const affordable = candidates
    .filter((c) => c.macOverhead <= maxMacOverhead)
    .sort((a, b) => a.peakBytes - b.peakBytes || a.macOverhead - b.macOverhead || RANK[a.schedule] - RANK[b.schedule] || a.split - b.split || a.patches - b.patches);
  return { candidates, pareto: paretoFront(candidates), chosen: affordable[0], maxMacOverhead, stream: streams[0] };
}

/** Ties on peak and overhead: the simpler executor first. */
const RANK: Record<ParetoPoint['schedule'], number> = { layer: 0, stream: 1, patch: 2 };
