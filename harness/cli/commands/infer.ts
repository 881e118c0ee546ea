// `mcubench infer`: runs a model on the host reference (native addon), one input file or a directory batch.
// Files are raw bytes: input tensor 0 in the model's external dtype in, all outputs concatenated out.
import { Command } from 'commander';
import * as fs from 'fs';
import * as path from 'path';
import { UsageError } from '../../errors';
import { packModel } from '../../index';
import { DTYPE_BYTES, Graph } from '../../model/graph';
import { NativeModel } from '../../native';
import { ImageError } from '../../pack/image-error';
import { addScheduleOptions, positiveInteger, scheduleRequest, type ScheduleCliOptions } from '../options';

interface InferOptions extends ScheduleCliOptions { batch?: string; out?: string; threads?: string }

/** "input 'input' int8 [1,96,96,1]" for error messages, when the graph is known. */
function describeInput(graph: Graph | undefined): string {
  const d = graph?.io?.inputs[0];
  return d ? ` (input '${d.name}' ${d.external.dtype} [${d.shape.join(',')}], ${d.shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[d.external.dtype]} bytes)` : '';
}

function readInput(file: string, model: NativeModel, graph: Graph | undefined): Buffer {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new UsageError(`${file}: cannot read input: ${(err as Error).message}`);
  }
  if (bytes.length !== model.info.inputBytes) {
    throw new ImageError(`${file}: input is ${bytes.length} bytes, the model expects ${model.info.inputBytes} bytes${describeInput(graph)}; ` +
      `give the raw tensor bytes in the model's external dtype`);
  }
  return bytes;
}

async function inferBatch(model: NativeModel, graph: Graph | undefined, dir: string, outDir: string, threads: number): Promise<void> {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.bin')).sort();
  } catch (err) {
    throw new UsageError(`--batch ${dir}: cannot list directory: ${(err as Error).message}`);
  }
  if (names.length === 0) throw new UsageError(`--batch ${dir}: no *.bin input files there`);
  const inputs = names.map((n) => readInput(path.join(dir, n), model, graph));
  const results = await model.runBatch(inputs, threads);
  fs.mkdirSync(outDir, { recursive: true });
  results.forEach((r, i) => fs.writeFileSync(path.join(outDir, names[i].replace(/\.bin$/, '.out')), r.output));
  process.stderr.write(`infer: ${names.length} inputs → ${outDir} (${threads} thread${threads === 1 ? '' : 's'})\n`);
}

/** Refuses an output path that cannot be written, before the inference runs: a folder, or a file in a missing folder. */
export function checkOutputPath(output: string): void {
  const stat = fs.statSync(output, { throwIfNoEntry: false });
  if (stat?.isDirectory()) throw new UsageError(`${output}: is a folder; give a file path for the output bytes (or use --batch <dir> --out <dir>)`);
  const parent = path.dirname(path.resolve(output));
  const parentStat = fs.statSync(parent, { throwIfNoEntry: false });
  if (!parentStat) throw new UsageError(`${output}: the folder ${parent} does not exist; create it first or write the output elsewhere`);
  if (!parentStat.isDirectory()) throw new UsageError(`${output}: ${parent} is not a folder`);
}

function writeOutput(output: string, bytes: Uint8Array): void {
  try {
    fs.writeFileSync(output, bytes);
  } catch (e) {
    throw new UsageError(`${output}: cannot write the output (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

export function registerInfer(program: Command): void {
  const command = program
    .command('infer')
    .description('Run a model on the host reference runtime (bit-exact with TFLM): one input, or every *.bin of a directory')
    .argument('<model>', 'a .tflite file or a packed model image')
    .argument('[input]', 'raw bytes of input tensor 0 in the model\'s external dtype')
    .argument('[output]', 'file for the raw bytes of all outputs, concatenated');
  addScheduleOptions(command)
    .option('--batch <dir>', 'run every <name>.bin in dir, writing <name>.out')
    .option('--out <dir>', 'with --batch: where the .out files go (default: the batch directory)')
    .option('--threads <n>', 'with --batch: native worker threads (default 1)')
    .action(async (modelFile: string, input: string | undefined, output: string | undefined, opts: InferOptions) => {
      const request = scheduleRequest(opts);
      if (opts.batch === undefined && (input === undefined || output === undefined)) {
        throw new UsageError('give <input> and <output> files, or --batch <dir>');
      }
      if (opts.batch !== undefined && (input !== undefined || output !== undefined)) {
        throw new UsageError('--batch runs a whole directory: drop the <input>/<output> arguments');
      }
      if (opts.batch === undefined && (opts.out !== undefined || opts.threads !== undefined)) {
        throw new UsageError('--out and --threads only apply with --batch <dir>');
      }
      if (output !== undefined) checkOutputPath(output);
      if (opts.batch !== undefined && opts.out !== undefined && fs.statSync(opts.out, { throwIfNoEntry: false })?.isFile()) {
        throw new UsageError(`--out ${opts.out}: is a file; give a folder for the .out files`);
      }
      const image = packModel(modelFile, request);
      const model = new NativeModel(image.bytes, modelFile);
      if (opts.batch !== undefined) {
        const threads = opts.threads === undefined ? 1 : positiveInteger('--threads', opts.threads);
        await inferBatch(model, image.planned?.graph, opts.batch, opts.out ?? opts.batch, threads);
        return;
      }
      const result = await model.runAsync(readInput(input!, model, image.planned?.graph));
      writeOutput(output!, result.output);
    });
}
