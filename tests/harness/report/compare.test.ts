import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { promisify } from 'util';
import { compareResults } from '../../../harness/report/compare';
import { parseAccuracyDrop, parseLatencyIncrease, parseSramIncrease } from '../../../harness/cli/commands/compare';
import type { Results } from '../../../harness/report/results';
import { REPO_ROOT } from '../../support/paths';
import { BOARD_RUN, HOST_EVAL, readFixture, tempDir, writeJson } from './fixtures';

const run = promisify(execFile);
const LIMITS = { maxAccuracyDropPoints: 0.5, maxLatencyIncrease: 0.05, maxSramIncreaseBytes: 0 };

async function mcubench(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(REPO_ROOT, 'bin', 'mcubench.js'), ...args], { cwd: REPO_ROOT, timeout: 60_000 });
    lastStderr = stderr;
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    lastStderr = e.stderr;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function scaleLatency(r: Results, factor: number): void {
  const l = r.latency!;
  for (const k of ['mean', 'p50', 'p90', 'p99', 'min', 'max'] as const) { l[k] *= factor; l.ms![k] *= factor; }
  for (const s of r.samples) s.cycles = Math.round(s.cycles! * factor);
}

let lastStderr = '';

function row(stdout: string, metric: string): string {
  const line = stdout.split('\n').find((l) => l.startsWith(`| ${metric} |`));
  if (!line) throw new Error(`no row for ${metric} in:\n${stdout}\nstderr:\n${lastStderr}`);
  return line;
}

describe('mcubench compare (CLI)', () => {
  let dir: string;
  beforeAll(() => { dir = tempDir('compare'); });
  afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  it('passes identical results and prints the full table', async () => {
    const { code, stdout } = await mcubench(['compare', BOARD_RUN, path.dirname(BOARD_RUN)]);
    expect(code).toBe(0);
    expect(stdout).toContain('| metric | baseline | current | change | limit | verdict |');
    expect(row(stdout, 'top-1 accuracy')).toBe('| top-1 accuracy | 70.00 % | 70.00 % | +0.00 pp | drop <= 0.5 pp | pass |');
    expect(row(stdout, 'SRAM measured peak')).toBe('| SRAM measured peak | 39,272 B (38.4 KiB) | 39,272 B (38.4 KiB) | ±0 B | <= +0 B | pass |');
    expect(row(stdout, 'sample set')).toBe('| sample set | 10 samples | 10 samples | same | same | pass |');
    expect(stdout.trim().split('\n').pop()).toMatch(/^PASS: \d+ checks within limits$/);
  });

  it('fails an accuracy drop of 0.6 percentage points against the default 0.5', async () => {
    const current = readFixture(BOARD_RUN);
    current.accuracy!.top1 = 0.694;
    const { code, stdout } = await mcubench(['compare', BOARD_RUN, writeJson(dir, 'acc.json', current)]);
    expect(code).toBe(1);
    expect(row(stdout, 'top-1 accuracy')).toBe('| top-1 accuracy | 70.00 % | 69.40 % | -0.60 pp | drop <= 0.5 pp | REGRESSED |');
    expect(row(stdout, 'top-5 accuracy')).toContain('| pass |');
    expect(stdout).toContain('FAIL: 1 regressed');
  });

  it('fails a 6 % latency increase against a 5% limit', async () => {
    const current = readFixture(BOARD_RUN);
    scaleLatency(current, 1.06);
    const { code, stdout } = await mcubench(['compare', BOARD_RUN, writeJson(dir, 'lat.json', current), '--max-latency-increase', '5%']);
    expect(code).toBe(1);
    // p50 12,982,175 × 1.06 = 13,761,105.5 cycles.
    expect(row(stdout, 'latency p50 (cycles)')).toBe('| latency p50 (cycles) | 12,982,175 | 13,761,106 | +6.00 % | <= +5 % or +1,000 cycles | REGRESSED |');
    expect(row(stdout, 'latency p90 (cycles)')).toContain('| +6.00 % | <= +5 % or +1,000 cycles | REGRESSED |');
    expect(stdout).toContain('FAIL: 2 regressed');
  });

  it('fails one byte more SRAM against the default limit of 0', async () => {
    const current = readFixture(BOARD_RUN);
    current.sram!.stackPeakBytes! += 1;
    current.sram!.measuredPeakBytes! += 1;
    const { code, stdout } = await mcubench(['compare', BOARD_RUN, writeJson(dir, 'sram.json', current)]);
    expect(code).toBe(1);
    expect(row(stdout, 'SRAM measured peak')).toBe('| SRAM measured peak | 39,272 B (38.4 KiB) | 39,273 B (38.4 KiB) | +1 B | <= +0 B | REGRESSED |');
    expect(row(stdout, 'SRAM planned peak')).toContain('| pass |');
  });

  it('reports metrics missing from one file and fails on them', async () => {
    const current = readFixture(BOARD_RUN);
    delete current.latency;
    for (const s of current.samples) delete s.cycles;
    const { code, stdout } = await mcubench(['compare', BOARD_RUN, writeJson(dir, 'missing.json', current)]);
    expect(code).toBe(1);
    expect(row(stdout, 'latency p50 (cycles)')).toBe('| latency p50 (cycles) | 12,982,175 | missing | - | - | MISSING |');
    expect(stdout).toContain('FAIL: 2 missing');
  });

  it('refuses an ambiguous latency limit with a clear message', async () => {
    const { code, stdout, stderr } = await mcubench(['compare', BOARD_RUN, BOARD_RUN, '--max-latency-increase', '5']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe("mcubench: --max-latency-increase '5' is ambiguous: write '5%' for 5 percent or '500%' for 500 percent\n");
  });
});

describe('compareResults', () => {
  it('lets a drop of exactly the limit pass (no floating-point surprise)', () => {
    const baseline = readFixture(BOARD_RUN);
    const current = readFixture(BOARD_RUN);
    current.accuracy!.top1 = 0.695; // 70.0 % → 69.5 %: exactly 0.5 pp
    const top1 = compareResults(baseline, current, LIMITS).rows.find((r) => r.metric === 'top-1 accuracy')!;
    expect(top1.verdict).toBe('pass');
    expect(top1.change).toBe('-0.50 pp');
  });

  it('fails runs of different models unless told to compare anyway; then missing metrics may be allowed', () => {
    const strict = compareResults(readFixture(HOST_EVAL), readFixture(BOARD_RUN), { ...LIMITS, maxAccuracyDropPoints: 10, allowMissing: true });
    expect(strict.failed).toBe(true);
    expect(strict.rows.filter((r) => r.verdict === 'INCOMPARABLE').map((r) => r.id)).toEqual(
      expect.arrayContaining(['identity.model', 'identity.dataset', 'identity.board', 'identity.schedule', 'identity.samples']));
    const c = compareResults(readFixture(HOST_EVAL), readFixture(BOARD_RUN), { ...LIMITS, maxAccuracyDropPoints: 10, maxSkippedIncrease: 1, allowMissing: true, allowIncomparable: true });
    expect(c.rows.filter((r) => r.verdict === 'missing (allowed)').map((r) => r.metric)).toEqual(expect.arrayContaining(['latency p50 (cycles)', 'latency p90 (cycles)', 'SRAM measured peak']));
    expect(c.rows.find((r) => r.id === 'identity.model')!.verdict).toBe('differs (allowed)');
    expect(c.rows.filter((r) => r.verdict === 'REGRESSED')).toEqual([]);
    expect(c.failed).toBe(false);
  });

  it('marks latency in different units as incomparable', () => {
    const current = readFixture(BOARD_RUN);
    current.latency!.unit = 'instructions';
    for (const s of current.samples) { s.instructions = s.cycles; delete s.cycles; }
    const c = compareResults(readFixture(BOARD_RUN), current, LIMITS);
    expect(c.rows.find((r) => r.id === 'identity.latencyUnit')!.verdict).toBe('INCOMPARABLE');
    expect(c.rows.some((r) => r.id === 'latency.p50')).toBe(false);
    expect(c.failed).toBe(true);
  });

  it('fails when there is nothing to compare', () => {
    const bare = readFixture(HOST_EVAL);
    delete bare.accuracy; delete bare.sram; delete bare.plan;
    const c = compareResults(bare, bare, LIMITS);
    expect(c.failed).toBe(true);
    expect(c.rows.every((r) => r.id.startsWith('identity.') || r.id === 'skipped')).toBe(true);
  });

  it('absorbs QEMU -icount jitter of ±40 instructions in total and per-operator latency, but not a real slowdown', () => {
    const asQemu = (): Results => {
      const r = readFixture(BOARD_RUN);
      r.latency = { unit: 'instructions', mean: 1_000_000, p50: 1_000_000, p90: 1_000_000, p99: 1_000_000, min: 1_000_000, max: 1_000_000 };
      r.samples.forEach((s) => { s.instructions = 1_000_000; delete s.cycles; });
      r.ops = [{ index: 0, type: 'CONV_2D', latency: 500 }, { index: 1, type: 'DEPTHWISE_CONV_2D', latency: 300_000 }];
      return r;
    };
    const baseline = asQemu();
    const jitter = asQemu();
    jitter.latency!.p50 += 40; jitter.latency!.p90 += 40; jitter.ops![0].latency! += 40; jitter.ops![1].latency! -= 40;
    expect(compareResults(baseline, jitter, LIMITS).failed).toBe(false);
    const slower = asQemu();
    slower.ops![0].latency = 1500; // one small layer three times slower: the total hardly moves
    const c = compareResults(baseline, slower, LIMITS);
    expect(c.failed).toBe(true);
    expect(c.rows.filter((r) => r.verdict === 'REGRESSED').map((r) => r.id)).toEqual(['latency.ops', 'latency.op.0']);
  });

  it('compares operators only with the same operator: a baseline whose patch stage was one entry is not op 0', () => {
    const current = readFixture(BOARD_RUN); // per operator: ops 0-7 of the patch stage each on their own
    const baseline = readFixture(BOARD_RUN);
    const stage = baseline.ops!.slice(0, 8).reduce((sum, o) => sum + o.latency!, 0);
    baseline.ops = [{ index: 0, type: 'patch stage', latency: Math.round(stage / 2) }, ...baseline.ops!.slice(8)];
    const c = compareResults(baseline, current, LIMITS);
    expect(c.rows.find((r) => r.id === 'latency.ops')).toMatchObject({ change: '23 compared', verdict: 'pass' });
    expect(c.rows.some((r) => r.id === 'latency.op.0')).toBe(false);
  });
});

describe('the case that passed before (issue 12)', () => {
  it('agreement 1.0 → 0.5, code +200 KB, half the samples, another dataset: fails, one line per broken threshold, JSON too', async () => {
    const dir = tempDir('compare-issue');
    const baseline = readFixture(BOARD_RUN);
    baseline.agreement = 1; baseline.fidelity!.bitExactRate = 1;
    baseline.samples.forEach((s) => { s.matchesHost = true; s.hostPredicted = s.predicted; });
    const current = readFixture(BOARD_RUN);
    current.samples = current.samples.slice(0, 5);
    current.count = 5;
    current.samples.forEach((s, i) => { s.matchesHost = i % 2 === 0; s.hostPredicted = s.predicted; });
    current.agreement = 0.5; current.fidelity!.bitExactRate = 0.5;
    current.flash!.codeBytes += 200 * 1024;
    current.dataset = 'another-dataset';
    current.accuracy!.top1 = 0.6; current.accuracy!.top5 = 1;
    const b = writeJson(dir, 'baseline.json', baseline);
    const c = writeJson(dir, 'current.json', current);
    const text = await mcubench(['compare', b, c]);
    expect(text.code).toBe(1);
    const failures = text.stdout.split('\n').filter((l) => l.startsWith('FAIL '));
    expect(failures).toEqual(expect.arrayContaining([
      'FAIL identity.dataset: dataset differs: vww-sample vs another-dataset; pass --allow-incomparable to compare anyway',
      expect.stringMatching(/^FAIL identity.samples: sample set differs: 10 samples vs 5 samples \(5 missing/),
      'FAIL fidelity.bitExactRate: bit-exact with reference 100.00 % → 50.00 % (-50.00 pp, limit drop <= 0 pp)',
      'FAIL flash.code: flash code 41,212 B (40.2 KiB) → 246,012 B (240.2 KiB) (+204,800 B, limit <= +1,024 B)',
      expect.stringMatching(/^FAIL accuracy.top1: /),
    ]));
    expect(text.stdout.trim().split('\n').pop()).toMatch(/^FAIL: /);
    const json = await mcubench(['compare', b, c, '--json', '--allow-incomparable']);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as { passed: boolean; failures: string[]; checks: { id: string; verdict: string }[] };
    expect(parsed.passed).toBe(false);
    expect(parsed.checks.find((r) => r.id === 'identity.dataset')!.verdict).toBe('differs (allowed)');
    expect(parsed.failures.map((f) => f.split(':')[0])).toEqual(expect.arrayContaining(['FAIL fidelity.bitExactRate', 'FAIL flash.code']));
    const lenient = await mcubench(['compare', b, c, '--allow-incomparable', '--max-agreement-drop', '60', '--max-code-increase', '300000', '--max-accuracy-drop', '20']);
    expect(lenient.stdout.trim().split('\n').pop()).toMatch(/^PASS: /);
    expect(lenient.code).toBe(0);
  });
});

describe('compare limit options', () => {
  it('reads latency limits as percent or fraction', () => {
    expect(parseLatencyIncrease('5%')).toBeCloseTo(0.05, 12);
    expect(parseLatencyIncrease('0.05')).toBe(0.05);
    expect(parseLatencyIncrease(' 12.5 % ')).toBeCloseTo(0.125, 12);
    expect(() => parseLatencyIncrease('fast')).toThrow(/not a percentage \(5%\) or a fraction \(0\.05\)/);
    expect(() => parseLatencyIncrease('-1%')).toThrow(/not a percentage/);
  });

  it('reads accuracy points and SRAM bytes', () => {
    expect(parseAccuracyDrop('0.5')).toBe(0.5);
    expect(() => parseAccuracyDrop('half')).toThrow(/percentage points/);
    expect(parseSramIncrease('1024')).toBe(1024);
    expect(() => parseSramIncrease('1.5')).toThrow(/whole number of bytes/);
  });
});
