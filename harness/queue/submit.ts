// `mcubench submit <suite> --redis <url>`: every cell of a suite through the evaluation pipeline on this host, its
// samples run by whichever agents serve the cell's board. Results land in one folder here (one subfolder per cell)
// with the local run's journal and resume: rerun with the same --out to continue after a crash.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { ConnectionOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { loadTflite } from '../pack/image-for-model';
import { planImage } from '../pack/image-for-model';
import { scheduleLabel } from '../pack/schedule';
import { planSummary } from '../run/plan-summary';
import { runEvaluation, type EvalOutcome } from '../run/pipeline';
import { JOURNAL_FILE } from '../run/pipeline-manifest';
import { modelNameOf, toolInfo } from '../tool-info';
import { modelKey, runKey } from './connection';
import type { CellIdentity } from './jobs';
import { QueueExecutor } from './queue-executor';
import { cellRunSettings, expandCells, type Suite, type SuiteCell } from '../suite/suite-file';

export interface SubmitOptions {
  suite: Suite;
  connection: ConnectionOptions;
  outDir: string;
  /** Samples per job. Default 1. */
  shardSize?: number;
  /** Jobs in flight per cell. Default 4. */
  lanes?: number;
  progress?: NodeJS.WriteStream | false;
  onNote?: (note: string) => void;
}

export interface CellOutcome { cell: SuiteCell; outcome?: EvalOutcome; error?: Error }

const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

export async function submitSuite(options: SubmitOptions): Promise<CellOutcome[]> {
  const redis = new Redis(options.connection as RedisOptions);
  redis.on('error', () => undefined); // a Redis restart is waited out: commands queue until it is back
  const runId = sha256(path.resolve(options.outDir)).slice(0, 12);
  const progress: Record<string, { board: string; done: number }> = {};
  const publish = (): Promise<unknown> =>
    redis.set(runKey(runId), JSON.stringify({ out: path.resolve(options.outDir), cells: progress, updatedAt: new Date().toISOString() }), 'EX', 7 * 24 * 3600);
  try {
    const outcomes = await Promise.all(expandCells(options.suite).map(async (cell): Promise<CellOutcome> => {
      const outDir = path.join(options.outDir, cell.id);
      const settings = cellRunSettings(cell);
      try {
        const graph = loadTflite(settings.modelFile, 'submit', 'the schedule is planned for the board');
        const modelBytes = fs.readFileSync(settings.modelFile);
        const modelSha256 = sha256(modelBytes);
        await redis.set(modelKey(modelSha256), modelBytes, 'NX');
        const planned = planImage(graph, settings.schedule);
        const label = scheduleLabel(planned.schedule);
        const identity: CellIdentity = { board: cell.board, modelSha256, modelName: modelNameOf(settings.modelFile), schedule: settings.schedule };
        const done = fs.existsSync(path.join(outDir, JOURNAL_FILE)) ? fs.readFileSync(path.join(outDir, JOURNAL_FILE), 'utf8').split('\n').filter(Boolean).length : 0;
        progress[cell.id] = { board: cell.board, done };
        const executor = new QueueExecutor({
          connection: options.connection, cell: identity, lanes: options.lanes,
          runTag: `${runId}-${sha256(cell.id).slice(0, 8)}`,
          description: {
            target: cell.board, board: cell.board, schedule: label, plannedPeakBytes: planned.schedule.plan.peakBytes,
            plan: planSummary(planned.graph, planned.schedule),
            fingerprint: `queue:board:${cell.board}:image:${planned.image.modelHash}:${label.kind}${label.kind === 'patch' ? `:${label.split}x${label.patches}` : ''}`,
          },
          onShardDone: (n) => { progress[cell.id].done += n; void publish().catch(() => undefined); },
        });
        try {
          const outcome = await runEvaluation({
            graph, model: identity.modelName, datasetDir: settings.datasetDir, preset: settings.preset, limit: settings.limit,
            limitOrder: settings.limitOrder, seed: settings.seed, datasetOptions: settings.datasetOptions, outDir,
            resume: fs.existsSync(path.join(outDir, JOURNAL_FILE)), executor, batchSize: options.shardSize ?? 1, tool: toolInfo(),
            progress: options.progress, decodeOptions: settings.int8Pixels ? { int8Pixels: true } : undefined,
          });
          return { cell, outcome };
        } finally {
          await executor.close();
        }
      } catch (err) {
        options.onNote?.(`${cell.id}: ${(err as Error).message}`);
        return { cell, error: err as Error };
      }
    }));
    await publish().catch(() => undefined);
    return outcomes;
  } finally {
    redis.disconnect();
  }
}
