// bench:device's patch-vs-layer section: what running the first ops patch by patch costs in latency on a board
// that fits both schedules, against what it costs in MACs (the planner's count of the recomputed halos). The
// issue's target: the patch schedule's latency overhead stays within its MAC overhead + 5 points.
import type { ScheduleRequest } from '../harness/pack/select-schedule';
import { selectSchedule } from '../harness/pack/select-schedule';
import type { Graph } from '../harness/model';

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
 * The planner's patch plan (lowest peak within the default MAC budget) and, when another board runs this model
 * patch-based because its layer plan does not fit there, that board's plan too.
 */
export function patchCandidates(graph: Graph, elsewhere: { board: string; schedule: ScheduleRequest }[]): PatchCandidate[] {
  const chosen = selectSchedule(graph, { schedule: 'patch' });
  if (chosen.kind !== 'patch') return [];
  const out: PatchCandidate[] = [{ split: chosen.plan.split, patches: chosen.plan.patches, macOverhead: chosen.plan.macOverhead, why: "planner's choice" }];
  for (const { board, schedule } of elsewhere) {
    if (schedule.schedule !== 'patch' || schedule.split === undefined) continue;
    const same = out.find((c) => c.split === schedule.split && c.patches === schedule.patches);
    if (same) {
      same.why += `, the plan ${board} runs`;
      continue;
    }
    const plan = selectSchedule(graph, schedule);
    if (plan.kind === 'patch') out.push({ split: plan.plan.split, patches: plan.plan.patches, macOverhead: plan.plan.macOverhead, why: `the plan ${board} runs` });
  }
  return out;
}

export interface PatchVsLayer {
  candidate: PatchCandidate;
  layerInstructions: number;
  patchInstructions: number;
  /** patch / layer − 1 */
  latencyOverhead: number;
  withinTarget: boolean;
}

export function compare(candidate: PatchCandidate, layerInstructions: number, patchInstructions: number): PatchVsLayer {
  const latencyOverhead = patchInstructions / layerInstructions - 1;
  return { candidate, layerInstructions, patchInstructions, latencyOverhead, withinTarget: latencyOverhead <= candidate.macOverhead + LATENCY_SLACK };
}

const pct = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`;
const int = (n: number): string => Math.round(n).toLocaleString('en-US');

export function formatComparison(r: PatchVsLayer): string {
  const c = r.candidate;
  return `  patch split ${c.split}, ${c.patches}x${c.patches} (${c.why}): ${int(r.patchInstructions)} instructions vs layer ${int(r.layerInstructions)}` +
    `  MACs ${pct(c.macOverhead)}, latency ${pct(r.latencyOverhead)}` +
    `  (target: latency <= MACs + ${(LATENCY_SLACK * 100).toFixed(0)} points: ${r.withinTarget ? 'met' : 'MISSED'})`;
}
