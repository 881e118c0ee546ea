// Where the lab's Redis is, and the names mcubench uses in it. BullMQ does the queueing; mcubench only names the
// queues (one per kind of board, so an agent takes only jobs its boards can serve) and a few keys beside them.
import type { ConnectionOptions } from 'bullmq';
import { UsageError } from '../errors';

/** redis://host:port[/db], rediss://…, or unix:///path/to/redis.sock (also redis+unix://). */
export function redisConnection(url: string): ConnectionOptions {
  const unix = /^(?:unix|redis\+unix):\/\/(\/.+)$/.exec(url);
  // BullMQ's workers block on Redis: they need unlimited retries per request (a Redis restart is waited out).
  if (unix) return { path: unix[1], maxRetriesPerRequest: null };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--redis ${url}: not a Redis URL; use redis://host:port or unix:///path/to/redis.sock`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new UsageError(`--redis ${url}: unknown scheme '${parsed.protocol}'; use redis://host:port or unix:///path/to/redis.sock`);
  }
  return {
    host: parsed.hostname || '127.0.0.1', port: Number(parsed.port || 6379), db: Number(parsed.pathname.slice(1) || 0),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}

/** The queue of jobs for one kind of board. */
export const boardQueueName = (boardId: string): string => `mcubench-board-${boardId}`;
/** Key prefix of everything else mcubench keeps in Redis. */
export const KEY_PREFIX = 'mcubench:';
/** A model file by its SHA-256: uploaded once by `submit`, fetched by the agents. */
export const modelKey = (sha256: string): string => `${KEY_PREFIX}model:${sha256}`;
/** An agent's advertisement (JSON), refreshed while it runs and expiring when it stops. */
export const agentKey = (agentId: string): string => `${KEY_PREFIX}agent:${agentId}`;
export const AGENT_PATTERN = `${KEY_PREFIX}agent:*`;
/** A submitted run's progress (JSON), for `mcubench status`. */
export const runKey = (runId: string): string => `${KEY_PREFIX}run:${runId}`;
export const RUN_PATTERN = `${KEY_PREFIX}run:*`;
