// The planner's per-operator live bytes for results.json, so reports can draw the layer-based and patch-based
// memory bars side by side (the MCUNetV2 paper's Figure 1, for the user's model).
import { Graph } from '../model/graph';
import { DEFAULT_MAX_MAC_OVERHEAD, planLayers, planPatches, planStreamChoice, searchPatchPlans, searchStream, type PatchPlan, type StreamPlan } from '../plan';
import type { Schedule } from '../pack/schedule';
import type { PlanSummary, PatchPlanSummary, StreamPlanSummary } from '../report/results';

function patchSummary(graph: Graph, plan: PatchPlan): PatchPlanSummary {
  return {
    split: plan.split, patches: plan.patches, peakBytes: plan.peakBytes,
    ops: graph.operators.map((op) => ({ index: op.index, type: op.type, liveBytes: plan.liveBytes[op.index] })),
  };
}

function streamSummary(graph: Graph, plan: StreamPlan): StreamPlanSummary {
  return {
    split: plan.split, segments: plan.segments.map((s) => [s.first, s.end]), peakBytes: plan.peakBytes,
    ops: graph.operators.map((op) => ({ index: op.index, type: op.type, liveBytes: plan.liveBytes[op.index] })),
  };
}

/**
 * The schedule that ran, plus its counterpart for comparison: a layer-based run is shown next to the best patch
 * plan the search finds within the default MAC budget (none when patching does not lower the peak).
 */
export function planSummary(graph: Graph, schedule: Schedule): PlanSummary {
  const layer = schedule.kind === 'layer' ? schedule.plan : planLayers(graph);
  const summary: PlanSummary = {
    layerBased: { peakBytes: layer.peakBytes, ops: layer.ops.map((o) => ({ index: o.index, type: o.type, liveBytes: o.liveBytes })) },
  };
  if (schedule.kind === 'patch') {
    summary.patchBased = patchSummary(graph, schedule.plan);
  } else {
    const { chosen } = searchPatchPlans(graph, DEFAULT_MAX_MAC_OVERHEAD, layer.peakBytes);
    if (chosen.split > 0) summary.patchBased = patchSummary(graph, planPatches(graph, chosen.split, chosen.patches));
  }
  if (schedule.kind === 'stream') {
    summary.streamBased = streamSummary(graph, schedule.plan);
  } else {
    summary.streamBased = streamSummary(graph, planStreamChoice(graph, searchStream(graph)));
  }
  return summary;
}
