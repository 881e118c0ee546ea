// Which schedules of a model fit a board: the SRAM the bench firmware needs beyond the arena (static buffers,
// stack, the input buffer when the input is neither received into the arena nor streamed) comes from the same formula the fit
// check before a build uses (benchMemory + sramNeed), applied to the image each schedule packs into.
import type { ResolvedBoard } from '../boards';
import type { Graph } from '../model/graph';
import { readImage } from '../pack/read-image';
import { packImage } from '../pack/pack-image';
import type { Schedule } from '../pack/schedule';
import { planLayers, planPatches, planStreamChoice, searchPatchPlans, searchStream, streamsAnything, type ScheduleKind } from '../plan';
import { BENCH_STACK_BYTES, BENCH_STATIC_BASE_BYTES, benchMemory, type BenchMemory } from './bench-firmware';
import { boardSramBytes, sramNeed } from './board-fit';

export interface ScheduleFit {
  schedule: ScheduleKind;
  split?: number;
  patches?: number;
  macOverhead: number;
  /** Planned live-set peak (what the planner minimises). */
  peakBytes: number;
  memory: BenchMemory;
  /** SRAM the firmware needs on this board (the stack is left out when the chip keeps it in CCM). */
  needBytes: number;
  fits: boolean;
  /** sramBytes − needBytes: negative when it does not fit. */
  headroomBytes: number;
}

export function scheduleFit(graph: Graph, board: ResolvedBoard, schedule: Schedule): ScheduleFit {
  const memory = benchMemory(packImage(graph, schedule).bytes);
  const needBytes = sramNeed(board, memory);
  const headroomBytes = boardSramBytes(board) - needBytes;
  const plan = schedule.plan;
  return {
    schedule: schedule.kind,
    ...(schedule.kind === 'patch' ? { split: schedule.plan.split, patches: schedule.plan.patches } : {}),
    ...(schedule.kind === 'stream' ? { split: schedule.plan.split } : {}),
    macOverhead: schedule.kind === 'layer' ? 0 : schedule.plan.macOverhead,
    peakBytes: plan.peakBytes, memory, needBytes, fits: headroomBytes >= 0, headroomBytes,
  };
}

const align16 = (n: number): number => Math.ceil(n / 16) * 16;

/**
 * `--schedule auto` for a board: the plan with the least MAC overhead (layer-based, then stream-based, both +0 %)
 * whose firmware fits.
 * Plans within the MAC budget are tried first; when none of them fits, any plan that fits beats one that does
 * not (fitting is a constraint, the budget a preference). When nothing fits: the lowest-peak plan within the
 * budget, so the fit check names the figures. A plan whose live peak plus the firmware's fixed buffers cannot
 * fit is never packed.
 */
export function autoScheduleForBoard(graph: Graph, board: ResolvedBoard, maxMacOverhead: number): { schedule: Schedule; fit: ScheduleFit } {
  const layer = planLayers(graph);
  const layerSchedule: Schedule = { kind: 'layer', plan: layer };
  const layerFit = scheduleFit(graph, board, layerSchedule);
  if (layerFit.fits) return { schedule: layerSchedule, fit: layerFit };
  // Streaming costs no MACs either: next in line.
  const streamChoice = searchStream(graph, 0);
  if (streamsAnything(streamChoice)) {
    const streamSchedule: Schedule = { kind: 'stream', plan: planStreamChoice(graph, streamChoice) };
    const streamFit = scheduleFit(graph, board, streamSchedule);
    if (streamFit.fits) return { schedule: streamSchedule, fit: streamFit };
  }
  // Beyond the arena a patch plan needs the firmware's fixed buffers; its input is streamed window by window
  // unless the model has several inputs, which stay whole in a static buffer.
  const records = readImage(packImage(graph, layerSchedule).bytes);
  const inputs = records.io.filter((x) => x.direction === 'input').length;
  const floor = BENCH_STATIC_BASE_BYTES + (inputs === 1 ? 0 : align16(records.inputBytes)) + layerFit.memory.outputBufferBytes +
    (board.chip.ccm ? 0 : BENCH_STACK_BYTES);
  const search = searchPatchPlans(graph, Number.POSITIVE_INFINITY, layer.peakBytes);
  const patchPlans = search.candidates.filter((c) => c.split > 0 && c.peakBytes + floor <= boardSramBytes(board));
  const byOverhead = patchPlans.sort((a, b) => a.macOverhead - b.macOverhead || a.peakBytes - b.peakBytes);
  for (const candidate of byOverhead) {
    const schedule: Schedule = { kind: 'patch', plan: planPatches(graph, candidate.split, candidate.patches) };
    const fit = scheduleFit(graph, board, schedule);
    if (fit.fits) return { schedule, fit };
  }
  const chosen = searchPatchPlans(graph, maxMacOverhead, layer.peakBytes).chosen;
  if (chosen.split === 0) return { schedule: layerSchedule, fit: layerFit };
  const schedule: Schedule = { kind: 'patch', plan: planPatches(graph, chosen.split, chosen.patches) };
  return { schedule, fit: scheduleFit(graph, board, schedule) };
}

/** What `plan --board` adds: per schedule, the firmware's SRAM need on the board, whether it fits and the headroom. */
export interface BoardPlanReport {
  id: string;
  sramBytes: number;
  /** Whether each schedule's firmware fits (null: the model has no such plan). */
  fits: Record<ScheduleKind, boolean | null>;
  needBytes: Record<ScheduleKind, number | null>;
  headroomBytes: Record<ScheduleKind, number | null>;
  /** Static data, stack and input buffer per schedule: the part of the need outside the arena. */
  beyondArenaBytes: Record<ScheduleKind, number | null>;
  /** Whether each schedule's firmware streams its input (asks the host region by region; no input buffer). */
  inputStreamed: Record<ScheduleKind, boolean | null>;
  /** What `--schedule auto` picks on this board. */
  auto: { schedule: ScheduleKind; split?: number; patches?: number; macOverhead: number; needBytes: number; fits: boolean };
}

export function boardPlanReport(graph: Graph, board: ResolvedBoard, patch: Schedule | undefined, maxMacOverhead: number,
  stream?: Schedule): BoardPlanReport {
  const layerFit = scheduleFit(graph, board, { kind: 'layer', plan: planLayers(graph) });
  const patchFit = patch ? scheduleFit(graph, board, patch) : undefined;
  const streamFit = stream ? scheduleFit(graph, board, stream) : undefined;
  const per = <T>(f: (x: ScheduleFit) => T): Record<ScheduleKind, T | null> => ({
    layer: f(layerFit), patch: patchFit ? f(patchFit) : null, stream: streamFit ? f(streamFit) : null,
  });
  const auto = autoScheduleForBoard(graph, board, maxMacOverhead).fit;
  return {
    id: board.board.id,
    sramBytes: boardSramBytes(board),
    fits: per((x) => x.fits),
    needBytes: per((x) => x.needBytes),
    headroomBytes: per((x) => x.headroomBytes),
    beyondArenaBytes: per((x) => x.needBytes - x.memory.arenaBytes),
    inputStreamed: per((x) => x.memory.inputStreamed),
    auto: { schedule: auto.schedule, split: auto.split, patches: auto.patches, macOverhead: auto.macOverhead, needBytes: auto.needBytes, fits: auto.fits },
  };
}

export function boardPlanText(r: BoardPlanReport, patchLabel: string | undefined, stream = false): string {
  const int = (n: number) => n.toLocaleString('en-US');
  const lines = [`board ${r.id}: ${int(r.sramBytes)} B SRAM`];
  const row = (kind: ScheduleKind, label: string) => {
    const need = r.needBytes[kind];
    if (need === null) return;
    const head = r.headroomBytes[kind]!;
    const input = r.inputStreamed[kind] ? ', input streamed' : '';
    lines.push(`  ${label.padEnd(28)} needs ${int(need).padStart(9)} B (arena + ${int(r.beyondArenaBytes[kind]!)} B static, stack, buffers${input}): ` +
      (head >= 0 ? `fits, ${int(head)} B headroom` : `does not fit, ${int(-head)} B over`));
  };
  row('layer', 'layer-based');
  if (patchLabel) row('patch', patchLabel);
  if (stream) row('stream', 'stream-based');
  const a = r.auto;
  const what = a.schedule === 'patch' ? `patch split ${a.split}, ${a.patches}x${a.patches}` : `${a.schedule}-based`;
  lines.push(`  --schedule auto picks: ${what} (+${(a.macOverhead * 100).toFixed(1)} % MACs, ${int(a.needBytes)} B${a.fits ? '' : ', still does not fit'})`);
  return lines.join('\n') + '\n';
}
