// `mcubench compare`: the regression gate between a baseline and a current results file (exit code 1 on failure).
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import { loadResultsAt } from '../../index';
import { compareResults, comparisonJson, formatComparison, type CompareLimits } from '../../report/compare';
import { GateLimitError, LIMIT_SPECS, defaultText, limitKeyOf, parseLimit } from '../../report/gate-limits';

function limitParser(flag: string): (text: string) => number {
  const spec = LIMIT_SPECS.find((s) => s.flag === flag)!;
  return (text) => {
    try {
      return parseLimit(spec, text);
    } catch (e) {
      if (e instanceof GateLimitError) throw new UsageError(e.message);
      throw e;
    }
  };
}

/** Percentage points, e.g. "0.5" (a drop from 71.0 % to 70.5 % is 0.5). */
export const parseAccuracyDrop = limitParser('--max-accuracy-drop');
/** A fraction of the baseline: "5%" or "0.05"; a bare number of 1 or more is refused as ambiguous. */
export const parseLatencyIncrease = limitParser('--max-latency-increase');
export const parseSramIncrease = limitParser('--max-sram-increase');

type CompareOptions = Record<string, string | boolean | undefined>;

export function registerCompare(program: Command): void {
  const command = program
    .command('compare')
    .description('regression gate: compare current results with a baseline; exit code 1 when a metric regressed, is missing, or the runs are not comparable')
    .argument('<baseline>', 'baseline results.json (or a directory holding one)')
    .argument('<current>', 'current results.json (or a directory holding one)');
  for (const spec of LIMIT_SPECS) command.option(`${spec.flag} <value>`, `${spec.help} (default ${defaultText(spec)})`);
  command
    .option('--allow-missing', 'report a metric present in only one file as a warning instead of a failure')
    .option('--allow-incomparable', 'compare runs of different models, datasets, sample sets, boards, schedules or versions anyway')
    .option('--json', 'print the comparison as JSON (checks, failures, verdict) instead of a table')
    .action((baselineTarget: string, currentTarget: string, opts: CompareOptions) => {
      const limits: CompareLimits = { maxAccuracyDropPoints: 0.5, maxLatencyIncrease: 0.05, maxSramIncreaseBytes: 0 };
      for (const spec of LIMIT_SPECS) {
        const given = opts[limitKeyOf(spec)];
        if (typeof given === 'string') (limits as unknown as Record<string, number>)[spec.key] = limitParser(spec.flag)(given);
      }
      limits.allowMissing = opts.allowMissing === true;
      limits.allowIncomparable = opts.allowIncomparable === true;
      const baseline = loadResultsAt(baselineTarget);
      const current = loadResultsAt(currentTarget);
      const comparison = compareResults(baseline.results, current.results, limits);
      process.stdout.write(opts.json ? comparisonJson(comparison, baseline, current) : formatComparison(comparison, baseline, current));
      if (comparison.failed) process.exitCode = 1;
    });
}
