// `mcubench compare`: the regression gate between a baseline and a current results file (exit code 1 on failure).
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import { compareResults, formatComparison } from '../../report/compare';
import { loadResultsAt } from '../../index';

const NUMBER = /^[+]?(\d+(\.\d*)?|\.\d+)$/;

/** Percentage points, e.g. "0.5" (a drop from 71.0 % to 70.5 % is 0.5). */
export function parseAccuracyDrop(text: string): number {
  if (!NUMBER.test(text.trim())) throw new UsageError(`--max-accuracy-drop '${text}' is not a number of percentage points (e.g. 0.5)`);
  return Number(text);
}

/**
 * A fraction of the baseline: "5%" or "0.05" both mean five percent. A bare number of 1 or more is refused
 * because "5" could mean 5 % or 500 %.
 */
export function parseLatencyIncrease(text: string): number {
  const trimmed = text.trim();
  if (trimmed.endsWith('%')) {
    const body = trimmed.slice(0, -1).trim();
    if (!NUMBER.test(body)) throw new UsageError(`--max-latency-increase '${text}' is not a percentage (e.g. 5%)`);
    return Number(body) / 100;
  }
  if (!NUMBER.test(trimmed)) throw new UsageError(`--max-latency-increase '${text}' is not a percentage (5%) or a fraction (0.05)`);
  const value = Number(trimmed);
  if (value >= 1) throw new UsageError(`--max-latency-increase '${text}' is ambiguous: write '${value}%' for ${value} percent or '${value * 100}%' for ${value * 100} percent`);
  return value;
}

export function parseSramIncrease(text: string): number {
  const trimmed = text.trim();
  if (!/^\+?\d+$/.test(trimmed)) throw new UsageError(`--max-sram-increase '${text}' is not a whole number of bytes (e.g. 0 or 1024)`);
  return Number(trimmed);
}

interface CompareOptions { maxAccuracyDrop: string; maxLatencyIncrease: string; maxSramIncrease: string; allowMissing?: boolean }

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description('regression gate: compare current results with a baseline; exit code 1 when a metric regressed or is missing')
    .argument('<baseline>', 'baseline results.json (or a directory holding one)')
    .argument('<current>', 'current results.json (or a directory holding one)')
    .option('--max-accuracy-drop <points>', 'largest allowed drop of top-1/top-5/mAP, in percentage points', '0.5')
    .option('--max-latency-increase <ratio>', "largest allowed latency (p50, p90) increase: '5%' or '0.05'", '5%')
    .option('--max-sram-increase <bytes>', 'largest allowed SRAM peak increase, in bytes', '0')
    .option('--allow-missing', 'report a metric present in only one file as a warning instead of a failure')
    .action((baselineTarget: string, currentTarget: string, opts: CompareOptions) => {
      const limits = {
        maxAccuracyDropPoints: parseAccuracyDrop(opts.maxAccuracyDrop),
        maxLatencyIncrease: parseLatencyIncrease(opts.maxLatencyIncrease),
        maxSramIncreaseBytes: parseSramIncrease(opts.maxSramIncrease),
        allowMissing: opts.allowMissing === true,
      };
      const baseline = loadResultsAt(baselineTarget);
      const current = loadResultsAt(currentTarget);
      const comparison = compareResults(baseline.results, current.results, limits);
      process.stdout.write(formatComparison(comparison, baseline, current));
      if (comparison.failed) process.exitCode = 1;
    });
}
