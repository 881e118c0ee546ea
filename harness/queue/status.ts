// `mcubench status --redis <url>`: the agents that are up (and their boards), the jobs per kind of board, and the
// progress of submitted runs, read from Redis.
import { Queue, type ConnectionOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { UserError } from '../errors';
import { AGENT_PATTERN, boardQueueName, RUN_PATTERN } from './connection';

export interface AgentInfo { id: string; host: string; pid: number; boards: string[]; busy: string[]; jobsDone: number; startedAt: string }
export interface QueueCounts { board: string; waiting: number; active: number; completed: number; failed: number; delayed: number }
export interface RunInfo { out: string; cells: Record<string, { board: string; done: number }>; updatedAt: string }
export interface QueueStatus { agents: AgentInfo[]; queues: QueueCounts[]; runs: RunInfo[] }

async function scanJson<T>(redis: Redis, pattern: string): Promise<T[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 100);
    cursor = next;
    keys.push(...found);
  } while (cursor !== '0');
  const values = keys.length ? await redis.mget(...keys) : [];
  return values.filter((v): v is string => v !== null).map((v) => JSON.parse(v) as T);
}

export async function queueStatus(connection: ConnectionOptions): Promise<QueueStatus> {
  const redis = new Redis({ ...(connection as RedisOptions), maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
  redis.on('error', () => undefined);
  try {
    await redis.connect().catch((err: Error) => {
      throw new UserError(`cannot reach Redis (${err.message}); is redis-server running at the --redis address?`);
    });
    const agents = (await scanJson<AgentInfo>(redis, AGENT_PATTERN)).sort((a, b) => a.id.localeCompare(b.id));
    const runs = await scanJson<RunInfo>(redis, RUN_PATTERN);
    const boards = [...new Set([...agents.flatMap((a) => a.boards), ...runs.flatMap((r) => Object.values(r.cells).map((c) => c.board))])].sort();
    const queues = await Promise.all(boards.map(async (board): Promise<QueueCounts> => {
      const queue = new Queue(boardQueueName(board), { connection });
      try {
        const c = await queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed');
        return { board, waiting: c.waiting ?? 0, active: c.active ?? 0, completed: c.completed ?? 0, failed: c.failed ?? 0, delayed: c.delayed ?? 0 };
      } finally {
        await queue.close();
      }
    }));
    return { agents, queues, runs };
  } finally {
    redis.disconnect();
  }
}

export function statusText(s: QueueStatus): string {
  const lines = [`agents: ${s.agents.length}`];
  for (const a of s.agents) {
    lines.push(`  ${a.id} on ${a.host} (pid ${a.pid}): ${a.boards.join(', ')}; busy ${a.busy.length ? a.busy.join(', ') : 'none'}; ${a.jobsDone} jobs done since ${a.startedAt}`);
  }
  lines.push('jobs per board:');
  for (const q of s.queues) lines.push(`  ${q.board}: ${q.waiting} waiting, ${q.active} running, ${q.completed} done, ${q.failed} failed${q.delayed ? `, ${q.delayed} retrying` : ''}`);
  if (s.queues.length === 0) lines.push('  (none)');
  for (const r of s.runs) {
    lines.push(`run ${r.out} (updated ${r.updatedAt}):`);
    for (const [name, c] of Object.entries(r.cells)) lines.push(`  ${name} on ${c.board}: ${c.done} samples done`);
  }
  return `${lines.join('\n')}\n`;
}
