// The regression gate: compares a current results file with a baseline under explicit limits. A metric
// present in only one file is reported as MISSING and fails the gate unless missing metrics are allowed.
import { formatByteDelta, formatBytes, formatInteger, formatPercent } from './format';
import type { Results } from './results';

export interface CompareLimits {
  /** Largest allowed accuracy (or mAP) drop, in percentage points. */
  maxAccuracyDropPoints: number;
  /** Largest allowed latency increase as a fraction of the baseline (0.05 = 5 %). */
  maxLatencyIncrease: number;
  /** Largest allowed SRAM increase in bytes. */
  maxSramIncreaseBytes: number;
  /** Report metrics missing from one file as a warning instead of a failure. */
  allowMissing?: boolean;
}

export type Verdict = 'pass' | 'REGRESSED' | 'MISSING' | 'missing (allowed)' | 'INCOMPARABLE';

export interface ComparisonRow {
  metric: string;
  baseline: string;
  current: string;
  change: string;
  limit: string;
  verdict: Verdict;
}

export interface Comparison {
  rows: ComparisonRow[];
  /** Differences in model, board, schedule or clock that make the numbers less comparable. */
  notes: string[];
  failed: boolean;
}

/** Floating-point slack so a drop of exactly the limit (e.g. 70.5 % → 70.0 % at 0.5 pp) passes. */
const EPSILON = 1e-9;

interface MetricSpec {
  metric: string;
  read: (r: Results) => number | undefined;
  show: (v: number) => string;
  /** Returns [change text, limit text, within limit]. */
  judge: (baseline: number, current: number) => [string, string, boolean];
}

function accuracySpec(metric: string, read: (r: Results) => number | undefined, limits: CompareLimits): MetricSpec {
  return {
    metric, read, show: (v) => formatPercent(v),
    judge: (b, c) => {
      const changePoints = (c - b) * 100;
      return [`${changePoints >= 0 ? '+' : ''}${changePoints.toFixed(2)} pp`, `drop <= ${limits.maxAccuracyDropPoints} pp`, -changePoints <= limits.maxAccuracyDropPoints + EPSILON];
    },
  };
}

function latencySpec(stat: 'p50' | 'p90', unit: string, limits: CompareLimits): MetricSpec {
  return {
    metric: `latency ${stat} (${unit})`, read: (r) => r.latency?.[stat], show: (v) => formatInteger(v),
    judge: (b, c) => {
      const increase = b === 0 ? (c === 0 ? 0 : Infinity) : (c - b) / b;
      const change = Number.isFinite(increase) ? `${increase >= 0 ? '+' : ''}${(increase * 100).toFixed(2)} %` : '+∞ %';
      return [change, `<= +${Number((limits.maxLatencyIncrease * 100).toFixed(6))} %`, increase <= limits.maxLatencyIncrease + EPSILON];
    },
  };
}

function sramSpec(metric: string, read: (r: Results) => number | undefined, limits: CompareLimits): MetricSpec {
  return {
    metric, read, show: formatBytes,
    judge: (b, c) => [formatByteDelta(c - b), `<= +${formatInteger(limits.maxSramIncreaseBytes)} B`, c - b <= limits.maxSramIncreaseBytes],
  };
}

function describe(r: Results): string {
  return `${r.model}${r.board ? ` on ${r.board}` : ''}, ${r.schedule.kind}-based`;
}

function comparabilityNotes(baseline: Results, current: Results): string[] {
  const notes: string[] = [];
  if (baseline.model !== current.model) notes.push(`different models: ${baseline.model} vs ${current.model}`);
  if ((baseline.board ?? 'host') !== (current.board ?? 'host')) notes.push(`different targets: ${baseline.board ?? 'host'} vs ${current.board ?? 'host'}`);
  if (baseline.schedule.kind !== current.schedule.kind) notes.push(`different schedules: ${baseline.schedule.kind} vs ${current.schedule.kind}`);
  const bc = baseline.latency?.clockHz;
  const cc = current.latency?.clockHz;
  if (bc !== undefined && cc !== undefined && bc !== cc) notes.push(`different clocks: ${bc} Hz vs ${cc} Hz (latency is compared in ${baseline.latency?.unit})`);
  return notes;
}

export function compareResults(baseline: Results, current: Results, limits: CompareLimits): Comparison {
  const rows: ComparisonRow[] = [];
  const bUnit = baseline.latency?.unit;
  const cUnit = current.latency?.unit;
  if (bUnit && cUnit && bUnit !== cUnit) {
    rows.push({ metric: 'latency', baseline: bUnit, current: cUnit, change: 'units differ', limit: '-', verdict: 'INCOMPARABLE' });
  }
  const latencyUnit = bUnit ?? cUnit ?? 'cycles';
  const specs: MetricSpec[] = [
    accuracySpec('top-1 accuracy', (r) => r.accuracy?.top1, limits),
    accuracySpec('top-5 accuracy', (r) => r.accuracy?.top5, limits),
    accuracySpec('mAP (VOC07)', (r) => r.detection?.map07, limits),
    accuracySpec('mAP (VOC12)', (r) => r.detection?.map12, limits),
    ...(bUnit && cUnit && bUnit !== cUnit ? [] : [latencySpec('p50', latencyUnit, limits), latencySpec('p90', latencyUnit, limits)]),
    sramSpec('SRAM measured peak', (r) => r.sram?.measuredPeakBytes, limits),
    sramSpec('SRAM planned peak', (r) => r.sram?.plannedPeakBytes ?? (r.schedule.kind === 'patch' ? r.plan?.patchBased?.peakBytes : r.plan?.layerBased.peakBytes), limits),
  ];
  for (const spec of specs) {
    const b = spec.read(baseline);
    const c = spec.read(current);
    if (b === undefined && c === undefined) continue;
    if (b === undefined || c === undefined) {
      rows.push({
        metric: spec.metric, baseline: b === undefined ? 'missing' : spec.show(b), current: c === undefined ? 'missing' : spec.show(c),
        change: '-', limit: '-', verdict: limits.allowMissing ? 'missing (allowed)' : 'MISSING',
      });
      continue;
    }
    const [change, limit, ok] = spec.judge(b, c);
    rows.push({ metric: spec.metric, baseline: spec.show(b), current: spec.show(c), change, limit, verdict: ok ? 'pass' : 'REGRESSED' });
  }
  // Nothing compared means nothing verified: that must not pass a gate.
  const failed = rows.length === 0 || rows.some((r) => r.verdict === 'REGRESSED' || r.verdict === 'MISSING' || r.verdict === 'INCOMPARABLE');
  return { rows, notes: comparabilityNotes(baseline, current), failed };
}

/** Markdown table plus a verdict line; reads well in a terminal and in a CI comment. */
export function formatComparison(comparison: Comparison, baseline: { file: string; results: Results }, current: { file: string; results: Results }): string {
  const header = ['metric', 'baseline', 'current', 'change', 'limit', 'verdict'];
  const lines = [
    `baseline: ${baseline.file} (${describe(baseline.results)})`,
    `current:  ${current.file} (${describe(current.results)})`,
    ...comparison.notes.map((n) => `note: ${n}`),
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...comparison.rows.map((r) => `| ${[r.metric, r.baseline, r.current, r.change, r.limit, r.verdict].join(' | ')} |`),
    '',
  ];
  const count = (v: Verdict) => comparison.rows.filter((r) => r.verdict === v).length;
  const problems = [
    [count('REGRESSED'), 'regressed'], [count('MISSING'), 'missing'], [count('INCOMPARABLE'), 'incomparable'],
  ].filter(([n]) => (n as number) > 0).map(([n, what]) => `${n} ${what}`);
  if (!comparison.rows.length) problems.push('no metric present in either file, nothing was compared');
  lines.push(comparison.failed ? `FAIL: ${problems.join(', ')}` : `PASS: ${comparison.rows.length} metrics within limits${count('missing (allowed)') ? ` (${count('missing (allowed)')} missing, allowed)` : ''}`);
  return `${lines.join('\n')}\n`;
}
