// `mcubench agent --redis <url> [--board <id>[,<id>…]] [--lab lab.json]`: serve this host's boards to a lab's queue
// until stopped (SIGINT/SIGTERM end it cleanly: running jobs finish, boards stop, the advertisement goes).
import type { Command } from 'commander';
import * as fs from 'fs';
import { UsageError } from '../../errors';
import { parseBoardList } from '../../index';
import { loadLabMap } from '../../lab';
import { Agent } from '../../queue/agent';
import { redisConnection } from '../../queue/connection';
import { DEFAULT_BOARD, positiveInteger } from '../options';

interface AgentCliOptions { redis: string; board?: string; lab?: string; id?: string; stallMs?: string }

export function registerAgent(program: Command): void {
  program
    .command('agent')
    .description('serve this host\'s boards to a lab queue (BullMQ on Redis): take the jobs they can run, until stopped')
    .requiredOption('--redis <url>', 'the lab\'s Redis: redis://host:port or unix:///path/to/redis.sock')
    .option('--board <ids>', `boards to serve, comma-separated; repeats are instances (default: every available board in --lab, else ${DEFAULT_BOARD})`)
    .option('--lab <lab.json>', 'hardware map of this host\'s real boards')
    .option('--id <name>', 'agent id shown in status and results (default <host>-<pid>)')
    .option('--stall-ms <ms>', 'how soon a job held by a dead agent goes to another one (default 30000)')
    .action(async (opts: AgentCliOptions) => {
      const connection = redisConnection(opts.redis);
      if (opts.lab !== undefined && !fs.existsSync(opts.lab)) throw new UsageError(`--lab ${opts.lab}: no such file`);
      const fromLab = opts.lab ? loadLabMap(opts.lab).boards.filter((b) => b.available).map((b) => b.boardId) : [];
      const boards = opts.board ? parseBoardList(opts.board) : fromLab.length ? fromLab : [DEFAULT_BOARD];
      const agent = await Agent.start({
        connection, boards, agentId: opts.id, target: opts.lab ? { lab: opts.lab } : undefined,
        stallMs: opts.stallMs === undefined ? undefined : positiveInteger('--stall-ms', opts.stallMs),
        onNote: (note) => process.stderr.write(`agent: ${note}\n`),
      });
      process.stdout.write(`agent ${agent.id}: serving ${agent.boards.join(', ')} from ${opts.redis}\n`);
      await new Promise<void>((resolve) => {
        for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
      });
      process.stderr.write(`agent: stopping (running jobs finish first)\n`);
      await agent.stop();
    });
}
