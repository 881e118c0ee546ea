// The submitting side of a queued run: an Executor whose samples run on whichever agent serves the cell's board.
// Each shard of samples is one BullMQ job with an id derived from the output folder, the cell and the sample names,
// so a submitter that is killed and resumed finds the jobs it had queued (and their results, if an agent finished
// them meanwhile) instead of queuing them twice. The pipeline journals each sample on this host as its job
// completes: one results folder, the same journal-and-resume guarantees as a local run.
import { createHash } from 'crypto';
import { Job, Queue, type ConnectionOptions } from 'bullmq';
import { LinkError } from '../link/link-errors';
import type { FlashUsage, Results } from '../report/results';
import { summarizeBoardRuns, type BoardRunFigures } from '../run/board-executor';
import type { Executor, ExecutorDescription, ExecutorRun, ExecutorSample, JournalledRun } from '../run/executor';
import { boardQueueName } from './connection';
import { cellJobName, type CellIdentity, type ShardJob, type ShardResult } from './jobs';

/** Figures of the firmware an agent ran, sent with every sample so a resumed run summarises the same. */
export interface AgentFigures extends BoardRunFigures {
  flash: FlashUsage;
  clockHz?: number;
}

export interface QueueExecutorOptions {
  connection: ConnectionOptions;
  cell: CellIdentity;
  /** Identifies this cell of this run (output folder + cell); job ids start with it. */
  runTag: string;
  /** Description computed on this host (schedule, planned peak, plan); agents add the firmware's figures. */
  description: ExecutorDescription;
  /** Shards in flight at once. Default 4. */
  lanes?: number;
  /** Tries per shard across agents before the run stops (a sample the firmware itself rejects fails every time). Default 5. */
  attempts?: number;
  pollMs?: number;
  onShardDone?: (samples: number) => void;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class QueueExecutor implements Executor {
  readonly lanes: number;
  private readonly queue: Queue;
  private closed = false;

  constructor(private readonly options: QueueExecutorOptions) {
    this.lanes = options.lanes ?? 4;
    this.queue = new Queue(boardQueueName(options.cell.board), { connection: options.connection });
    // While Redis is away (a restart) commands wait for it; the connection errors themselves need no report.
    this.queue.on('error', () => undefined);
  }

  describe(): ExecutorDescription {
    return this.options.description;
  }

  async run(name: string, input: Uint8Array): Promise<ExecutorRun> {
    return (await this.runBatch([{ name, input }]))[0];
  }

  async runBatch(samples: readonly ExecutorSample[]): Promise<ExecutorRun[]> {
    const names = samples.map((s) => s.name);
    const jobId = `${this.options.runTag}-${createHash('sha256').update(names.join('\n')).digest('hex').slice(0, 16)}`;
    const data: ShardJob = { cell: this.options.cell, samples: samples.map((s) => ({ name: s.name, input: Buffer.from(s.input).toString('base64') })) };
    // Same id as a job queued before a restart: BullMQ keeps the existing one (and its result, if it finished).
    await this.queue.add(cellJobName(this.options.cell), data, {
      jobId, attempts: this.options.attempts ?? 5, backoff: { type: 'fixed', delay: 500 },
      removeOnComplete: { age: 7 * 24 * 3600 }, removeOnFail: { age: 7 * 24 * 3600 },
    });
    const result = await this.waitFor(jobId);
    const byName = new Map(result.runs.map((r) => [r.name, r]));
    const runs = names.map((name): ExecutorRun => {
      const r = byName.get(name);
      if (!r) throw new LinkError(`agent ${result.agent} returned no result for sample '${name}' (job ${jobId})`);
      return { output: new Uint8Array(Buffer.from(r.output, 'base64')), latency: r.latency, unit: r.unit, extra: r.extra };
    });
    this.options.onShardDone?.(runs.length);
    return runs;
  }

  /** Polls the job (robust across Redis restarts, where event streams may miss a completion) until it ends. */
  private async waitFor(jobId: string): Promise<ShardResult> {
    for (;;) {
      if (this.closed) throw new LinkError(`queue closed while waiting for job ${jobId}`);
      const job = await Job.fromId<ShardJob, ShardResult>(this.queue, jobId);
      if (!job) throw new LinkError(`job ${jobId} vanished from ${this.queue.name} (was Redis flushed?); rerun with --resume`);
      // Take the result only from a read that already shows the job finished: its state can move on after the read.
      if (job.finishedOn && job.returnvalue) return job.returnvalue;
      if (job.finishedOn && job.failedReason && (await job.getState()) === 'failed') {
        throw new LinkError(`job ${jobId} on ${this.queue.name} failed ${job.attemptsMade} times: ${job.failedReason}; finished samples are kept (rerun with --resume)`);
      }
      await sleep(this.options.pollMs ?? 200);
    }
  }

  summarize(runs: readonly JournalledRun[]): Partial<Results> {
    const figures = [...runs].reverse().map((r) => r.extra?.figures as AgentFigures | undefined).find((f) => f !== undefined);
    if (!figures) return {};
    return { ...summarizeBoardRuns(runs, figures), flash: figures.flash };
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue.close();
  }
}
