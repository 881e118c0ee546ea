// Turns "which schedule" (layer, a given patch split, or automatic) into a concrete plan for the packer.
import { Graph } from '../model/graph';
import { DEFAULT_MAX_MAC_OVERHEAD, planLayers, planPatches, searchPatchPlans } from '../plan';
import { Schedule } from './schedule';

export type ScheduleRequest =
  | { schedule: 'layer' }
  | { schedule: 'patch'; split: number; patches: number }
  /** The lowest-peak patch plan within the MAC budget, or layer-based when no patch plan beats it. */
  | { schedule: 'auto'; maxMacOverhead?: number };

export function selectSchedule(graph: Graph, request: ScheduleRequest): Schedule {
  if (request.schedule === 'layer') return { kind: 'layer', plan: planLayers(graph) };
  if (request.schedule === 'patch') return { kind: 'patch', plan: planPatches(graph, request.split, request.patches) };
  const layer = planLayers(graph);
  const { chosen } = searchPatchPlans(graph, request.maxMacOverhead ?? DEFAULT_MAX_MAC_OVERHEAD, layer.peakBytes);
  if (chosen.split === 0) return { kind: 'layer', plan: layer };
  return { kind: 'patch', plan: planPatches(graph, chosen.split, chosen.patches) };
}
