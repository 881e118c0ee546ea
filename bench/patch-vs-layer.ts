// bench:device's patch-vs-layer section: what running the first ops patch by patch costs in latency on a board
// that fits both schedules, against what it costs in MACs (the planner's count of the recomputed halos). The
// issue's target: the patch schedule's latency overhead stays within its MAC overhead + 5 points.
import type { ScheduleRequest } from '../harness/pack/select-schedule';
import { selectSchedule } from '../harness/pack/select-schedule';
import type { Graph } from '../harness/model';
import { searchPatchPlans, type PatchPlan } from '../harness/plan';

/** Latency overhead may exceed the MAC overhead by this much (5 percentage points). */
export const LATENCY_SLACK = 0.05;

/** (board, model) pairs compared by default: emu-f746 fits both schedules of both models. */
export const PATCH_COMPARISONS: { board: string; model: string }[] = [
  { board: 'emu-f746', model: 'person_detect' },
  { board: 'emu-f746', model: 'mcunet-in3_320kb-1mb_imagenet' },
  { board: 'emu-f412', model: 'person_detect' },
];

/** One patch plan to run against the layer schedule, and why it was picked. */
export interface PatchCandidate {
  split: number;
  patches: number;
  macOverhead: number;
  why: string;
}

/**
 * The planner's patch plan (lowest peak within the default MAC budget); when another board runs this model
 * patch-based because its layer plan does not fit there, that board's plan; and the deepest 2x2 split on the
 * Pareto front (peak vs MACs: the most recomputation a 2x2 grid buys, e.g. mcunet-in3's split 21).
 */
export function patchCandidates(graph: Graph, elsewhere: { board: string; schedule: ScheduleRequest }[]): PatchCandidate[] {
  const chosen = selectSchedule(graph, { schedule: 'patch' });
  if (chosen.kind !== 'patch') return [];
  const out: PatchCandidate[] = [{ split: chosen.plan.split, patches: chosen.plan.patches, macOverhead: chosen.plan.macOverhead, why: "planner's choice" }];
  const add = (split: number, patches: number, why: string): void => {
    const same = out.find((c) => c.split === split && c.patches === patches);
    if (same) {
      same.why += `, ${why}`;
      return;
    }
    const plan = selectSchedule(graph, { schedule: 'patch', split, patches });
    if (plan.kind === 'patch') out.push({ split, patches, macOverhead: plan.plan.macOverhead, why });
  };
  for (const { board, schedule } of elsewhere) {
    if (schedule.schedule === 'patch' && schedule.split !== undefined) add(schedule.split, schedule.patches, `the plan ${board} runs`);
  }
  const deepest = searchPatchPlans(graph, Number.POSITIVE_INFINITY).pareto.filter((p) => p.split > 0 && p.patches === 2)
    .sort((a, b) => b.split - a.split)[0];
  if (deepest) add(deepest.split, deepest.patches, 'the deepest 2x2 split on the Pareto front');
  return out;
}

export interface PatchVsLayer {
  candidate: PatchCandidate;
  layerInstructions: number;
  patchInstructions: number;
  /** patch / layer − 1 */
  latencyOverhead: number;
  /** The overhead if every op kept its own layer-schedule instructions per output pixel (see atLayerRates). */
  atLayerRates: number;
  withinTarget: boolean;
}

/** An op's instructions in the layer run, by its graph index. */
export interface LayerOpCost { graphIndex: number; instructions: number }

/**
 * Patch-schedule instructions predicted from the layer run: each stage op's layer instructions scaled by the
 * output pixels its steps compute over all patches (for a convolution the same ratio as its MACs), the rest
 * unchanged. The MAC overhead weighs every MAC alike; this weighs the recomputed pixels by what the op costs, so
 * a stage of ops dearer per MAC than the model's average (depthwise, the stem) shows here, and the gap between it
 * and the measured figure is what the patch stage adds itself (per-call set-up, edge blocks, copies).
 */
export function atLayerRates(graph: Graph, plan: PatchPlan, layer: LayerOpCost[]): number {
  const computed = new Map<number, number>();
  for (const patch of plan.patchList) {
    for (const step of patch.steps) {
      const r = step.outRegion;
      computed.set(step.op, (computed.get(step.op) ?? 0) + (r.y1 - r.y0) * (r.x1 - r.x0));
    }
  }
  return layer.reduce((sum, op) => {
    const pixels = computed.get(op.graphIndex);
    const out = graph.operators[op.graphIndex] ? graph.tensors[graph.operators[op.graphIndex].outputs[0]] : undefined;
    const whole = out && out.shape.length === 4 ? out.shape[1] * out.shape[2] : 0;
    return sum + (pixels !== undefined && whole > 0 ? op.instructions * (pixels / whole) : op.instructions);
  }, 0);
}

export function compare(candidate: PatchCandidate, layerInstructions: number, patchInstructions: number, predicted: number): PatchVsLayer {
  const latencyOverhead = patchInstructions / layerInstructions - 1;
  return {
    candidate, layerInstructions, patchInstructions, latencyOverhead, atLayerRates: predicted / layerInstructions - 1,
    withinTarget: latencyOverhead <= candidate.macOverhead + LATENCY_SLACK,
  };
}

const pct = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`;
const int = (n: number): string => Math.round(n).toLocaleString('en-US');

export function formatComparison(r: PatchVsLayer): string {
  const c = r.candidate;
  return `  patch split ${c.split}, ${c.patches}x${c.patches} (${c.why}): ${int(r.patchInstructions)} instructions vs layer ${int(r.layerInstructions)}` +
    `  MACs ${pct(c.macOverhead)}, latency ${pct(r.latencyOverhead)} (${pct(r.atLayerRates)} at the layer's per-op rates)` +
    `  (target: latency <= MACs + ${(LATENCY_SLACK * 100).toFixed(0)} points: ${r.withinTarget ? 'met' : 'MISSED'})`;
}
