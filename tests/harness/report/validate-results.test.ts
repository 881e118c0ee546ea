import * as fs from 'fs';
import { loadResults, parseResults } from '../../../harness/report/load-results';
import { ResultsError, validateResults } from '../../../harness/report/results';
import { BOARD_RUN, BOARD_RUN_DIR, HOST_EVAL, readFixture, tempDir } from './fixtures';

function errorOf(value: unknown): string {
  try {
    validateResults(value, 'runs/x/results.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ResultsError);
    return (err as Error).message;
  }
  throw new Error('expected a ResultsError');
}

describe('validateResults', () => {
  it('accepts the board-run and host-eval fixtures, from a file or from the output directory', () => {
    expect(loadResults(BOARD_RUN_DIR).samples).toHaveLength(10);
    expect(loadResults(BOARD_RUN).board).toBe('stm32f746g-disco');
    const host = loadResults(HOST_EVAL);
    expect(host.board).toBeUndefined();
    expect(host.latency).toBeUndefined();
    expect(host.count).toBe(12);
  });

  it('names the file and every bad field', () => {
    const r = readFixture(BOARD_RUN) as unknown as Record<string, any>;
    r.accuracy.top1 = 70; // a percentage where a fraction belongs
    r.samples[3].outputSha256 = 'abc';
    delete r.model;
    const message = errorOf(r);
    expect(message).toContain('runs/x/results.json');
    expect(message).toContain("field 'accuracy.top1': must be <= 1, got 70 (a fraction between 0 and 1; 70 % is 0.7)");
    expect(message).toContain("field 'samples[3].outputSha256': must match ^[0-9a-f]{64}$, got \"abc\"");
    expect(message).toContain("field 'model': is required but missing");
    expect(message.match(/field '/g)).toHaveLength(3);
  });

  it('rejects a count that disagrees with the samples', () => {
    const r = readFixture(HOST_EVAL);
    r.count = 13;
    expect(errorOf(r)).toContain("field 'count': is 13 but \"samples\" has 12 entries");
  });

  it('rejects latency statistics out of order and per-sample latency in the other unit', () => {
    const r = readFixture(BOARD_RUN);
    r.latency!.p90 = r.latency!.p50 - 1;
    const sample = r.samples[0] as unknown as Record<string, unknown>;
    sample.instructions = sample.cycles;
    delete sample.cycles;
    const message = errorOf(r);
    expect(message).toContain("field 'latency': must satisfy min <= p50 <= p90 <= p99 <= max");
    expect(message).toContain("field 'samples[0].instructions': disagrees with latency.unit 'cycles'");
  });

  it('requires split and patches for a patch schedule, and a plan peak no lower than any op', () => {
    const r = readFixture(BOARD_RUN);
    delete (r.schedule as { split?: number }).split;
    r.plan!.layerBased.peakBytes = 1000;
    expect(errorOf(r)).toContain("field 'schedule.split': is required but missing");
    (r.schedule as { split?: number }).split = 3;
    expect(errorOf(r)).toContain("field 'plan.layerBased.peakBytes': is 1000 but an op has 55296 live bytes");
  });

  it('explains unreadable input: bad JSON, missing path, directory without results.json', () => {
    expect(() => parseResults('{"model": "m",', 'out/results.json')).toThrow(/out\/results\.json: not valid JSON/);
    expect(() => loadResults('/no/such/results.json')).toThrow(/\/no\/such\/results\.json: no such file or directory/);
    const dir = tempDir('empty-out');
    expect(() => loadResults(dir)).toThrow(new RegExp(`${dir}: directory has no results.json`));
    fs.rmSync(dir, { recursive: true });
  });

  it('names the field for labels, dates and thresholds of the wrong kind', () => {
    const r = readFixture(BOARD_RUN) as unknown as Record<string, any>;
    r.samples[1].label = -2;
    r.createdAt = 'yesterday';
    r.thresholds = { maxSramBytes: 1.5, latencyStatistic: 'p95' };
    const message = errorOf(r);
    expect(message).toContain("field 'samples[1].label': must be a class name or a class index >= 0, got number -2");
    expect(message).toContain("field 'createdAt': must match ");
    expect(message).toContain("field 'thresholds.maxSramBytes': must be an integer, got number 1.5");
    expect(message).toContain("field 'thresholds.latencyStatistic': must be one of \"mean\", \"p50\", \"p90\", \"p99\", \"min\", \"max\", got \"p95\"");
  });

  it('rejects a non-object document', () => {
    expect(errorOf([1, 2])).toContain("field '(root)': must be of type object, got an array");
  });
});
