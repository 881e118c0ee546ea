// `mcubench agent`: one per lab host. It advertises its boards in Redis, takes jobs from the queue of each kind of
// board it has (one BullMQ worker per board instance, one job at a time), runs the shard's samples on that board
// with firmware built for the job's cell, and returns the outputs. A job held by an agent that dies is moved back
// to the queue by BullMQ's stalled-job check and taken by another agent; before taking any job an agent ends what
// a crashed predecessor on this host left running (QEMU, flashers).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { loadBoard } from '../boards';
import { LinkError } from '../link/link-errors';
import { loadModel } from '../model';
import { reapOrphans } from '../process/children';
import { BoardExecutor, type BoardExecutorOptions } from '../run/board-executor';
import { boardQueueName, agentKey, modelKey } from './connection';
import type { CellIdentity, ShardJob, ShardResult } from './jobs';
import type { AgentFigures } from './queue-executor';

export interface AgentOptions {
  connection: ConnectionOptions;
  /** Board ids this host serves; repeats are instances (two emulated emu-f746, or two real boards in the hardware map). */
  boards: string[];
  /** Default: <host>-<pid>. */
  agentId?: string;
  /** Real boards: hardware map and flasher. */
  target?: BoardExecutorOptions['target'];
  /** How long a job may go without its agent's heartbeat before BullMQ gives it to another agent. Default 30 s. */
  stallMs?: number;
  /** Where fetched models are cached. Default .cache/models in the repository. */
  modelCache?: string;
  onNote?: (note: string) => void;
}

interface Slot {
  label: string;
  board: string;
  worker?: Worker<ShardJob, ShardResult>;
  executor?: BoardExecutor;
  cellKey?: string;
  busy: boolean;
}

const HEARTBEAT_MS = 2000;
const REPO_ROOT = path.resolve(__dirname, '..', '..');

export class Agent {
  readonly id: string;
  private readonly slots: Slot[];
  /** For the advertisement and model downloads; BullMQ holds its own connections. */
  private readonly redis: Redis;
  private heartbeat?: NodeJS.Timeout;
  private readonly startedAt = new Date().toISOString();
  jobsDone = 0;

  private constructor(private readonly options: AgentOptions) {
    this.id = options.agentId ?? `${os.hostname()}-${process.pid}`;
    const seen = new Map<string, number>();
    this.slots = options.boards.map((board) => {
      loadBoard(board); // an unknown id fails here, before anything is advertised
      const n = (seen.get(board) ?? 0) + 1;
      seen.set(board, n);
      return { label: `${board}#${n}`, board, busy: false };
    });
    this.redis = new Redis(options.connection as RedisOptions);
    // Redis restarts are waited out (commands queue until it is back); the error itself needs no handling here.
    this.redis.on('error', () => undefined);
  }

  static async start(options: AgentOptions): Promise<Agent> {
    const reaped = reapOrphans();
    const agent = new Agent(options);
    if (reaped.length) agent.note(`ended ${reaped.length} process(es) a crashed bench left running: ${reaped.join(', ')}`);
    await agent.advertise();
    agent.heartbeat = setInterval(() => { agent.advertise().catch(() => undefined); }, HEARTBEAT_MS);
    const stallMs = options.stallMs ?? 30_000;
    for (const slot of agent.slots) {
      slot.worker = new Worker<ShardJob, ShardResult>(boardQueueName(slot.board), (job) => agent.process(slot, job), {
        connection: options.connection, concurrency: 1,
        // The lock is renewed every lockDuration/2 while the agent lives; a dead agent's job is back in the queue
        // within about stallMs (lock expiry + the next stalled check).
        lockDuration: stallMs, stalledInterval: Math.max(500, Math.floor(stallMs / 2)), maxStalledCount: 10,
      });
      slot.worker.on('error', (err) => agent.note(`${slot.label}: queue: ${err.message}`));
    }
    agent.note(`agent ${agent.id} serving ${agent.slots.map((s) => s.label).join(', ')}`);
    return agent;
  }

  get boards(): string[] {
    return this.slots.map((s) => s.label);
  }

  private note(text: string): void {
    this.options.onNote?.(text);
  }

  private async advertise(): Promise<void> {
    const client = this.redis;
    const info = {
      id: this.id, host: os.hostname(), pid: process.pid, boards: this.slots.map((s) => s.board),
      busy: this.slots.filter((s) => s.busy).map((s) => s.label), jobsDone: this.jobsDone, startedAt: this.startedAt,
    };
    await client.set(agentKey(this.id), JSON.stringify(info), 'PX', HEARTBEAT_MS * 3);
  }

  /** The .tflite of a cell, from the local cache or fetched from Redis (uploaded there by submit). */
  private async modelFile(cell: CellIdentity): Promise<string> {
    const dir = this.options.modelCache ?? path.join(REPO_ROOT, '.cache', 'models');
    const file = path.join(dir, `${cell.modelSha256}.tflite`);
    if (fs.existsSync(file)) return file;
    const client = this.redis;
    const bytes = await client.getBuffer(modelKey(cell.modelSha256));
    if (!bytes) throw new Error(`model ${cell.modelName} (${cell.modelSha256.slice(0, 16)}) is not in Redis; submit it again`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(`${file}.tmp`, bytes);
    fs.renameSync(`${file}.tmp`, file);
    return file;
  }

  private async executorFor(slot: Slot, cell: CellIdentity): Promise<BoardExecutor> {
    const key = JSON.stringify(cell);
    if (slot.executor && slot.cellKey === key) return slot.executor;
    await slot.executor?.close().catch(() => undefined);
    slot.executor = undefined;
    const graph = loadModel(await this.modelFile(cell));
    slot.executor = await BoardExecutor.open({
      board: cell.board, graph, modelName: cell.modelName, schedule: cell.schedule, agent: this.id, target: this.options.target,
      onNote: (n) => this.note(`${slot.label}: ${n}`),
    });
    slot.cellKey = key;
    return slot.executor;
  }

  private async process(slot: Slot, job: Job<ShardJob, ShardResult>): Promise<ShardResult> {
    slot.busy = true;
    try {
      const executor = await this.executorFor(slot, job.data.cell);
      const d = executor.describe();
      const figures: AgentFigures = {
        staticBytes: executor.staticBytes, plannedPeakBytes: d.plannedPeakBytes ?? 0, boardBytes: d.sram?.boardBytes ?? 0, inputStreamed: executor.inputStreamed, flash: d.flash!, ...executor.opLayout,
        ...(d.clockHz ? { clockHz: d.clockHz } : {}),
      };
      const runs: ShardResult['runs'] = [];
      for (const sample of job.data.samples) {
        const run = await executor.run(sample.name, new Uint8Array(Buffer.from(sample.input, 'base64')));
        runs.push({ name: sample.name, output: Buffer.from(run.output).toString('base64'), latency: run.latency, unit: run.unit, extra: { ...run.extra, figures } });
      }
      this.jobsDone++;
      return { agent: this.id, runs };
    } catch (err) {
      // A board that lost the link is rebooted for the next job; the job itself goes back for another try.
      if (err instanceof LinkError) {
        await slot.executor?.close().catch(() => undefined);
        slot.executor = undefined;
      }
      this.note(`${slot.label}: job ${job.id} failed: ${(err as Error).message.split('\n')[0]}`);
      throw err;
    } finally {
      slot.busy = false;
    }
  }

  /** Stops taking jobs, lets running ones finish (up to the workers' close), stops the boards, withdraws the advertisement. */
  async stop(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    await Promise.all(this.slots.map((s) => s.worker?.close()));
    await Promise.all(this.slots.map((s) => s.executor?.close().catch(() => undefined)));
    const client = this.redis;
    await client.del(agentKey(this.id)).catch(() => undefined);
    this.redis.disconnect();
  }
}
