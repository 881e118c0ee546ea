import { nearestRank, summarizeLatency, mainSramBytes } from '../../../harness/metrics';

describe('latency summary', () => {
  it('uses nearest-rank percentiles', () => {
    // 10 values 100..1000: p50 rank ceil(5) = 5 → 500; p90 rank 9 → 900; p99 rank ceil(9.9) = 10 → 1000
    const values = [1000, 100, 900, 200, 800, 300, 700, 400, 600, 500];
    const s = summarizeLatency(values, 'cycles', 216e6);
    expect(s.counts).toEqual({ mean: 550, p50: 500, p90: 900, p99: 1000, min: 100, max: 1000 });
    // 216 MHz: 550 cycles = 550 / 216e6 s = 0.0025463 ms
    expect(s.ms!.mean).toBeCloseTo(550 / 216e3, 12);
    expect(s.ms!.max).toBeCloseTo(1000 / 216e3, 12);
  });

  it('single value and small sets', () => {
    expect(summarizeLatency([7]).counts).toEqual({ mean: 7, p50: 7, p90: 7, p99: 7, min: 7, max: 7 });
    // 3 values: p50 rank ceil(1.5) = 2; p90 rank ceil(2.7) = 3
    expect(nearestRank([1, 2, 3], 50)).toBe(2);
    expect(nearestRank([1, 2, 3], 90)).toBe(3);
    expect(summarizeLatency([5], 'instructions').ms).toBeUndefined();
  });

  it('rejects empty or invalid input', () => {
    expect(() => summarizeLatency([])).toThrow(/at least one/);
    expect(() => summarizeLatency([1, -1])).toThrow(/non-negative/);
    expect(() => summarizeLatency([1], 'cycles', 0)).toThrow(/positive/);
  });
});

describe('SRAM of the bench firmware', () => {
  it('adds arena, static data and stack; a stack kept in CCM does not count against main SRAM', () => {
    // 200 000 + 12 000 + 8 192 = 220 192 B
    expect(mainSramBytes({ arenaBytes: 200000, staticBytes: 12000, stackBytes: 8192 })).toBe(220192);
    expect(mainSramBytes({ arenaBytes: 200000, staticBytes: 12000, stackBytes: 8192 }, true)).toBe(212000);
    expect(() => mainSramBytes({ arenaBytes: 1.5, staticBytes: 0, stackBytes: 0 })).toThrow(/arenaBytes/);
  });
});
