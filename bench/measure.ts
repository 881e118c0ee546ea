// One benchmark leg, run in its own process so the kernel path is fixed when the addon loads (the parent
// sets MCB_FORCE_REF=1 for the reference leg): images/s through the addon single-threaded (run) and on
// the worker pool (runBatch), plus a digest of every output so the parent can demand identical bytes.
//   node -r @swc-node/register bench/measure.ts '<json MeasureRequest>'   → one JSON MeasureResult line
import { createHash } from 'crypto';
import * as fs from 'fs';
import { NativeModel } from '../harness/native';

export interface MeasureRequest {
  image: string;
  inputs: string[];
  /** Minimum wall time per measurement; at least `minImages` images run either way. */
  seconds: number;
  minImages: number;
  threads: number;
}

export interface Rate { images: number; wallSeconds: number; cpuSeconds: number }

export interface MeasureResult {
  single: Rate;
  pool: Rate;
  /** sha256 over every input's output, in input order (single-threaded run). */
  digest: string;
  /** Per-input output hex digests, to name the first input that differs. */
  outputs: string[];
  /** Every pool output equals the single-threaded output of the same input. */
  poolMatches: boolean;
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
}

function timeSingle(model: NativeModel, inputs: Buffer[], seconds: number, minImages: number): Rate {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let images = 0;
  let wall = 0;
  while (images < minImages || wall < seconds) {
    model.run(inputs[images % inputs.length]);
    images++;
    wall = Number(process.hrtime.bigint() - t0) / 1e9;
  }
  return { images, wallSeconds: wall, cpuSeconds: cpuSeconds(cpu0) };
}

async function timePool(model: NativeModel, inputs: Buffer[], threads: number, seconds: number, minImages: number, singleRate: number): Promise<Rate> {
  // About 0.1 s of work per thread per batch (at least 4 images): long enough that starting the pool's threads
  // for each runBatch call does not count, short enough to check the clock between batches.
  const perThread = Math.max(4, Math.round(singleRate * 0.1));
  const batch = Array.from({ length: threads * perThread }, (_, i) => inputs[i % inputs.length]);
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let images = 0;
  let wall = 0;
  while (images < minImages || wall < seconds) {
    await model.runBatch(batch, threads);
    images += batch.length;
    wall = Number(process.hrtime.bigint() - t0) / 1e9;
  }
  return { images, wallSeconds: wall, cpuSeconds: cpuSeconds(cpu0) };
}

export async function measure(req: MeasureRequest): Promise<MeasureResult> {
  const model = new NativeModel(fs.readFileSync(req.image), req.image);
  const inputs = req.inputs.map((f) => fs.readFileSync(f));
  const outputs = inputs.map((input) => model.run(input).output);
  const pooled = await model.runBatch(inputs, req.threads);
  const single = timeSingle(model, inputs, req.seconds, req.minImages);
  const pool = await timePool(model, inputs, req.threads, req.seconds, req.minImages, single.images / single.wallSeconds);
  const digest = createHash('sha256');
  outputs.forEach((o) => digest.update(o));
  return {
    single,
    pool,
    digest: digest.digest('hex'),
    outputs: outputs.map((o) => createHash('sha256').update(o).digest('hex')),
    poolMatches: pooled.every((r, i) => r.output.equals(outputs[i])),
  };
}

if (require.main === module) {
  measure(JSON.parse(process.argv[2]) as MeasureRequest)
    .then((r) => process.stdout.write(`${JSON.stringify(r)}\n`))
    .catch((err: Error) => {
      process.stderr.write(`bench/measure: ${err.message}\n`);
      process.exit(1);
    });
}
