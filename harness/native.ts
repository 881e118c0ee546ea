// The only module that loads the native addon (native/build/Release/mcubench_native.node, built by
// scripts/build-addon.sh). It types the addon's API and turns its failures into ImageErrors.
import * as fs from 'fs';
import * as path from 'path';
import { ImageError } from './pack/image-error';
import { describeImageErrorSite } from './pack/image-error-site';
import { graphTensorOf } from './pack/read-image';

export interface RunOptions {
  /** Collect every operator's output tensors (patch stage: once, after the last stage op). */
  perOp?: boolean;
  /** Run twice with complementary arena paint so the high-water mark is exact (doubles the run time). */
  exactHighWater?: boolean;
}

export interface OpTensorOutput { tensor: number; graphTensor: number; data: Buffer }
export interface OpOutput { op: number; cycles: number; tensors: OpTensorOutput[] }

export interface RunResult {
  /** Every output tensor in the model's external dtype, concatenated in output order. */
  output: Buffer;
  /** Highest arena byte the run changed + 1 (the arena was painted before the run). */
  arenaHighWater: number;
  scratchHighWater: number;
  /** The guard zones on both sides of the arena are unchanged. */
  guardsIntact: boolean;
  elapsedNs: number;
  perOp?: OpOutput[];
  /** The schedule read its input region by region (a patch stage's windows, a streamed segment's rows), cropped
   * from the sample as the link host crops it for a board; inputRegions/inputRegionBytes count those reads. */
  inputStreamed: boolean;
  inputRegions: number;
  inputRegionBytes: number;
}

export interface ModelInfo {
  imageBytes: number;
  arenaSize: number;
  scratchSize: number;
  /** Bytes of the one buffer a run needs: arena, then scratch. */
  arenaBytes: number;
  inputBytes: number;
  outputBytes: number;
  tensors: number;
  ops: number;
  schedule: 'layer' | 'patch' | 'stream';
  modelHash: string;
  /** Every input is read in regions (mcb_model_input_streamed): the bench firmware asks the host for them. */
  inputStreamed: boolean;
}

interface AddonModel {
  info(): ModelInfo;
  run(input: Uint8Array, options?: RunOptions): RunResult;
  runAsync(input: Uint8Array, options?: RunOptions): Promise<RunResult>;
  runBatch(inputs: Uint8Array[], threads: number, options?: RunOptions): Promise<RunResult[]>;
}

interface Addon {
  Model: new (image: Uint8Array) => AddonModel;
  imageVersion: number;
}

const REPO_ROOT = path.resolve(__dirname, '..');
/** cmake-js output first, node-gyp's second. */
const CANDIDATES = ['native/build/Release/mcubench_native.node', 'build/Release/mcubench_native.node'];

let addon: Addon | undefined;

export function addonPath(): string | undefined {
  return CANDIDATES.map((p) => path.join(REPO_ROOT, p)).find((p) => fs.existsSync(p));
}

function loadAddon(): Addon {
  if (addon) return addon;
  const file = addonPath();
  if (!file) {
    throw new ImageError('the native addon is not built; run `bash scripts/build-addon.sh` (or `npm run setup`) first');
  }
  addon = require(file) as Addon;
  return addon;
}

const TENSOR_ERRORS = ['BAD_TENSOR', 'BAD_ALIGNMENT', 'ARENA_TOO_SMALL'];

/** Re-throws an addon error as an ImageError that keeps its status fields; names the graph tensor when it can. */
function translate(err: unknown, context: string, image?: Uint8Array): never {
  const e = err as Error & { code?: string; detail?: string; index?: number };
  if (e && typeof e.message === 'string' && e.code !== undefined) {
    const graphTensor = image && e.detail && TENSOR_ERRORS.includes(e.detail) && e.index !== undefined ? graphTensorOf(image, e.index) : undefined;
    const site = image && e.detail && e.index !== undefined ? describeImageErrorSite(image, e.detail, e.index) : undefined;
    const where = graphTensor !== undefined ? ` (image tensor ${e.index} = graph tensor ${graphTensor})` : site ? `: ${site}` : '';
    throw new ImageError(`${context}: ${e.message}${where}`, e.code, e.detail, e.index);
  }
  throw err;
}

/** A loaded model image; one image copy, any number of concurrent runs (each with its own arena). */
export class NativeModel {
  private readonly model: AddonModel;
  readonly info: ModelInfo;

  constructor(private readonly image: Uint8Array, readonly source = 'model image') {
    const { Model } = loadAddon();
    try {
      this.model = new Model(image);
    } catch (err) {
      translate(err, source, image);
    }
    this.info = this.model.info();
  }

  private checkInput(input: Uint8Array, what = 'input'): void {
    if (input.length !== this.info.inputBytes) {
      throw new ImageError(`${this.source}: ${what} is ${input.length} bytes; the model expects ${this.info.inputBytes} bytes`);
    }
  }

  run(input: Uint8Array, options: RunOptions = {}): RunResult {
    this.checkInput(input);
    try {
      return this.model.run(input, options);
    } catch (err) {
      translate(err, this.source, this.image);
    }
  }

  async runAsync(input: Uint8Array, options: RunOptions = {}): Promise<RunResult> {
    this.checkInput(input);
    return this.model.runAsync(input, options).catch((err) => translate(err, this.source, this.image));
  }

  /** Runs every input on a pool of `threads` native threads; results in input order. */
  async runBatch(inputs: Uint8Array[], threads = 1, options: RunOptions = {}): Promise<RunResult[]> {
    inputs.forEach((input, i) => this.checkInput(input, `input ${i}`));
    return this.model.runBatch(inputs, Math.max(1, Math.floor(threads)), options).catch((err) => translate(err, this.source, this.image));
  }
}

/** The image format version the built addon reads. */
export function nativeImageVersion(): number {
  return loadAddon().imageVersion;
}
