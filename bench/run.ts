// `npm run bench`: images/s for mcunet-in3 and person_detect through the native addon, the plain reference
// kernel path (MCB_FORCE_REF=1) against the optimized (AVX2) path, single-threaded and on the worker pool,
// with ratios measured in this same run. Every leg runs the models' golden input vectors; both paths must
// give identical bytes (and TFLM's bytes where the golden set has them), or the bench fails.
//   npm run bench                               both models, 4 s per measurement, pool of 2 threads
//   npm run bench -- --seconds 10 --threads 2 --models person_detect
//   npm run bench -- --kernels                  also the per-kernel C micro-benchmark (bench/kernels.ts)
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadModel } from '../harness/model';
import { packImage } from '../harness/pack';
import { planLayers } from '../harness/plan';
import { runKernelBench } from './kernels';
import type { MeasureRequest, MeasureResult, Rate } from './measure';

const REPO_ROOT = path.resolve(__dirname, '..');
const SHARED = process.env.MCUBENCH_SHARED ?? path.resolve(REPO_ROOT, '..', 'shared');
const DEFAULT_MODELS = ['mcunet-in3_320kb-1mb_imagenet', 'person_detect'];

interface Options { models: string[]; seconds: number; threads: number; kernels: boolean }

function parseArgs(argv: string[]): Options {
  const opts: Options = { models: DEFAULT_MODELS, seconds: 4, threads: 2, kernels: false };
  for (let i = 0; i < argv.length; i++) {
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${argv[i - 1]} needs a value`);
      return v;
    };
    const arg = argv[i];
    if (arg === '--models') opts.models = value().split(',');
    else if (arg === '--seconds') opts.seconds = Number(value());
    else if (arg === '--threads') opts.threads = Number(value());
    else if (arg === '--kernels') opts.kernels = true;
    else throw new Error(`unknown option ${arg}; use --models a,b --seconds N --threads N --kernels`);
  }
  if (!(opts.seconds > 0) || !Number.isInteger(opts.threads) || opts.threads < 1) {
    throw new Error('--seconds must be > 0 and --threads a positive integer');
  }
  return opts;
}

interface Golden { model: string; inputs: string[]; outputs: string[] }

/** The model file and its golden vectors (inputs, and TFLM's outputs) from shared/golden/manifest.json. */
function golden(name: string): Golden {
  const dir = path.join(SHARED, 'golden');
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
    models: Record<string, { model: string; vectors: string[] }>;
  };
  const entry = manifest.models[name];
  if (!entry) throw new Error(`${name}: not in ${path.join(dir, 'manifest.json')}; known: ${Object.keys(manifest.models).join(', ')}`);
  return {
    model: path.resolve(dir, '..', '..', entry.model),
    inputs: entry.vectors.map((v) => path.join(dir, name, `${v}.bin`)),
    outputs: entry.vectors.map((v) => path.join(dir, name, `${v}.out`)),
  };
}

function runLeg(req: MeasureRequest, forceRef: boolean): MeasureResult {
  const env = { ...process.env };
  if (forceRef) env.MCB_FORCE_REF = '1';
  else delete env.MCB_FORCE_REF;
  const out = execFileSync(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, 'measure.ts'), JSON.stringify(req)], {
    cwd: REPO_ROOT, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as MeasureResult;
}

const wallRate = (r: Rate): number => r.images / r.wallSeconds;
const cpuRate = (r: Rate): number => r.images / r.cpuSeconds;
const fmt = (x: number): string => x.toFixed(x < 10 ? 2 : 1);

function benchModel(name: string, opts: Options, tmp: string): boolean {
  const g = golden(name);
  const graph = loadModel(g.model);
  const image = path.join(tmp, `${name}.mcbi`);
  fs.writeFileSync(image, packImage(graph, { kind: 'layer', plan: planLayers(graph) }).bytes);
  // The reference path is ~30x slower: give it a shorter floor so the run stays in minutes.
  const base: MeasureRequest = { image, inputs: g.inputs, seconds: opts.seconds, minImages: g.inputs.length, threads: opts.threads };
  const ref = runLeg({ ...base, minImages: Math.min(4, g.inputs.length) }, true);
  const fast = runLeg(base, false);

  const tflm = g.outputs.map((f) => (fs.existsSync(f) ? fs.readFileSync(f) : undefined));
  const problems: string[] = [];
  if (ref.digest !== fast.digest) {
    const i = ref.outputs.findIndex((h, k) => h !== fast.outputs[k]);
    problems.push(`optimized output differs from the reference on ${path.basename(g.inputs[i])}`);
  }
  if (!ref.poolMatches || !fast.poolMatches) problems.push('a pool (runBatch) output differs from the single-threaded output');
  tflm.forEach((bytes, i) => {
    if (bytes && createHash('sha256').update(bytes).digest('hex') !== fast.outputs[i]) {
      problems.push(`output differs from TFLM's golden output on ${path.basename(g.inputs[i])}`);
    }
  });

  const rows: [string, Rate, Rate][] = [
    ['1 thread', ref.single, fast.single],
    [`${opts.threads} threads (runBatch)`, ref.pool, fast.pool],
  ];
  console.log(`\n${name}  (${g.inputs.length} golden inputs; outputs ${problems.length ? 'DIFFER' : 'identical: reference = optimized = TFLM'})`);
  console.log('  path                      reference img/s        optimized img/s        speedup (wall / cpu)');
  for (const [label, r, f] of rows) {
    console.log(`  ${label.padEnd(24)}  ${fmt(wallRate(r)).padStart(7)} (${fmt(cpuRate(r)).padStart(6)} cpu)  ${fmt(wallRate(f)).padStart(7)} (${fmt(cpuRate(f)).padStart(6)} cpu)  x${fmt(wallRate(f) / wallRate(r))} / x${fmt(cpuRate(f) / cpuRate(r))}`);
  }
  console.log(`  pool scaling: reference x${fmt(wallRate(ref.pool) / wallRate(ref.single))}, optimized x${fmt(wallRate(fast.pool) / wallRate(fast.single))} over 1 thread`);
  for (const p of problems) console.error(`  ERROR: ${p}`);
  return problems.length === 0;
}

function main(): void {
  const opts = parseArgs(process.argv.slice(2));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcb-bench-'));
  const load0 = os.loadavg()[0];
  console.log(`mcubench bench: ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, node ${process.version}; load average ${load0.toFixed(1)} at start`);
  console.log('img/s = images per wall-clock second; (cpu) = images per CPU second of the benchmarking process, which a loaded machine distorts less');
  let ok = true;
  try {
    // Make sure the addon is current before timing anything.
    execFileSync('bash', [path.join(REPO_ROOT, 'scripts', 'build-addon.sh')], { cwd: REPO_ROOT, stdio: 'inherit' });
    for (const name of opts.models) ok = benchModel(name, opts, tmp) && ok;
    if (opts.kernels) ok = runKernelBench(tmp) && ok;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`\nload average ${os.loadavg()[0].toFixed(1)} at the end (${os.cpus().length} CPUs): figures above ${Math.max(load0, os.loadavg()[0]) > os.cpus().length / 2 ? 'were taken on a busy machine; rerun when it is idle' : 'were taken on a quiet machine'}`);
  if (!ok) process.exit(1);
}

try {
  main();
} catch (err) {
  console.error(`bench: ${(err as Error).message}`);
  process.exit(1);
}
