// `mcubench build`: compile and link the firmware for one board (cached by content), and copy the ELF out.
import type { Command } from 'commander';
import * as fs from 'fs';
import * as path from 'path';
import { buildFirmware } from '../../build';
import { UsageError } from '../errors';

interface BuildCliOptions {
  board: string;
  model?: string;
  modelImage?: string;
  out: string;
  arenaSize?: string;
  verbose?: boolean;
}

export function registerBuild(program: Command): void {
  program
    .command('build')
    .description('build the firmware for a board (cached under .cache/firmware/) and write the ELF (and .bin beside it)')
    .requiredOption('--board <id>', 'board id (see mcubench boards)')
    .requiredOption('--out <file.elf>', 'where to write the ELF; the .bin goes next to it')
    .option('--model <model>', 'model to pack and embed (needs the model image packer)')
    .option('--model-image <file>', 'an already packed model image to embed in the .model flash section')
    .option('--arena-size <bytes>', 'tensor arena size in bytes (multiple of 16)')
    .option('--verbose', 'show the cmake and compiler output')
    .action(async (opts: BuildCliOptions) => {
      if (opts.model !== undefined) {
        throw new UsageError('--model needs the model image packer (harness/pack), which is not available yet; ' +
          'pass an already packed image with --model-image <file>, or build without a model');
      }
      if (!opts.out.endsWith('.elf')) throw new UsageError(`--out '${opts.out}' must name an .elf file`);
      if (opts.modelImage !== undefined && !fs.existsSync(opts.modelImage)) throw new UsageError(`--model-image '${opts.modelImage}' does not exist`);
      const arenaSize = opts.arenaSize === undefined ? undefined : parseBytes(opts.arenaSize);
      const result = await buildFirmware({
        board: opts.board,
        modelImage: opts.modelImage,
        arenaSize,
        onLine: opts.verbose ? (line) => process.stderr.write(`${line}\n`) : undefined,
      });
      const out = path.resolve(opts.out);
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.copyFileSync(result.elf, out);
      fs.copyFileSync(result.bin, out.replace(/\.elf$/, '.bin'));
      const { text, data, bss, model } = result.sizes;
      process.stdout.write(`${out} (${opts.board}${result.cached ? ', cached' : ''}): text ${text}  data ${data}  bss ${bss}  model ${model} bytes\n`);
    });
}

function parseBytes(text: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`--arena-size '${text}' is not a whole number of bytes`);
  const value = Number(text);
  if (value === 0 || value % 16 !== 0) throw new UsageError(`--arena-size ${value} must be a positive multiple of 16`);
  return value;
}
