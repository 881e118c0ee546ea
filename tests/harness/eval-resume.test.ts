// `mcubench eval` as a user runs it: an uninterrupted CLI run of mlperf VWW on the VOC person / no-person proxy
// (accuracy against TFLite's 81 %, data-inventory.md §3), then the same run killed with SIGKILL midway and
// resumed: the final results.json must equal the uninterrupted one (timestamps aside).
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Results } from '../../harness/report/results';
import { ensureAddon } from './pack/addon-fixture';
import { REPO_ROOT, SHARED_DATASETS, sharedModel } from '../support/paths';
import { goldenOutput, removeTmpDirs, sha256, tmpDir } from './eval-fixtures';

beforeAll(ensureAddon, 300000);
afterAll(removeTmpDirs);

const MODEL = 'mlperf_tiny_vww_96_int8';
const VOC = path.join(SHARED_DATASETS, 'pascal_voc2012_sample');
const CLI = path.join(REPO_ROOT, 'bin', 'mcubench.js');

function start(args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [CLI, 'eval', sharedModel(MODEL), '--dataset', VOC, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '', stderr = '';
  child.stdout!.on('data', (d) => { stdout += d; });
  child.stderr!.on('data', (d) => { stderr += d; });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

const journalLines = (dir: string): number => {
  // Only newline-terminated lines are records (the journal drops a torn tail).
  try { return (fs.readFileSync(path.join(dir, 'journal.jsonl'), 'utf8').match(/\n/g) ?? []).length; } catch { return 0; }
};
const results = (dir: string): Results => JSON.parse(fs.readFileSync(path.join(dir, 'results.json'), 'utf8')) as Results;
const withoutTime = (r: Results): Omit<Results, 'createdAt'> => { const { createdAt, ...rest } = r; void createdAt; return rest; };

describe('mcubench eval (CLI): VWW on VOC person / no-person, kill and resume', () => {
  const base = tmpDir('eval-cli');
  const full = path.join(base, 'full');
  const killed = path.join(base, 'killed');

  it('an uninterrupted run: 100 images, accuracy within a point of TFLite\'s 81 %, TFLM outputs on the golden images', async () => {
    const run = await start(['--out', full, '--threads', '2']).done;
    expect(run.stderr).not.toMatch(/Error|mcubench:/);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`eval: output folder ${full}`);
    expect(run.stdout).toMatch(/100 samples evaluated; top-1 \d+\.\d % \(\d+\/100\)/);
    const r = results(full);
    expect(r.count).toBe(100);
    // data-inventory.md §2: "person is in 41 images".
    expect(r.samples.filter((s) => s.label === 1)).toHaveLength(41);
    const correct = r.samples.filter((s) => s.predicted === s.label).length;
    expect(Math.abs(correct - 81)).toBeLessThanOrEqual(1); // 81 % of 100, ± one point
    for (const id of ['2007_000042', '2007_000061', '2007_000063', '2007_000068']) {
      expect(r.samples.find((s) => s.name === id)!.outputSha256).toBe(sha256(goldenOutput(MODEL, `voc_${id}`)));
    }
    expect(fs.readdirSync(path.join(full, 'outputs'))).toHaveLength(100);
  });

  it('SIGKILL after some journal lines, then --resume: the same results.json', async () => {
    const first = start(['--out', killed, '--threads', '1']);
    await new Promise<void>((resolve, reject) => {
      const poll = setInterval(() => {
        if (journalLines(killed) >= 12) { clearInterval(poll); first.child.kill('SIGKILL'); resolve(); }
      }, 20);
      first.done.then(() => { clearInterval(poll); reject(new Error('the run finished before it could be killed')); }, reject);
    });
    const killedRun = await first.done;
    expect(killedRun.signal).toBe('SIGKILL');
    const before = journalLines(killed);
    expect(before).toBeGreaterThanOrEqual(12);
    expect(before).toBeLessThan(100);
    expect(fs.existsSync(path.join(killed, 'results.json'))).toBe(false);

    const wrong = await start(['--resume', killed, '--limit', '5']).done;
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('limit: was none, now 5');

    const resumed = await start(['--resume', killed, '--threads', '2']).done;
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`(${before} from the earlier session)`);
    expect(journalLines(killed)).toBe(100); // every sample once: nothing journalled twice
    expect(withoutTime(results(killed))).toEqual(withoutTime(results(full)));
  });
});
