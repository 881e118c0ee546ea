// The seam between the evaluation pipeline and wherever the model runs (host addon, QEMU, a real board).
// The pipeline knows nothing about the target: it hands over input bytes and gets output bytes back, plus an
// optional latency. Everything target-specific that must survive an interrupted run (e.g. a board's host
// comparison or stack peak per sample) goes in `extra`, which the pipeline journals; `summarize` turns the
// journalled extras back into results fields, so a resumed run reports the same as an uninterrupted one.
import type { Environment, FlashUsage, PlanSummary, Results, ScheduleLabel, SramUsage } from '../report/results';

export type ExecutorLatencyUnit = 'cycles' | 'instructions' | 'ns';

export interface ExecutorRun {
  /** Every output tensor's bytes in the model's external dtype, concatenated in output order. */
  output: Uint8Array;
  /** Cost of this one inference, in `unit`. Board units go to the results; host wall time ('ns') only to the journal. */
  latency?: number;
  unit?: ExecutorLatencyUnit;
  /** Per-sample facts the executor needs again at the end (journalled as-is; must be JSON). */
  extra?: Record<string, unknown>;
}

export interface ExecutorDescription {
  /** 'host' for the native reference, otherwise a board id (e.g. 'stm32f746g-disco', 'emu-f412'). */
  target: string;
  /** Results `board` field; absent for a host run. */
  board?: string;
  schedule: ScheduleLabel;
  /** The planner's arena peak for the schedule that runs. */
  plannedPeakBytes?: number;
  sram?: Omit<SramUsage, 'plannedPeakBytes'>;
  flash?: FlashUsage;
  /** Core clock, so cycle counts can be shown in ms. */
  clockHz?: number;
  /** Identity of what runs (e.g. the model image hash), checked when a run is resumed. */
  fingerprint: string;
  /** Per-operator live bytes of the schedule (and its counterpart) for the reports' memory charts. */
  plan?: PlanSummary;
  /** Target facts for results.json `environment` (firmware, compiler, QEMU); the pipeline adds the common ones. */
  environment?: Environment;
}

export interface ExecutorSample { name: string; input: Uint8Array; }

/** A per-sample record as the pipeline journalled it; `extra` is what `run` returned for that sample. */
export interface JournalledRun { sample: string; outputSha256: string; latency?: number; unit?: ExecutorLatencyUnit; extra?: Record<string, unknown>; }

export interface Executor {
  describe(): ExecutorDescription;
  /** Samples it can run at once (a pool of boards); the pipeline then calls run() that many times concurrently. Default 1. */
  readonly lanes?: number;
  run(name: string, input: Uint8Array): Promise<ExecutorRun>;
  /** Optional: several inputs at once (the host runs them on a thread pool). Results in input order. */
  runBatch?(samples: readonly ExecutorSample[]): Promise<ExecutorRun[]>;
  /** Optional: results fields computed from every journalled run (agreement, fidelity, measured SRAM…). */
  summarize?(runs: readonly JournalledRun[]): Partial<Results>;
  close(): Promise<void>;
}
