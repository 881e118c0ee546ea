// The results file written by `mcubench eval` (host) and `mcubench run` (board): the one input of every report.
// docs/results.md documents each field; fractions are 0..1, sizes are bytes, latencies are in `latency.unit`.

export type ClassLabel = string | number;
export type LatencyUnit = 'cycles' | 'instructions';
export type LatencyStatistic = 'mean' | 'p50' | 'p90' | 'p99' | 'min' | 'max';

/** layer, or patch with split (the first operator after the patch stage) and patches per side (n×n grid). */
export type { ScheduleLabel } from '../pack/schedule';
import type { ScheduleLabel } from '../pack/schedule';

export interface SkippedInput { file: string; reason: string; }

/** Where and when one sample ran: the host, agent, board instance and firmware that produced its numbers. */
export interface SampleProvenance {
  host: string;
  /** The queue agent that ran it (mcubench agent), absent for a local run. */
  agent?: string;
  board: string;
  /** The board instance: "qemu pid 1234" or "stlink <probe serial>". */
  instance: string;
  /** SHA-256 of the firmware ELF that ran. */
  firmwareSha256: string;
  startedAt: string;
  endedAt: string;
}

export interface SampleResult {
  name: string;
  run?: SampleProvenance;
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

/** `top5` only when the model has more than five classes (top-5 of a 2-class model is always 100 %). */
export interface Accuracy { top1: number; top5?: number; }

export interface DetectionScores { map07: number; map12: number; perClass: Record<string, number>; }

/** Device output against the reference output of one output tensor, in real units after dequantization. */
export interface TensorFidelity {
  /** Output tensor index (model output order). */
  output: number;
  maxAbsError: number;
  mae: number;
  rmse: number;
  cosine: number;
  /** ‖device − reference‖₂ / ‖reference‖₂; absent when the reference is all zero (it would be infinite). */
  l2Relative?: number;
}

/** One sample whose output is not bit-exact with the reference: which elements differ and by how much. */
export interface SampleFidelity {
  name: string;
  /** Elements (over every output tensor) whose stored value differs. */
  mismatched: number;
  elements: number;
  outputs: TensorFidelity[];
}

/**
 * Device vs reference (host addon, or another run with `eval --reference`). The error figures summarise the
 * samples that are not bit-exact: worst max abs error, mean MAE and RMSE, lowest cosine, largest L2 relative
 * error; all zero (cosine 1) when every sample is bit-exact.
 */
export interface Fidelity {
  bitExactRate: number;
  maxAbsError: number;
  rmse: number;
  cosine: number;
  l2Relative: number;
  mae?: number;
  /** Samples compared, and how many are bit-exact. */
  samples?: number;
  bitExactSamples?: number;
  /** Fraction of compared samples whose top-1 class is the same on device and reference (classifiers only). */
  top1Agreement?: number;
  /** What the outputs were compared with: 'host' (the addon, same inputs) or the reference run's folder name. */
  reference?: string;
  /** Per sample, only those that are not bit-exact (at most 100 listed). */
  mismatches?: SampleFidelity[];
}

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

/** Per-operator figures measured on the board: `latency` is the mean over samples, in `latency.unit`. */
export interface OpFigures {
  /** Index of the operator (or, under a patch schedule, of the first operator of the patch stage). */
  index: number;
  type: string;
  macs?: number;
  latency?: number;
}

/** Where and with what a run was made; reports show it, the gate checks the identity fields. */
export interface Environment {
  /** SHA-256 of the .tflite file. */
  modelSha256?: string;
  /** Identity of the packed model image (the board's HELLO model hash). */
  imageHash?: string;
  /** Content hash of the firmware build (the build cache key). */
  firmwareHash?: string;
  /** Link protocol version the firmware speaks. */
  firmwareProtocol?: number;
  coreClockHz?: number;
  compiler?: string;
  compilerFlags?: string;
  qemuVersion?: string;
  gitCommit?: string;
  host?: string;
  node?: string;
}

/** One board's share of a run spread over boards of different kinds (results.boards). */
export interface BoardGroup {
  board: string;
  count: number;
  /** Board instances that ran samples. */
  instances: string[];
  agreement?: number;
  latency?: Latency;
  sram?: SramUsage;
}

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
  /** Per-operator latency (board runs), in execution order. */
  ops?: OpFigures[];
  plan?: PlanSummary;
  environment?: Environment;
  thresholds?: Thresholds;
  createdAt: string;
  /** Runs over boards of different kinds: the figures per board (top-level latency and SRAM are then absent). */
  boards?: BoardGroup[];
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
