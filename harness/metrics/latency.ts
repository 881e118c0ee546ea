// Latency summary of per-inference counts (DWT cycles on boards, instructions under QEMU icount).
// Percentiles use the nearest-rank method: the p-th percentile of N sorted values is the value at rank
// ceil(p/100 · N) (1-based), so every reported percentile is an observed measurement, never an interpolation.

export interface CountStats { mean: number; p50: number; p90: number; p99: number; min: number; max: number; }
export interface LatencySummary { count: number; unit: 'cycles' | 'instructions'; counts: CountStats; ms?: CountStats; clockHz?: number; }

export function nearestRank(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('no measurements');
  if (!(p > 0 && p <= 100)) throw new Error(`percentile ${p} is outside (0, 100]`);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1];
}

export function summarizeLatency(values: readonly number[], unit: LatencySummary['unit'] = 'cycles', clockHz?: number): LatencySummary {
  if (values.length === 0) throw new Error('latency summary needs at least one measurement');
  if (values.some((v) => !Number.isFinite(v) || v < 0)) throw new Error('latency counts must be finite and non-negative');
  if (clockHz !== undefined && !(clockHz > 0)) throw new Error(`clock ${clockHz} Hz must be positive`);
  const sorted = [...values].sort((a, b) => a - b);
  const counts: CountStats = {
    mean: values.reduce((s, v) => s + v, 0) / values.length,
    p50: nearestRank(sorted, 50), p90: nearestRank(sorted, 90), p99: nearestRank(sorted, 99),
    min: sorted[0], max: sorted[sorted.length - 1],
  };
  if (clockHz === undefined) return { count: values.length, unit, counts };
  const toMs = (c: number): number => (c / clockHz) * 1000;
  const ms = Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, toMs(v)])) as unknown as CountStats;
  return { count: values.length, unit, counts, ms, clockHz };
}
