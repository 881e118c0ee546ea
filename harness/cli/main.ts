// Parses the command line and dispatches to one module per subcommand; no logic lives here.
import { Command, CommanderError } from 'commander';
import * as fs from 'fs';
import * as path from 'path';
import { registerPlan } from './commands/plan';
import { registerInspect } from './commands/inspect';
import { registerReport } from './commands/report';
import { registerCompare } from './commands/compare';
import { registerBoards } from './commands/boards';
import { registerBuild } from './commands/build';
import { registerInfer } from './commands/infer';
import { registerEval } from './commands/eval';
import { registerRun } from './commands/run';
import { registerDemo } from './commands/demo';
import { registerFlash } from './commands/flash';
import { registerSuite } from './commands/suite';

/** Errors whose message is the whole story for the user (no stack trace). */
const KNOWN_ERRORS = ['ModelError', 'GateLimitError', 'SuiteFileError', 'PreprocessSpecError', 'PlanError', 'UsageError', 'BoardError', 'LinkError', 'ImageError', 'DatasetError', 'BuildError', 'ResultsError', 'FlashError', 'LabError', 'JournalError',
  'BoardResetError', 'ImageDecodeError', 'QuantParamsError', 'LayoutParamsError'];

function toolVersion(): string {
  return (JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command('mcubench')
    .description('Hardware-in-the-loop bench for int8 CNNs on STM32: plan, build, run, evaluate, report')
    .version(toolVersion(), '-V, --version', 'print the mcubench version')
    .exitOverride()
    .showHelpAfterError();
  registerPlan(program);
  registerInspect(program);
  registerReport(program);
  registerCompare(program);
  registerBoards(program);
  registerBuild(program);
  registerInfer(program);
  registerEval(program);
  registerRun(program);
  registerDemo(program);
  registerFlash(program);
  registerSuite(program);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    // Known failures carry a message meant for the user; anything else is a bug and keeps its stack.
    const known = err instanceof Error && KNOWN_ERRORS.includes(err.name);
    process.stderr.write(`mcubench: ${known ? (err as Error).message : (err instanceof Error ? err.stack : String(err))}\n`);
    return 1;
  }
}
