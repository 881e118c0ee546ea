// Turns "which schedule" (layer, a given patch split, or automatic) into a concrete plan for the packer.
import { Graph } from '../model/graph';
import { choosePatchPlan, DEFAULT_MAX_MAC_OVERHEAD, planLayers, planPatches, searchPlans } from '../plan';
import { chosenStreamPlan, DEFAULT_STREAM_MAX_MAC_OVERHEAD, planStream, planStreamChoice, searchStream } from '../plan/stream-planner';
import { Schedule } from './schedule';

export type ScheduleRequest =
  | { schedule: 'layer' }
  | { schedule: 'patch'; split: number; patches: number }
  /** The planner's patch plan: the lowest-peak one within the MAC budget. */
  | { schedule: 'patch'; split?: undefined; patches?: undefined; maxMacOverhead?: number }
  /** The lowest-peak plan within the MAC budget: layer, patch or stream. */
  | { schedule: 'auto'; maxMacOverhead?: number }
  /**
   * Row-band streaming: the planner's stream plan (lowest peak within the MAC budget, default
   * DEFAULT_STREAM_MAX_MAC_OVERHEAD) unless a prefix split is given (in `strips` strips, default 1: no recomputation).
   */
  | { schedule: 'stream'; split?: number; strips?: number; maxMacOverhead?: number };

export function selectSchedule(graph: Graph, request: ScheduleRequest): Schedule {
  if (request.schedule === 'layer') return { kind: 'layer', plan: planLayers(graph) };
  if (request.schedule === 'stream') {
    if (request.split !== undefined) return { kind: 'stream', plan: planStream(graph, request.split, { strips: request.strips }) };
    return { kind: 'stream', plan: chosenStreamPlan(graph, searchStream(graph, request.maxMacOverhead ?? DEFAULT_STREAM_MAX_MAC_OVERHEAD)) };
  }
  if (request.schedule === 'patch') {
    if (request.split !== undefined) return { kind: 'patch', plan: planPatches(graph, request.split, request.patches) };
    const chosen = choosePatchPlan(graph, request.maxMacOverhead ?? DEFAULT_MAX_MAC_OVERHEAD);
    return { kind: 'patch', plan: planPatches(graph, chosen.split, chosen.patches) };
  }
  const layer = planLayers(graph);
  const search = searchPlans(graph, request.maxMacOverhead ?? DEFAULT_MAX_MAC_OVERHEAD, layer.peakBytes);
  const { chosen } = search;
  if (chosen.schedule === 'layer') return { kind: 'layer', plan: layer };
  if (chosen.schedule === 'stream') return { kind: 'stream', plan: planStreamChoice(graph, search.stream) };
  return { kind: 'patch', plan: planPatches(graph, chosen.split, chosen.patches) };
}
