// Parses the command line and dispatches to one module per subcommand; no logic lives here.
import { Command, CommanderError } from 'commander';
import { UserError } from '../errors';
import { toolInfo } from '../tool-info';
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
import { registerAgent } from './commands/agent';
import { registerSubmit } from './commands/submit';
import { registerStatus } from './commands/status';


export async function main(argv: string[]): Promise<number> {
  const program = new Command('mcubench')
    .description('Hardware-in-the-loop bench for int8 CNNs on STM32: plan, build, run, evaluate, report')
    .version(toolInfo().version, '-V, --version', 'print the mcubench version')
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
  registerAgent(program);
  registerSubmit(program);
  registerStatus(program);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    // A UserError's message is meant for the user; anything else is a bug and keeps its stack.
    process.stderr.write(`mcubench: ${err instanceof UserError ? err.message : (err instanceof Error ? err.stack : String(err))}\n`);
    return 1;
  }
}
