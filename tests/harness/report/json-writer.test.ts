import { writeJsonReport } from '../../../harness/report/json-writer';
import { validateResults } from '../../../harness/report/results';
import { BOARD_RUN, HOST_EVAL, readFixture } from './fixtures';

describe('writeJsonReport', () => {
  it('puts keys in the documented order whatever order the input used', () => {
    const input = readFixture(HOST_EVAL); // written with tool first and model last
    expect(Object.keys(input)[0]).toBe('tool');
    const out = JSON.parse(writeJsonReport(input));
    expect(Object.keys(out)).toEqual(['model', 'dataset', 'schedule', 'count', 'skipped', 'accuracy', 'sram', 'plan', 'thresholds', 'samples', 'createdAt', 'tool']);
    expect(Object.keys(out.samples[0])).toEqual(['name', 'outputSha256', 'label', 'predicted']);
    expect(Object.keys(out.accuracy)).toEqual(['top1', 'top5']);
    expect(Object.keys(out.plan.layerBased)).toEqual(['peakBytes', 'ops']);
    expect(Object.keys(out.tool)).toEqual(['name', 'version']);
  });

  it('loses nothing, stays valid, and is a fixed point', () => {
    for (const file of [HOST_EVAL, BOARD_RUN]) {
      const input = readFixture(file);
      const text = writeJsonReport(input);
      const parsed = JSON.parse(text);
      expect(parsed).toEqual(input);
      expect(() => validateResults(parsed, file)).not.toThrow();
      expect(writeJsonReport(parsed)).toBe(text);
      expect(text.endsWith('}\n')).toBe(true);
    }
  });

  it('keeps unknown keys after the known ones, alphabetically, and drops undefined fields', () => {
    const input = readFixture(BOARD_RUN) as unknown as Record<string, unknown>;
    input.zeta = 1;
    input.extra = { b: 1, a: 2 };
    input.board = undefined;
    const out = JSON.parse(writeJsonReport(input as never));
    const keys = Object.keys(out);
    expect(keys.slice(-2)).toEqual(['extra', 'zeta']);
    expect(keys).not.toContain('board');
    expect(Object.keys(out.extra)).toEqual(['a', 'b']);
    expect(Object.keys(out.latency)).toEqual(['unit', 'mean', 'p50', 'p90', 'p99', 'min', 'max', 'clockHz', 'ms']);
  });
});
