// Does a planned model fit a board's SRAM? Checked before any firmware is built, with a clear message that names
// both figures and, when the plan does not fit, the best patch plan that would.
import type { ResolvedBoard } from '../boards';
import { mainSramBytes } from '../metrics/sram';
import type { Graph } from '../model/graph';
import type { ScheduleLabel } from '../pack/schedule';
import { planLayers, planPatches, searchPatchPlans } from '../plan';
import { benchMemoryFor, type BenchMemory } from './bench-firmware';
import { BuildError } from './build-error';

export interface FittingPatchPlan {
  split: number;
  patches: number;
  /** Estimated SRAM need of the bench firmware with this plan (arena + static + stack). */
  totalBytes: number;
  macOverhead: number;
}

/** SRAM the board offers to the firmware's arena, static data and (unless the chip has CCM for it) the stack. */
export function boardSramBytes(board: ResolvedBoard): number {
  return board.chip.sram.size;
}

/** The part of the need that lives in main SRAM (a chip with CCM keeps the stack there). */
export function sramNeed(board: ResolvedBoard, memory: BenchMemory): number {
  const { arenaBytes, staticBytes, stackBytes } = memory;
  return mainSramBytes({ arenaBytes, staticBytes, stackBytes }, board.chip.ccm !== undefined);
}

export function describeSchedule(label: ScheduleLabel): string {
  return label.kind === 'patch' ? `patch-based plan (split ${label.split}, ${label.patches}×${label.patches})` : 'layer-based plan';
}

/**
 * The patch plan with the least MAC overhead whose firmware would fit the board, or undefined.
 * A patch stage reads the input window by window, which the bench firmware asks the host for (streamed input),
 * so the input counts towards the need only for a model with several inputs (kept whole in a static buffer).
 */
export function bestFittingPatchPlan(graph: Graph, board: ResolvedBoard,
  io: { inputBytes: number; outputBytes: number; inputs?: number; outputInArena?: boolean }): FittingPatchPlan | undefined {
  const budget = boardSramBytes(board);
  const streamed = (io.inputs ?? 1) === 1;
  const need = (arenaSize: number, scratchSize: number): number => sramNeed(board, benchMemoryFor({
    arenaSize, scratchSize, inputBytes: io.inputBytes, outputBytes: io.outputBytes, inputInArena: false, inputStreamed: streamed, outputInArena: io.outputInArena,
  }));
  const layer = planLayers(graph);
  const { candidates } = searchPatchPlans(graph, Number.POSITIVE_INFINITY, layer.peakBytes);
  // The peak is a lower bound of the arena: candidates over budget on it alone need no full plan.
  const ordered = candidates.filter((c) => c.split > 0 && need(c.peakBytes, 0) <= budget)
    .sort((a, b) => a.macOverhead - b.macOverhead || a.peakBytes - b.peakBytes);
  for (const candidate of ordered) {
    const plan = planPatches(graph, candidate.split, candidate.patches);
    const totalBytes = need(plan.arenaBytes, plan.scratchBytes);
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
