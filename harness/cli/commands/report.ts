// `mcubench report`: renders a results file (or an eval/run output directory), several runs side by side, or a
// suite output folder, in one format. Exits 1 when a budget, a cell or the gate fails, so CI sees it.
import * as fs from 'fs';
import * as path from 'path';
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import { evaluateChecks } from '../../report/checks';
import { DEFAULT_LIMITS } from '../../report/compare';
import { writeHtmlReport } from '../../report/html-writer';
import { writeJsonReport } from '../../report/json-writer';
import { writeJunitReport } from '../../report/junit-writer';
import { loadResultsAt } from '../../index';
import { writeMarkdownReport } from '../../report/markdown-writer';
import type { Results } from '../../report/results';
import { SUMMARY_FILE, readSuiteSummary, summaryOfRuns } from '../../suite/suite-summary';
import { renderSuite, type SUITE_REPORT_FILES } from '../../suite/suite-writers';

const WRITERS: Record<string, (results: Results) => string> = {
  md: writeMarkdownReport,
  html: writeHtmlReport,
  junit: writeJunitReport,
  json: writeJsonReport,
};

function writeOutput(text: string, out: string | undefined): void {
  if (!out) {
    process.stdout.write(text);
    return;
  }
  try {
    fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    fs.writeFileSync(out, text);
  } catch (err) {
    throw new UsageError(`cannot write report to ${out}: ${(err as Error).message}`);
  }
}

const isSuiteDir = (target: string): boolean => fs.existsSync(path.join(target, SUMMARY_FILE)) && !fs.existsSync(path.join(target, 'results.json'));

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('render results as markdown, a self-contained HTML page, JUnit XML or normalised JSON; several runs or a suite folder as one summary')
    .argument('<results...>', 'a results.json or the output directory of `mcubench eval` / `run`; several of them; or the output folder of `mcubench suite`')
    .option('-f, --format <format>', `output format: ${Object.keys(WRITERS).join(' | ')}`, 'md')
    .option('-o, --out <file>', 'write the report to FILE instead of stdout')
    .action((targets: string[], opts: { format: string; out?: string }) => {
      const writer = WRITERS[opts.format];
      if (!writer) throw new UsageError(`unknown report format '${opts.format}'; use one of ${Object.keys(WRITERS).join(', ')}`);
      const format = opts.format as keyof typeof SUITE_REPORT_FILES;
      if (targets.length === 1 && isSuiteDir(targets[0])) {
        const summary = readSuiteSummary(targets[0]);
        writeOutput(renderSuite(summary, targets[0], format), opts.out);
        if (!summary.passed) process.exitCode = 1;
        return;
      }
      if (targets.length > 1) {
        const dirs = targets.map((t) => path.dirname(loadResultsAt(t).file));
        const summary = summaryOfRuns(dirs, { limits: DEFAULT_LIMITS, minBitExactRate: 1 });
        writeOutput(renderSuite(summary, '/', format), opts.out);
        if (!summary.passed) process.exitCode = 1;
        return;
      }
      const { results } = loadResultsAt(targets[0]);
      writeOutput(writer(results), opts.out);
      if (evaluateChecks(results).some((c) => !c.passed)) process.exitCode = 1;
    });
}
