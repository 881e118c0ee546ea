// `mcubench suite <file>`: the nightly job. Runs the matrix of a suite file (models × boards × schedules ×
// datasets) on boards, one results folder per cell, resumable by running the same command again; writes
// summary.md / summary.html / junit.xml / summary.json and exits 1 when any cell fails its checks or the gate.
import * as fs from 'fs';
import * as path from 'path';
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import { runSuite } from '../../suite/run-suite';
import { cellRunSettings, loadSuite } from '../../suite/suite-file';
import { SUMMARY_FILE } from '../../suite/suite-summary';
import { SUITE_REPORT_FILES, writeSuiteMarkdown } from '../../suite/suite-writers';
import { runOnBoard } from '../../index';

export function registerSuite(program: Command): void {
  program
    .command('suite')
    .description('run a matrix of models × boards × schedules × datasets from a JSON or YAML suite file, gate it against a baseline suite, summarise it')
    .argument('<file>', 'suite file (.json, .yaml or .yml; schema docs/suite.schema.json)')
    .option('--out <dir>', 'output folder; run again with the same folder to resume (default out/suite-<name>)')
    .option('--baseline <dir>', 'the output folder of an earlier suite run to compare every cell with (overrides the file\'s baseline)')
    .option('--verbose', 'show the firmware build output')
    .action(async (file: string, opts: { out?: string; baseline?: string; verbose?: boolean }) => {
      const suite = loadSuite(file);
      if (opts.baseline !== undefined && !fs.existsSync(path.join(opts.baseline, SUMMARY_FILE))) {
        throw new UsageError(`--baseline ${opts.baseline}: not a suite output folder (no ${SUMMARY_FILE}); pass the --out folder of an earlier mcubench suite`);
      }
      const outDir = opts.out ?? path.join('out', `suite-${suite.name}`);
      process.stdout.write(`suite: ${suite.name}, output folder ${outDir}\n`);
      const summary = await runSuite(suite, {
        outDir, baselineDir: opts.baseline,
        onLine: (line) => process.stderr.write(`${line}\n`),
        runCell: async ({ cell, outDir: cellDir, resume }) => {
          await runOnBoard({ ...cellRunSettings(cell), outDir: cellDir, resume, verbose: opts.verbose });
        },
      });
      process.stdout.write(writeSuiteMarkdown(summary, outDir));
      process.stdout.write(`reports: ${Object.values(SUITE_REPORT_FILES).map((f) => path.join(outDir, f)).join(', ')}\n`);
      if (!summary.passed) process.exitCode = 1;
    });
}
