// `mcubench status --redis <url>`: agents, jobs per board and run progress in a lab queue.
import type { Command } from 'commander';
import { redisConnection } from '../../queue/connection';
import { queueStatus, statusText } from '../../queue/status';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('show the lab queue: agents and their boards, jobs per board, progress of submitted runs')
    .requiredOption('--redis <url>', 'the lab\'s Redis: redis://host:port or unix:///path/to/redis.sock')
    .option('--json', 'print one JSON object')
    .action(async (opts: { redis: string; json?: boolean }) => {
      const status = await queueStatus(redisConnection(opts.redis));
      process.stdout.write(opts.json ? `${JSON.stringify(status)}\n` : statusText(status));
    });
}
