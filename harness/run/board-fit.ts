// Does a planned model fit a board's SRAM? Checked before any firmware is built, with a clear message that names
// both figures and, when the plan does not fit, the best patch plan that would.
import type { ResolvedBoard } from '../boards';
import { BuildError } from '../build';
import type { Graph } from '../model/graph';
import { planLayers, planPatches, searchPatchPlans } from '../plan';
import { BENCH_STACK_BYTES, BENCH_STATIC_BASE_BYTES, type BenchMemory } from './bench-firmware';

export interface ScheduleLabel {
  kind: 'layer' | 'patch' | 'prepacked';
  split?: number;
  patches?: number;
}

export interface FittingPatchPlan {
  split: number;
  patches: number;
  /** Estimated SRAM need of the bench firmware with this plan (arena + static + stack). */
  totalBytes: number;
  macOverhead: number;
}

const align16 = (n: number): number => Math.ceil(n / 16) * 16;

/** SRAM the board offers to the firmware's arena, static data and (unless the chip has CCM for it) the stack. */
export function boardSramBytes(board: ResolvedBoard): number {
  return board.chip.sram.size;
}

/** The part of the need that lives in main SRAM (a chip with CCM keeps the stack there). */
export function sramNeed(board: ResolvedBoard, memory: BenchMemory): number {
  return memory.arenaBytes + memory.staticBytes + (board.chip.ccm ? 0 : memory.stackBytes);
}

export function describeSchedule(label: ScheduleLabel): string {
  if (label.kind === 'patch') return `patch-based plan (split ${label.split}, ${label.patches}×${label.patches})`;
  return label.kind === 'layer' ? 'layer-based plan' : 'packed image';
}

/**
 * The patch plan with the least MAC overhead whose firmware would fit the board, or undefined.
 * Patch plans read the input image from a static buffer outside the arena, so it counts towards the need.
 */
export function bestFittingPatchPlan(graph: Graph, board: ResolvedBoard, io: { inputBytes: number; outputBytes: number }): FittingPatchPlan | undefined {
  const budget = boardSramBytes(board);
  const fixed = BENCH_STATIC_BASE_BYTES + align16(io.inputBytes) + align16(Math.max(io.outputBytes, 16)) + (board.chip.ccm ? 0 : BENCH_STACK_BYTES);
  const layer = planLayers(graph);
  const { candidates } = searchPatchPlans(graph, Number.POSITIVE_INFINITY, layer.peakBytes);
  const ordered = candidates.filter((c) => c.split > 0 && c.peakBytes + fixed <= budget)
    .sort((a, b) => a.macOverhead - b.macOverhead || a.peakBytes - b.peakBytes);
  for (const candidate of ordered) {
    const plan = planPatches(graph, candidate.split, candidate.patches);
    const totalBytes = align16(align16(plan.arenaBytes) + plan.scratchBytes) + fixed;
    if (totalBytes <= budget) return { split: candidate.split, patches: candidate.patches, totalBytes, macOverhead: candidate.macOverhead };
  }
  return undefined;
}

/** Throws a BuildError ("does not fit") when the bench firmware for this plan would overflow the board's SRAM. */
export function checkSramFit(modelName: string, board: ResolvedBoard, label: ScheduleLabel, memory: BenchMemory,
  suggest: () => FittingPatchPlan | undefined): void {
  const need = sramNeed(board, memory);
  const have = boardSramBytes(board);
  if (need <= have) return;
  const stack = board.chip.ccm ? '' : ` + stack ${memory.stackBytes}`;
  const fitting = suggest();
  const hint = fitting
    ? `; try --schedule patch --split ${fitting.split} --patches ${fitting.patches} (best fitting patch plan: split ${fitting.split}, ` +
      `${fitting.patches}×${fitting.patches}, ${fitting.totalBytes} B, +${(fitting.macOverhead * 100).toFixed(1)} % MACs)`
    : '; no patch plan of this model fits either';
  throw new BuildError(`model ${modelName} does not fit ${board.board.id}: ${describeSchedule(label)} needs ${need} B of SRAM ` +
    `(arena ${memory.arenaBytes} + static ${memory.staticBytes}${stack}), the board has ${have} B${hint}`);
}
