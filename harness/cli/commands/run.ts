// `mcubench run`: a model on a board (an emulated one by default): plan, pack, check the fit, build the firmware,
// run every input over the serial link, compare each output with the host reference, write <out>/results.json.
import { Command } from 'commander';
import * as fs from 'fs';
import * as path from 'path';
import { loadBoard } from '../../boards';
import { UsageError } from '../../errors';
import { modelNameOf, runDut, runOnBoard } from '../../index';
import { flasherFor } from '../../targets';
import {
  addScheduleOptions, checkResumeOut, DEFAULT_BOARD, flasherOption, optimizeOption, positiveInteger, resolveModelFile, scheduleRequest, timestamp, type ScheduleCliOptions,
} from '../options';
import { boardsText, sramText, summaryText } from '../summary';
import { addDatasetOptions, datasetSettings, type DatasetCliOptions } from '../dataset-options';

interface RunCliOptions extends ScheduleCliOptions, DatasetCliOptions {
  board?: string; model?: string; inputs?: string; dataset?: string; preset?: string; int8Pixels?: boolean;
  limit?: string; out?: string; resume?: string; verbose?: boolean; optimize?: 'speed' | 'size'; dut?: string; port?: string; elf?: string; baud?: string; flasher?: string;
}

export function registerRun(program: Command): void {
  const command = program
    .command('run')
    .description('Run a model on a board (default: the emulated emu-f746), output-by-output compared with the host reference')
    .option('--board <id>', `board id (see mcubench boards; default ${DEFAULT_BOARD}); several, comma-separated, share the samples ` +
      '(emu-f746,emu-f746,emu-f412: two QEMU instances of one board and one of another)')
    .option('--model <model>', 'a .tflite file (or the name of one in demo/models)')
    .option('--inputs <dir>', 'folder of raw input tensors (*.bin, the model input bytes)')
    .option('--dataset <dir>', 'dataset folder, as for mcubench eval (ImageNet synsets, labels CSV, VOC, class folders)')
    .option('--preset <name>', 'with --dataset: preprocessing preset (default: the model\'s own)')
    .option('--int8-pixels', 'with --dataset: images store int8 values as bytes (TFLM person.bmp / no_person.bmp)')
    .option('--limit <n>', 'run only n samples (a stratified draw over classes; see --limit-order)');
  addScheduleOptions(command)
    .option('--out <dir>', 'output folder (default out/run-<model>-<board>-<timestamp>)')
    .option('--resume <dir>', 'continue the run in this output folder, skipping samples already journalled')
    .option('--verbose', 'show the firmware build output')
    .addOption(optimizeOption())
    .addOption(flasherOption())
    .option('--dut <protocol>', 'mlperf-tiny: drive a device speaking the MLPerf Tiny DUT protocol (with --port, or --board and --elf)')
    .option('--port <tty>', 'with --dut: the serial port of a running DUT')
    .option('--elf <firmware>', 'with --dut and --board: the DUT firmware to launch on the board')
    .option('--baud <rate>', 'with --dut: the DUT\'s UART rate (default 115200, or the board\'s)');
  addDatasetOptions(command)
    .action(async (opts: RunCliOptions) => {
      if (opts.model === undefined) throw new UsageError('--model <model> is required');
      if ((opts.inputs === undefined) === (opts.dataset === undefined)) throw new UsageError('give exactly one of --inputs <dir of .bin> and --dataset <dir>');
      if (opts.inputs !== undefined && (opts.preset !== undefined || opts.int8Pixels || opts.preprocess !== undefined)) throw new UsageError('--preset, --preprocess and --int8-pixels only apply with --dataset');
      const data = datasetSettings(opts);
      checkResumeOut(opts);
      const inputs = opts.inputs;
      if (inputs !== undefined && (!fs.existsSync(inputs) || !fs.readdirSync(inputs).some((f) => f.endsWith('.bin')))) {
        throw new UsageError(`--inputs ${inputs}: not a folder with *.bin input tensors`);
      }
      const board = opts.board ?? DEFAULT_BOARD;
      if (opts.board === undefined && opts.port === undefined) process.stderr.write(`run: no --board given, using ${DEFAULT_BOARD}\n`);
      const modelFile = resolveModelFile(opts.model);
      const model = modelNameOf(modelFile);
      const outDir = opts.resume ?? opts.out ?? path.join('out', `run-${model}-${(opts.dut ? opts.port?.replace(/\W+/g, '_') : undefined) ?? board.replace(/,/g, '+')}-${timestamp(new Date())}`);
      process.stdout.write(`run: output folder ${outDir}\n`);
      if (opts.dut !== undefined) {
        if (opts.dut !== 'mlperf-tiny') throw new UsageError(`--dut ${opts.dut}: the protocol known besides ours is mlperf-tiny`);
        if (opts.optimize !== undefined) throw new UsageError('--optimize applies to the firmware mcubench builds; with --dut the DUT firmware is given (build it with mcubench build --dut mlperf-tiny --optimize ...)');
        if ((opts.port === undefined) === (opts.elf === undefined)) throw new UsageError('--dut mlperf-tiny needs --port <tty> (a running DUT), or --board <id> with --elf <firmware>');
        const outcome = await runDut({
          modelFile, datasetDir: (inputs ?? opts.dataset)!, schedule: scheduleRequest(opts), preset: data.preset, int8Pixels: opts.int8Pixels,
          limitOrder: data.limitOrder, seed: data.seed, datasetOptions: data.datasetOptions, limit: opts.limit === undefined ? undefined : positiveInteger('--limit', opts.limit), outDir, resume: opts.resume !== undefined,
          port: opts.port, baudRate: opts.baud === undefined ? undefined : positiveInteger('--baud', opts.baud),
          ...(opts.elf !== undefined ? { board, elf: opts.elf } : {}),
        });
        const matching = outcome.results.samples.filter((s) => s.matchesHost).length;
        process.stdout.write(`${summaryText(outcome).replace(/\.$/, '')}; outputs equal to the host reference: ${matching}/${outcome.results.count}.\nresults: ${outcome.resultsFile}\n`);
        if (matching < outcome.results.count) process.exitCode = 1;
        return;
      }
      // --flasher is checked before anything is built: an emulated board has no flasher to choose.
      const flasher = opts.flasher === undefined ? undefined : flasherFor(loadBoard(board), opts.flasher);
      const outcome = await runOnBoard({
        board, modelFile, datasetDir: (inputs ?? opts.dataset)!, schedule: scheduleRequest(opts), preset: data.preset,
        limitOrder: data.limitOrder, seed: data.seed, datasetOptions: data.datasetOptions,
        int8Pixels: opts.int8Pixels, limit: opts.limit === undefined ? undefined : positiveInteger('--limit', opts.limit),
        outDir, resume: opts.resume !== undefined, verbose: opts.verbose,
        executor: { ...(flasher ? { target: { flasher } } : {}), ...(opts.optimize ? { kernels: { optimize: opts.optimize } } : {}) },
      });
      const r = outcome.results;
      const agreement = r.agreement === undefined ? '' : `; outputs equal to the host reference: ${r.samples.filter((s) => s.matchesHost).length}/${r.count}`;
      process.stdout.write(`${summaryText(outcome).replace(/\.$/, '')}${agreement}.\n${boardsText(outcome)}${sramText(outcome)}\nresults: ${outcome.resultsFile}\n`);
      if (r.agreement !== undefined && r.agreement < 1) process.exitCode = 1;
    });
}
