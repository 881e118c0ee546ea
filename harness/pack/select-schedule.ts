// Turns "which schedule" (layer, a given patch split, or automatic) into a concrete plan for the packer.
import { Graph } from '../model/graph';
import { choosePatchPlan, DEFAULT_MAX_MAC_OVERHEAD, planLayers, planPatches, searchPlans } from '../plan';
import { planStream, searchStream } from '../plan/stream-planner';
import { Schedule } from './schedule';

export type ScheduleRequest =
  | { schedule: 'layer' }
  | { schedule: 'patch'; split: number; patches: number }
  /** The planner's patch plan: the lowest-peak one within the MAC budget. */
  | { schedule: 'patch'; split?: undefined; patches?: undefined; maxMacOverhead?: number }
  /** The lowest-peak plan within the MAC budget: layer, patch or stream. */
  | { schedule: 'auto'; maxMacOverhead?: number }
  /** Row-band streaming with no recomputation: the planner's stream plan unless a prefix split is given. */
  | { schedule: 'stream'; split?: number };

export function selectSchedule(graph: Graph, request: ScheduleRequest): Schedule {
  if (request.schedule === 'layer') return { kind: 'layer', plan: planLayers(graph) };
  if (request.schedule === 'stream') {
    if (request.split !== undefined) return { kind: 'stream', plan: planStream(graph, request.split) };
    const choice = searchStream(graph);
    return { kind: 'stream', plan: planStream(graph, choice.split, { later: choice.later }) };
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
  if (chosen.schedule === 'stream') return { kind: 'stream', plan: planStream(graph, search.stream.split, { later: search.stream.later }) };
  return { kind: 'patch', plan: planPatches(graph, chosen.split, chosen.patches) };
}
