// `mcubench report`: renders a results file (or an eval/run output directory) in one format.
import * as fs from 'fs';
import * as path from 'path';
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import { writeHtmlReport } from '../../report/html-writer';
import { writeJsonReport } from '../../report/json-writer';
import { writeJunitReport } from '../../report/junit-writer';
import { loadResultsAt } from '../../index';
import { writeMarkdownReport } from '../../report/markdown-writer';
import type { Results } from '../../report/results';

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

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('render results as markdown, a self-contained HTML page, JUnit XML or normalised JSON')
    .argument('<results>', 'a results.json, or the output directory of `mcubench eval` / `mcubench run` holding one')
    .option('-f, --format <format>', `output format: ${Object.keys(WRITERS).join(' | ')}`, 'md')
    .option('-o, --out <file>', 'write the report to FILE instead of stdout')
    .action((target: string, opts: { format: string; out?: string }) => {
      const writer = WRITERS[opts.format];
      if (!writer) throw new UsageError(`unknown report format '${opts.format}'; use one of ${Object.keys(WRITERS).join(', ')}`);
      writeOutput(writer(loadResultsAt(target).results), opts.out);
    });
}
