// The job a submitter puts on a board's queue and what an agent sends back: a shard of one cell's samples (one or
// more input tensors), everything an agent needs to build and boot the right firmware, and the runs it produced.
import type { ScheduleRequest } from '../pack/select-schedule';
import type { ExecutorLatencyUnit } from '../run/executor';

export interface CellIdentity {
  board: string;
  /** SHA-256 of the .tflite (the agent fetches it from Redis by this). */
  modelSha256: string;
  /** Model name for messages and results (file stem). */
  modelName: string;
  schedule: ScheduleRequest;
}

export interface ShardJob {
  cell: CellIdentity;
  /** Samples in the shard: name and input tensor (base64). */
  samples: { name: string; input: string }[];
}

export interface ShardRun {
  name: string;
  /** Output bytes, base64. */
  output: string;
  latency?: number;
  unit?: ExecutorLatencyUnit;
  extra?: Record<string, unknown>;
}

export interface ShardResult {
  agent: string;
  runs: ShardRun[];
}

/** Jobs of one cell share a BullMQ job name, so status and logs show which cell a job belongs to. */
export const cellJobName = (cell: CellIdentity): string => `${cell.modelName}@${cell.board}`;
