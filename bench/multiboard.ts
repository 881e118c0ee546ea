// `npm run bench:multiboard`: wall time of one 40-sample board run (person_detect, layer schedule, the bundled VWW
// image plus TFLM's golden inputs) on one emu-f746, then on two emu-f746 instances sharing the sample queue, in
// this same run; prints the ratio (target: two boards take at most 0.6 of one board's time). The firmware is built
// (or taken from the cache) before timing, so both legs time boot + 40 samples only.
//   npm run bench:multiboard -- --samples 40 --boards emu-f746,emu-f746
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadBoard } from '../harness/boards';
import { prepareBoardFirmware } from '../harness/build/board-firmware';
import { loadModel, runOnBoard } from '../harness/index';

const REPO_ROOT = path.resolve(__dirname, '..');
const SHARED = process.env.MCUBENCH_SHARED ?? path.resolve(REPO_ROOT, '..', 'shared');
const GOLDEN = path.join(SHARED, 'golden', 'person_detect');
const MODEL = path.join(REPO_ROOT, 'demo', 'models', 'person_detect.tflite');

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at >= 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : fallback;
}

async function timedRun(board: string, inputs: string, out: string): Promise<{ seconds: number; count: number; agreement?: number }> {
  const start = process.hrtime.bigint();
  const outcome = await runOnBoard({ board, modelFile: MODEL, datasetDir: inputs, schedule: { schedule: 'layer' }, outDir: out, progress: false });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { seconds, count: outcome.results.count, agreement: outcome.results.agreement };
}

async function main(): Promise<void> {
  const samples = Number(arg('--samples', '40'));
  const pool = arg('--boards', 'emu-f746,emu-f746');
  const single = pool.split(',')[0];
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mcb-bench-multiboard-'));
  try {
    const inputs = path.join(work, 'inputs');
    fs.mkdirSync(inputs);
    const golden = fs.readdirSync(GOLDEN).filter((f) => f.endsWith('.bin')).sort();
    for (let i = 0; i < samples; i++) fs.copyFileSync(path.join(GOLDEN, golden[i % golden.length]), path.join(inputs, `s${String(i).padStart(3, '0')}.bin`));
    for (const id of new Set(pool.split(','))) {
      await prepareBoardFirmware({ board: loadBoard(id), graph: loadModel(MODEL), modelName: 'person_detect', schedule: { schedule: 'layer' } });
    }
    process.stdout.write(`multiboard: person_detect, ${samples} samples, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(2)}\n`);
    const one = await timedRun(single, inputs, path.join(work, 'one'));
    process.stdout.write(`  ${single.padEnd(22)} ${one.seconds.toFixed(2)} s  (${one.count} samples, agreement ${one.agreement})\n`);
    const many = await timedRun(pool, inputs, path.join(work, 'pool'));
    process.stdout.write(`  ${pool.padEnd(22)} ${many.seconds.toFixed(2)} s  (${many.count} samples, agreement ${many.agreement})\n`);
    if (one.count !== samples || many.count !== samples || one.agreement !== 1 || many.agreement !== 1) {
      throw new Error('a leg did not run every sample bit-exact; the timing means nothing');
    }
    const ratio = many.seconds / one.seconds;
    process.stdout.write(`  ratio ${pool} / ${single}: ${ratio.toFixed(3)} (target <= 0.6)\n`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  process.stderr.write(`bench:multiboard: ${err.message}\n`);
  process.exitCode = 1;
});
