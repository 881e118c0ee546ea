// The evaluation pipeline with a fake executor: scoring, skipped inputs, outputs, journal-based resume.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Results } from '../../../harness/report/results';
import { validateResults } from '../../../harness/report/validate-results';
import type { ExecutorRun, JournalledRun } from '../../../harness/run/executor';
import { EvalOptions, runEvaluation } from '../../../harness/run/pipeline';
import { FakeExecutor, IMAGES, fakeGraph, labelOf, makeDataset, trueClass } from './fake-dataset';

let datasetDir: string;
const outRoots: string[] = [];
beforeAll(async () => { datasetDir = await makeDataset(); });
afterAll(() => { for (const d of [datasetDir, ...outRoots]) fs.rmSync(d, { recursive: true, force: true }); });

const tmpOut = (): string => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcubench-evalout-'));
  outRoots.push(root);
  return path.join(root, 'run');
};
const TOOL = { name: 'mcubench', version: 'test' };

function options(outDir: string, executor: FakeExecutor, extra: Partial<EvalOptions> = {}): EvalOptions {
  return { graph: fakeGraph(), model: 'fake', datasetDir, preset: 'mlperf-ic-cifar', outDir, executor, tool: TOOL, progress: false, batchSize: 4, ...extra };
}

const withoutTime = (r: Results): Omit<Results, 'createdAt'> => { const { createdAt, ...rest } = r; void createdAt; return rest; };
const readResults = (dir: string): Results => JSON.parse(fs.readFileSync(path.join(dir, 'results.json'), 'utf8')) as Results;

describe('evaluation pipeline (fake executor)', () => {
  it('scores every image, records unusable files as skipped and writes outputs + a valid results.json', async () => {
    const out = tmpOut();
    const executor = new FakeExecutor();
    const outcome = await runEvaluation(options(out, executor));
    // By construction (fake-dataset.ts): i%4 ∈ {0,1} right, 2 second-ranked, 3 outside the top five.
    const top1 = Array.from({ length: IMAGES }, (_, i) => i).filter((i) => i % 4 < 2).length;
    const top5 = Array.from({ length: IMAGES }, (_, i) => i).filter((i) => i % 4 < 3).length;
    const r = readResults(out);
    expect(validateResults(r, 'results.json')).toBeTruthy();
    expect(r.count).toBe(IMAGES);
    expect(r.accuracy).toEqual({ top1: top1 / IMAGES, top5: top5 / IMAGES });
    expect(r.samples.map((s) => s.name)).toEqual(Array.from({ length: IMAGES }, (_, i) => `img${String(i).padStart(2, '0')}`));
    expect(r.samples.map((s) => s.predicted)).toEqual(Array.from({ length: IMAGES }, (_, i) => trueClass(i)));
    expect(r.samples.map((s) => s.label)).toEqual(Array.from({ length: IMAGES }, (_, i) => labelOf(i)));
    expect(r.skipped.map((s) => path.basename(s.file)).sort()).toEqual(['broken.png', 'missing.png']);
    expect(r.skipped.find((s) => s.file.endsWith('broken.png'))!.reason).toMatch(/cannot decode/);
    expect(r.sram).toEqual({ plannedPeakBytes: 1234 });
    // Board-style latency units reach the results: 1000 + first input byte (red − 128 as a byte).
    expect(r.samples[1].cycles).toBe(1000 + ((trueClass(1) * 20 + 10 - 128) & 0xff));
    expect(r.latency?.unit).toBe('cycles');
    expect(outcome.task.kind).toBe('classification');
    // outputs/<name>.out holds the bytes whose hash the results carry.
    const bytes = fs.readFileSync(path.join(out, 'outputs', 'img03.out'));
    expect(bytes.length).toBe(10);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(r.samples[3].outputSha256);
    expect(executor.runs.length).toBe(IMAGES);
  });

  it('--limit --limit-order sorted takes the first N samples of the dataset order', async () => {
    const out = tmpOut();
    await runEvaluation(options(out, new FakeExecutor(), { limit: 5, limitOrder: 'sorted' }));
    expect(readResults(out).samples.map((s) => s.name)).toEqual(['img00', 'img01', 'img02', 'img03', 'img04']);
  });

  it('--limit draws over classes by default: 6 samples from 6 different labels, the same draw again', async () => {
    const out = tmpOut();
    await runEvaluation(options(out, new FakeExecutor(), { limit: 6 }));
    const r = readResults(out);
    const labels = r.samples.map((s) => s.label);
    // Six draws over the CSV's labels, one per class; a drawn image that cannot be decoded is skipped, not replaced.
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels.length + r.skipped.filter((s) => /decode/.test(s.reason)).length).toBe(6);
    const sorted = tmpOut();
    await runEvaluation(options(sorted, new FakeExecutor(), { limit: 6, limitOrder: 'sorted' }));
    expect(readResults(sorted).samples.map((s) => s.name)).toEqual(['img00', 'img01', 'img02', 'img03', 'img04', 'img05']);
    expect(r.samples.map((s) => s.name)).not.toEqual(readResults(sorted).samples.map((s) => s.name));
    const again = tmpOut();
    await runEvaluation(options(again, new FakeExecutor(), { limit: 6 }));
    expect(readResults(again).samples.map((s) => s.name)).toEqual(readResults(out).samples.map((s) => s.name));
  });

  test.each([[false, 5], [true, 6]])('a crash midway (batching %s, after %i runs), then --resume, equals an uninterrupted run', async (batching, failAfter) => {
    const full = tmpOut();
    await runEvaluation(options(full, new FakeExecutor(Infinity, batching)));

    const out = tmpOut();
    await expect(runEvaluation(options(out, new FakeExecutor(failAfter, batching)))).rejects.toThrow('simulated crash');
    const journalled = fs.readFileSync(path.join(out, 'journal.jsonl'), 'utf8').trim().split('\n').length;
    // Batches journal only whole batches of 4: a crash inside the second batch keeps the first.
    expect(journalled).toBe(batching ? 4 : failAfter);
    expect(fs.existsSync(path.join(out, 'results.json'))).toBe(false);

    const second = new FakeExecutor(Infinity, batching);
    const outcome = await runEvaluation(options(out, second, { resume: true }));
    expect(second.runs.length).toBe(IMAGES - journalled); // nothing done twice
    expect(outcome.resumed).toBe(journalled);
    expect(withoutTime(readResults(out))).toEqual(withoutTime(readResults(full)));
  });

  it('refuses to resume with different settings, and to start over an existing run', async () => {
    const out = tmpOut();
    await runEvaluation(options(out, new FakeExecutor(), { limit: 3 }));
    expect(readResults(out).count + readResults(out).skipped.filter((s) => /decode/.test(s.reason)).length).toBe(3);
    await expect(runEvaluation(options(out, new FakeExecutor(), { limit: 4, resume: true }))).rejects.toThrow(/limit: was 3, now 4/);
    await expect(runEvaluation(options(out, new FakeExecutor(), { limitOrder: 'sorted', resume: true }))).rejects.toThrow(/limitOrder: was stratified, now sorted/);
    // Not given again: the saved limit applies (nothing left to run).
    const again = new FakeExecutor();
    await runEvaluation(options(out, again, { resume: true }));
    expect(again.runs).toEqual([]);
    expect(readResults(out).count + readResults(out).skipped.filter((s) => /decode/.test(s.reason)).length).toBe(3);
    await expect(runEvaluation(options(out, new FakeExecutor(), { limit: 3 }))).rejects.toThrow(/already holds an evaluation; continue it with --resume/);
    await expect(runEvaluation(options(tmpOut(), new FakeExecutor(), { resume: true }))).rejects.toThrow(/no run.json there/);
    await expect(runEvaluation(options(tmpOut(), new FakeExecutor(), { preset: 'nope' }))).rejects.toThrow(/--preset nope: unknown; choose one of/);
  });

  it('a resumed run whose samples are all journalled just recomputes the same results', async () => {
    const out = tmpOut();
    await runEvaluation(options(out, new FakeExecutor()));
    const first = readResults(out);
    const again = new FakeExecutor();
    await runEvaluation(options(out, again, { resume: true }));
    expect(again.runs).toEqual([]);
    expect(withoutTime(readResults(out))).toEqual(withoutTime(first));
  });

  it('journals an executor\'s per-sample extras and lets it summarize them over every session (board-style agreement)', async () => {
    // A "board" that disagrees with the host on every third sample it sees, and reports agreement from the journal.
    class BoardLike extends FakeExecutor {
      summarized: JournalledRun[] = [];
      override async run(name: string, input: Uint8Array): Promise<ExecutorRun> {
        const base = await super.run(name, input);
        const matchesHost = Number(name.slice(3)) % 3 !== 0;
        return { ...base, extra: { matchesHost, hostPredicted: 7 } };
      }
      summarize(runs: readonly JournalledRun[]) {
        this.summarized = [...runs];
        return { agreement: runs.filter((r) => r.extra?.matchesHost === true).length / runs.length };
      }
    }
    const out = tmpOut();
    await expect(runEvaluation(options(out, new BoardLike(4)))).rejects.toThrow('simulated crash');
    const board = new BoardLike();
    await runEvaluation(options(out, board, { resume: true }));
    const r = readResults(out);
    // img00, img03, img06, img09 disagree: 8 of 12 agree, counted over both sessions.
    expect(board.summarized).toHaveLength(IMAGES);
    expect(r.agreement).toBe(8 / 12);
    expect(r.samples.map((s) => s.matchesHost)).toEqual(Array.from({ length: IMAGES }, (_, i) => i % 3 !== 0));
    expect(r.samples.every((s) => s.hostPredicted === 7)).toBe(true);
  });
});
