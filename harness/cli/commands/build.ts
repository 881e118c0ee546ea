// `mcubench build`: compile and link the firmware for one board (cached by content), and copy the ELF out. With
// --model, the bench firmware with the planned, packed model in flash: the image `mcubench run` would flash.
import type { Command } from 'commander';
import * as fs from 'fs';
import * as path from 'path';
import { loadBoard } from '../../boards';
import { buildFirmware, type FirmwareBuild } from '../../build';
import { UsageError } from '../../errors';
import { loadTflite, modelNameOf, prepareBoardFirmware } from '../../index';
import { addScheduleOptions, optimizeOption, resolveModelFile, scheduleRequest, type ScheduleCliOptions } from '../options';

interface BuildCliOptions extends ScheduleCliOptions {
  dut?: string;
  board: string;
  model?: string;
  modelImage?: string;
  out: string;
  arenaSize?: string;
  optimize?: 'speed' | 'size';
  verbose?: boolean;
}

export function registerBuild(program: Command): void {
  const command = program
    .command('build')
    .description('build the firmware for a board (cached under .cache/firmware/) and write the ELF (and .bin beside it)')
    .requiredOption('--board <id>', 'board id (see mcubench boards)')
    .requiredOption('--out <file.elf>', 'where to write the ELF; the .bin goes next to it')
    .option('--model <model>', '.tflite to plan, pack and embed with the bench app (what mcubench run flashes)');
  addScheduleOptions(command, 'with --model: ')
    .option('--model-image <file>', 'an already packed model image to embed in the .model flash section')
    .option('--arena-size <bytes>', 'tensor arena size in bytes (multiple of 16)')
    .option('--dut <protocol>', 'with --model: mlperf-tiny builds the model behind the MLPerf Tiny DUT command set instead of our protocol')
    .addOption(optimizeOption())
    .option('--verbose', 'show the cmake and compiler output')
    .action(async (opts: BuildCliOptions) => {
      if (!opts.out.endsWith('.elf')) throw new UsageError(`--out '${opts.out}' must name an .elf file`);
      if (opts.model !== undefined && (opts.modelImage !== undefined || opts.arenaSize !== undefined)) {
        throw new UsageError('--model plans the arena and packs the image itself: drop --model-image / --arena-size');
      }
      if (opts.model === undefined && (opts.schedule ?? opts.split ?? opts.patches) !== undefined) {
        throw new UsageError('--schedule/--split/--patches apply to --model');
      }
      if (opts.dut !== undefined && (opts.dut !== 'mlperf-tiny' || opts.model === undefined)) throw new UsageError('--dut mlperf-tiny goes with --model (the firmware serves that model over the MLPerf Tiny protocol)');
      if (opts.modelImage !== undefined && !fs.existsSync(opts.modelImage)) throw new UsageError(`--model-image '${opts.modelImage}' does not exist`);
      const onLine = opts.verbose ? (line: string) => process.stderr.write(`${line}\n`) : undefined;
      let result: FirmwareBuild;
      if (opts.model !== undefined) {
        const modelFile = resolveModelFile(opts.model);
        const built = await prepareBoardFirmware({
          board: loadBoard(opts.board), graph: loadTflite(modelFile, 'build --model', 'the schedule is planned for the board'), modelName: modelNameOf(modelFile),
          schedule: scheduleRequest(opts), onBuildLine: onLine, dut: opts.dut === 'mlperf-tiny' ? 'mlperf-tiny' : undefined,
          kernels: { optimize: opts.optimize },
        });
        result = built.firmware;
      } else {
        const arenaSize = opts.arenaSize === undefined ? undefined : parseBytes(opts.arenaSize);
        result = await buildFirmware({ board: opts.board, modelImage: opts.modelImage, arenaSize, optimize: opts.optimize, onLine });
      }
      const out = path.resolve(opts.out);
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.copyFileSync(result.elf, out);
      fs.copyFileSync(result.bin, out.replace(/\.elf$/, '.bin'));
      const { text, data, bss, model } = result.sizes;
      process.stdout.write(`${out} (${opts.board}, ${opts.optimize === 'size' ? '-Os' : '-O2'}${result.cached ? ', cached' : ''}): text ${text}  data ${data}  bss ${bss}  model ${model} bytes\n`);
    });
}

function parseBytes(text: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`--arena-size '${text}' is not a whole number of bytes`);
  const value = Number(text);
  if (value === 0 || value % 16 !== 0) throw new UsageError(`--arena-size ${value} must be a positive multiple of 16`);
  return value;
}
