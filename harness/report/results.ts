// The results file written by `mcubench eval` (host) and `mcubench run` (board): the one input of every report.
// docs/results.md documents each field; fractions are 0..1, sizes are bytes, latencies are in `latency.unit`.

export type ClassLabel = string | number;
export type LatencyUnit = 'cycles' | 'instructions';
export type LatencyStatistic = 'mean' | 'p50' | 'p90' | 'p99' | 'min' | 'max';

/** layer, or patch with split (the first operator after the patch stage) and patches per side (n×n grid). */
export type { ScheduleLabel } from '../pack/schedule';
import type { ScheduleLabel } from '../pack/schedule';

export interface SkippedInput { file: string; reason: string; }

export interface SampleResult {
  name: string;
  /** SHA-256 (hex) of the raw output bytes, all output tensors concatenated. */
  outputSha256: string;
  /** Board runs: whether the output bytes equal the host reference's. */
  matchesHost?: boolean;
  cycles?: number;
  instructions?: number;
  label?: ClassLabel;
  predicted?: ClassLabel;
  hostPredicted?: ClassLabel;
}

export interface Accuracy { top1: number; top5: number; }

export interface DetectionScores { map07: number; map12: number; perClass: Record<string, number>; }

export interface Fidelity { bitExactRate: number; maxAbsError: number; rmse: number; cosine: number; l2Relative: number; }

/** Measured fields exist only for board runs; a host eval carries the planned peak alone. */
export interface SramUsage {
  /** .data + .bss of the firmware image. */
  staticBytes?: number;
  stackPeakBytes?: number;
  arenaPeakBytes?: number;
  /** Worst total in use on the target: static + stack peak + arena peak, as measured. */
  measuredPeakBytes?: number;
  /** The planner's arena peak for the schedule that ran. */
  plannedPeakBytes: number;
  boardBytes?: number;
  /** The board received the input region by region and never held it whole (so measuredPeakBytes excludes it). */
  inputStreamed?: boolean;
}

export interface FlashUsage { codeBytes: number; modelBytes: number; boardBytes?: number; }

export interface LatencyStats { mean: number; p50: number; p90: number; p99: number; min: number; max: number; }

export interface Latency extends LatencyStats {
  unit: LatencyUnit;
  clockHz?: number;
  ms?: LatencyStats;
}

export interface PlanOp { index: number; type: string; liveBytes: number; }

/** One schedule's live bytes per operator, as results.json carries them for the memory bars. */
export interface LayerPlanSummary { peakBytes: number; ops: PlanOp[]; }

export interface PatchPlanSummary extends LayerPlanSummary { split: number; patches: number; }

export interface StreamPlanSummary extends LayerPlanSummary { split: number; segments: [number, number][]; }

export interface PlanSummary { layerBased: LayerPlanSummary; patchBased?: PatchPlanSummary; streamBased?: StreamPlanSummary; }

/** Budgets turned into JUnit checks; each present field is one test case. */
export interface Thresholds {
  minTop1?: number;
  minTop5?: number;
  minMap07?: number;
  minMap12?: number;
  minBitExactRate?: number;
  maxSramBytes?: number;
  maxFlashBytes?: number;
  /** In `latency.unit`. */
  maxLatency?: number;
  maxLatencyMs?: number;
  /** Which latency statistic the latency budgets apply to; default p99. */
  latencyStatistic?: LatencyStatistic;
}

export interface ToolInfo { name: string; version: string; }

export interface Results {
  model: string;
  board?: string;
  dataset?: string;
  schedule: ScheduleLabel;
  count: number;
  skipped: SkippedInput[];
  accuracy?: Accuracy;
  detection?: DetectionScores;
  samples: SampleResult[];
  agreement?: number;
  fidelity?: Fidelity;
  sram?: SramUsage;
  flash?: FlashUsage;
  latency?: Latency;
  plan?: PlanSummary;
  thresholds?: Thresholds;
  createdAt: string;
  tool: ToolInfo;
}

export const LATENCY_STATISTICS: readonly LatencyStatistic[] = ['mean', 'p50', 'p90', 'p99', 'min', 'max'];

export { ResultsError } from './results-error';
export { validateResults } from './validate-results';

/** Sum of the flash parts; the figure compared against board flash and budgets. */
export function flashTotalBytes(flash: FlashUsage): number {
  return flash.codeBytes + flash.modelBytes;
}

/** Per-sample latency in the results' unit, for samples that carry one. */
export function sampleLatencies(results: Results): number[] {
  const unit = results.latency?.unit ?? (results.samples.some((s) => s.cycles !== undefined) ? 'cycles' : 'instructions');
  return results.samples.map((s) => s[unit]).filter((v): v is number => v !== undefined);
}
