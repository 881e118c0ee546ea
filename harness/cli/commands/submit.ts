// `mcubench submit <suite> --redis <url>`: queue every cell of a suite for the lab's agents and collect the results
// here, journaled per sample; run it again with the same --out to continue after an interruption.
import type { Command } from 'commander';
import * as path from 'path';
import { redisConnection } from '../../queue/connection';
import { submitSuite } from '../../queue/submit';
import { expandCells, loadSuite } from '../../suite/suite-file';
import { positiveInteger, timestamp } from '../options';
import { summaryText } from '../summary';

interface SubmitCliOptions { redis: string; out?: string; shard?: string; lanes?: string }

export function registerSubmit(program: Command): void {
  program
    .command('submit')
    .description('queue a suite\'s cells for the lab\'s agents (BullMQ on Redis) and collect every result into one folder')
    .argument('<suite>', 'suite file (.json, .yaml or .yml; schema docs/suite.schema.json), the same file mcubench suite runs')
    .requiredOption('--redis <url>', 'the lab\'s Redis: redis://host:port or unix:///path/to/redis.sock')
    .option('--out <dir>', 'results folder, one subfolder per cell (default out/suite-<name>-<timestamp>); an existing one is resumed')
    .option('--shard <n>', 'samples per job (default 1)')
    .option('--lanes <n>', 'jobs in flight per cell (default 4)')
    .action(async (suiteFile: string, opts: SubmitCliOptions) => {
      const connection = redisConnection(opts.redis);
      const suite = loadSuite(suiteFile);
      const outDir = opts.out ?? path.join('out', `suite-${suite.name}-${timestamp(new Date())}`);
      process.stdout.write(`submit: ${expandCells(suite).length} cell(s) → ${outDir}\n`);
      const outcomes = await submitSuite({
        suite, connection, outDir, shardSize: opts.shard === undefined ? undefined : positiveInteger('--shard', opts.shard),
        lanes: opts.lanes === undefined ? undefined : positiveInteger('--lanes', opts.lanes),
        onNote: (note) => process.stderr.write(`submit: ${note}\n`),
      });
      for (const { cell, outcome, error } of outcomes) {
        process.stdout.write(outcome ? `${cell.id}: ${summaryText(outcome)}\n` : `${cell.id}: FAILED: ${error!.message}\n`);
        if (!outcome || (outcome.results.agreement !== undefined && outcome.results.agreement < 1)) process.exitCode = 1;
      }
    });
}
