// The regression gate: compares a current results file with a baseline under explicit limits, as a list of
// checks (one JUnit test case each). Runs that are not comparable (another model, dataset, sample set, board,
// schedule, firmware protocol or tool version) fail unless told to compare anyway; a metric present in only one
// file is MISSING and fails unless missing metrics are allowed; nothing compared never passes.
import { formatByteDelta, formatBytes, formatInteger, formatPercent } from './format';
import { predictionAgreement } from './predictions';
import type { Results } from './results';

export interface CompareLimits {
  /** Largest allowed accuracy (or mAP) drop, in percentage points. */
  maxAccuracyDropPoints: number;
  /** Largest allowed drop of device-vs-reference agreement (bit-exact rate, top-1 agreement), in percentage points. */
  maxAgreementDropPoints?: number;
  /** Largest allowed latency increase as a fraction of the baseline (0.05 = 5 %). */
  maxLatencyIncrease: number;
  /**
   * An increase up to this many latency units always passes: QEMU -icount counts move by tens of instructions
   * between runs (more after a resume), which a fraction of a small figure would flag.
   */
  latencySlack?: number;
  /** Per operator: largest allowed latency increase as a fraction of the baseline, and its slack in units. */
  maxLayerLatencyIncrease?: number;
  layerLatencySlack?: number;
  /** Largest allowed SRAM increase in bytes (measured and planned peaks). */
  maxSramIncreaseBytes: number;
  /** Largest allowed flash increase in bytes: firmware code, model image. */
  maxCodeIncreaseBytes?: number;
  maxModelIncreaseBytes?: number;
  /** Largest allowed increase of skipped inputs. */
  maxSkippedIncrease?: number;
  /** Report metrics missing from one file as a warning instead of a failure. */
  allowMissing?: boolean;
  /** Compare runs of different models, datasets, sample sets, boards, schedules or versions anyway. */
  allowIncomparable?: boolean;
}

/** What a nightly job wants without options: tight on memory and fidelity, tolerant of emulator jitter. */
export const DEFAULT_LIMITS: Required<CompareLimits> = {
  maxAccuracyDropPoints: 0.5,
  maxAgreementDropPoints: 0,
  maxLatencyIncrease: 0.05,
  latencySlack: 1000,
  maxLayerLatencyIncrease: 0.1,
  layerLatencySlack: 200,
  maxSramIncreaseBytes: 0,
  maxCodeIncreaseBytes: 1024,
  maxModelIncreaseBytes: 0,
  maxSkippedIncrease: 0,
  allowMissing: false,
  allowIncomparable: false,
};

export type Verdict = 'pass' | 'REGRESSED' | 'MISSING' | 'missing (allowed)' | 'INCOMPARABLE' | 'differs (allowed)';

export interface ComparisonRow {
  /** Stable identifier, e.g. "accuracy.top1", "latency.op.12"; JUnit classname suffix and JSON key. */
  id: string;
  metric: string;
  baseline: string;
  current: string;
  change: string;
  limit: string;
  verdict: Verdict;
}

export interface Comparison {
  rows: ComparisonRow[];
  /** Facts that do not fail the gate (firmware build hash, clock) but explain a difference. */
  notes: string[];
  failed: boolean;
}

const FAILING: ReadonlySet<Verdict> = new Set<Verdict>(['REGRESSED', 'MISSING', 'INCOMPARABLE']);

/** Floating-point slack so a drop of exactly the limit (e.g. 70.5 % → 70.0 % at 0.5 pp) passes. */
const EPSILON = 1e-9;

interface MetricSpec {
  id: string;
  metric: string;
  read: (r: Results) => number | undefined;
  show: (v: number) => string;
  /** Returns [change text, limit text, within limit]. */
  judge: (baseline: number, current: number) => [string, string, boolean];
}

function dropSpec(id: string, metric: string, read: (r: Results) => number | undefined, maxDropPoints: number): MetricSpec {
  return {
    id, metric, read, show: (v) => formatPercent(v),
    judge: (b, c) => {
      const changePoints = (c - b) * 100;
      return [`${changePoints >= 0 ? '+' : ''}${changePoints.toFixed(2)} pp`, `drop <= ${maxDropPoints} pp`, -changePoints <= maxDropPoints + EPSILON];
    },
  };
}

function relativeChange(b: number, c: number): string {
  const increase = b === 0 ? (c === 0 ? 0 : Infinity) : (c - b) / b;
  return Number.isFinite(increase) ? `${increase >= 0 ? '+' : ''}${(increase * 100).toFixed(2)} %` : '+∞ %';
}

/** Within limit when the increase is at most fraction × baseline or at most `slack` units, whichever is larger. */
function increaseSpec(id: string, metric: string, read: (r: Results) => number | undefined, fraction: number, slack: number, unit: string): MetricSpec {
  const pct = `+${Number((fraction * 100).toFixed(6))} %`;
  return {
    id, metric, read, show: (v) => formatInteger(v),
    judge: (b, c) => [relativeChange(b, c), slack > 0 ? `<= ${pct} or +${formatInteger(slack)} ${unit}` : `<= ${pct}`,
      c - b <= Math.max(b * fraction, slack) + EPSILON],
  };
}

function bytesSpec(id: string, metric: string, read: (r: Results) => number | undefined, maxIncrease: number): MetricSpec {
  return {
    id, metric, read, show: formatBytes,
    judge: (b, c) => [formatByteDelta(c - b), `<= +${formatInteger(maxIncrease)} B`, c - b <= maxIncrease],
  };
}

function countSpec(id: string, metric: string, read: (r: Results) => number | undefined, maxIncrease: number): MetricSpec {
  return {
    id, metric, read, show: formatInteger,
    judge: (b, c) => [`${c - b >= 0 ? '+' : ''}${c - b}`, `<= +${maxIncrease}`, c - b <= maxIncrease],
  };
}

function describe(r: Results): string {
  return `${r.model}${r.board ? ` on ${r.board}` : ''}, ${r.schedule.kind}-based`;
}

function scheduleText(r: Results): string {
  const s = r.schedule;
  if (s.kind === 'stream') return `stream split ${s.split}`;
  return s.kind === 'layer' ? 'layer' : `patch ${s.patches}×${s.patches} split ${s.split}`;
}

/** Device-vs-reference agreement on the top-1 class: the fidelity block's, else from per-sample predictions. */
function top1Agreement(r: Results): number | undefined {
  if (r.fidelity?.top1Agreement !== undefined) return r.fidelity.top1Agreement;
  const a = predictionAgreement(r);
  return a ? a.agree / a.compared : undefined;
}

function bitExactRate(r: Results): number | undefined {
  return r.fidelity?.bitExactRate ?? r.agreement;
}

function plannedPeak(r: Results): number | undefined {
  return r.sram?.plannedPeakBytes ?? (r.schedule.kind === 'patch' ? r.plan?.patchBased?.peakBytes : r.plan?.layerBased.peakBytes);
}

interface Identity { id: string; what: string; read: (r: Results) => string | undefined; }

const IDENTITIES: Identity[] = [
  { id: 'identity.model', what: 'model', read: (r) => r.model },
  { id: 'identity.modelHash', what: 'model file (SHA-256)', read: (r) => r.environment?.modelSha256?.slice(0, 16) },
  { id: 'identity.dataset', what: 'dataset', read: (r) => r.dataset },
  { id: 'identity.board', what: 'board', read: (r) => r.board ?? 'host' },
  { id: 'identity.schedule', what: 'schedule', read: scheduleText },
  { id: 'identity.firmware', what: 'firmware protocol', read: (r) => (r.environment?.firmwareProtocol !== undefined ? `v${r.environment.firmwareProtocol}` : undefined) },
  { id: 'identity.tool', what: 'tool version', read: (r) => `${r.tool.name} ${r.tool.version}` },
  { id: 'identity.latencyUnit', what: 'latency unit', read: (r) => r.latency?.unit },
];

/** A fact known on one side only (an older results file) cannot tell a difference: it is shown, not failed. */
function identityRow(id: string, what: string, b: string | undefined, c: string | undefined, limits: CompareLimits): ComparisonRow | undefined {
  if (b === undefined && c === undefined) return undefined;
  const same = b === c || b === undefined || c === undefined;
  return {
    id, metric: what, baseline: b ?? 'unknown', current: c ?? 'unknown', change: b === c ? 'same' : same ? 'unknown' : 'differs', limit: 'same',
    verdict: same ? 'pass' : limits.allowIncomparable ? 'differs (allowed)' : 'INCOMPARABLE',
  };
}

function sampleSetRow(baseline: Results, current: Results, limits: CompareLimits): ComparisonRow {
  const b = new Set(baseline.samples.map((s) => s.name));
  const c = new Set(current.samples.map((s) => s.name));
  const onlyB = [...b].filter((n) => !c.has(n));
  const onlyC = [...c].filter((n) => !b.has(n));
  const same = onlyB.length === 0 && onlyC.length === 0;
  const change = same ? 'same' : [onlyB.length ? `${onlyB.length} missing (${onlyB.slice(0, 3).join(', ')}${onlyB.length > 3 ? ', …' : ''})` : '',
    onlyC.length ? `${onlyC.length} new (${onlyC.slice(0, 3).join(', ')}${onlyC.length > 3 ? ', …' : ''})` : ''].filter(Boolean).join(', ');
  return {
    id: 'identity.samples', metric: 'sample set', baseline: `${b.size} samples`, current: `${c.size} samples`, change, limit: 'same',
    verdict: same ? 'pass' : limits.allowIncomparable ? 'differs (allowed)' : 'INCOMPARABLE',
  };
}

/** Per-operator latency: one row per operator over its limit, and one summary row. */
function layerRows(baseline: Results, current: Results, limits: Required<CompareLimits>, unit: string): ComparisonRow[] {
  const bOps = new Map((baseline.ops ?? []).filter((o) => o.latency !== undefined).map((o) => [o.index, o]));
  const cOps = (current.ops ?? []).filter((o) => o.latency !== undefined);
  if (bOps.size === 0 && cOps.length === 0) return [];
  const rows: ComparisonRow[] = [];
  if (bOps.size === 0 || cOps.length === 0) {
    return [{ id: 'latency.ops', metric: `per-operator latency (${unit})`, baseline: bOps.size ? `${bOps.size} ops` : 'missing', current: cOps.length ? `${cOps.length} ops` : 'missing',
      change: '-', limit: '-', verdict: limits.allowMissing ? 'missing (allowed)' : 'MISSING' }];
  }
  const spec = increaseSpec('', '', () => undefined, limits.maxLayerLatencyIncrease, limits.layerLatencySlack, unit);
  let compared = 0;
  for (const op of cOps) {
    const b = bOps.get(op.index);
    // Same index, other operator: a baseline from a firmware that reported its patch stage as one entry.
    if (!b || b.type !== op.type) continue;
    compared++;
    const [change, limit, ok] = spec.judge(b.latency!, op.latency!);
    if (!ok) {
      rows.push({ id: `latency.op.${op.index}`, metric: `op ${op.index} ${op.type} latency (${unit})`, baseline: formatInteger(b.latency!), current: formatInteger(op.latency!), change, limit, verdict: 'REGRESSED' });
    }
  }
  const limitText = `each <= +${Number((limits.maxLayerLatencyIncrease * 100).toFixed(6))} % or +${formatInteger(limits.layerLatencySlack)} ${unit}`;
  rows.unshift({
    id: 'latency.ops', metric: `per-operator latency (${unit})`, baseline: `${bOps.size} ops`, current: `${cOps.length} ops`,
    change: rows.length ? `${rows.length} of ${compared} over` : `${compared} compared`, limit: limitText, verdict: rows.length ? 'REGRESSED' : 'pass',
  });
  return rows;
}

export function compareResults(baseline: Results, current: Results, given: CompareLimits): Comparison {
  const limits: Required<CompareLimits> = { ...DEFAULT_LIMITS, ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) };
  const rows: ComparisonRow[] = [];
  for (const identity of IDENTITIES) {
    const row = identityRow(identity.id, identity.what, identity.read(baseline), identity.read(current), limits);
    if (row) rows.push(row);
  }
  rows.push(sampleSetRow(baseline, current, limits));
  const bUnit = baseline.latency?.unit;
  const cUnit = current.latency?.unit;
  const sameUnit = !(bUnit && cUnit && bUnit !== cUnit);
  const unit = bUnit ?? cUnit ?? 'cycles';
  const specs: MetricSpec[] = [
    dropSpec('accuracy.top1', 'top-1 accuracy', (r) => r.accuracy?.top1, limits.maxAccuracyDropPoints),
    dropSpec('accuracy.top5', 'top-5 accuracy', (r) => r.accuracy?.top5, limits.maxAccuracyDropPoints),
    dropSpec('detection.map07', 'mAP (VOC07)', (r) => r.detection?.map07, limits.maxAccuracyDropPoints),
    dropSpec('detection.map12', 'mAP (VOC12)', (r) => r.detection?.map12, limits.maxAccuracyDropPoints),
    dropSpec('fidelity.bitExactRate', 'bit-exact with reference', bitExactRate, limits.maxAgreementDropPoints),
    dropSpec('fidelity.top1Agreement', 'top-1 agreement with reference', top1Agreement, limits.maxAgreementDropPoints),
    ...(sameUnit ? [
      increaseSpec('latency.p50', `latency p50 (${unit})`, (r) => r.latency?.p50, limits.maxLatencyIncrease, limits.latencySlack, unit),
      increaseSpec('latency.p90', `latency p90 (${unit})`, (r) => r.latency?.p90, limits.maxLatencyIncrease, limits.latencySlack, unit),
    ] : []),
    bytesSpec('sram.measuredPeak', 'SRAM measured peak', (r) => r.sram?.measuredPeakBytes, limits.maxSramIncreaseBytes),
    bytesSpec('sram.plannedPeak', 'SRAM planned peak', plannedPeak, limits.maxSramIncreaseBytes),
    bytesSpec('flash.code', 'flash code', (r) => r.flash?.codeBytes, limits.maxCodeIncreaseBytes),
    bytesSpec('flash.model', 'flash model', (r) => r.flash?.modelBytes, limits.maxModelIncreaseBytes),
    countSpec('skipped', 'skipped inputs', (r) => r.skipped.length, limits.maxSkippedIncrease),
  ];
  let measured = 0;
  for (const spec of specs) {
    const b = spec.read(baseline);
    const c = spec.read(current);
    if (b === undefined && c === undefined) continue;
    if (spec.id !== 'skipped') measured++;
    if (b === undefined || c === undefined) {
      rows.push({
        id: spec.id, metric: spec.metric, baseline: b === undefined ? 'missing' : spec.show(b), current: c === undefined ? 'missing' : spec.show(c),
        change: '-', limit: '-', verdict: limits.allowMissing ? 'missing (allowed)' : 'MISSING',
      });
      continue;
    }
    const [change, limit, ok] = spec.judge(b, c);
    rows.push({ id: spec.id, metric: spec.metric, baseline: spec.show(b), current: spec.show(c), change, limit, verdict: ok ? 'pass' : 'REGRESSED' });
  }
  if (sameUnit) rows.push(...layerRows(baseline, current, limits, unit));
  const notes: string[] = [];
  const bc = baseline.latency?.clockHz ?? baseline.environment?.coreClockHz;
  const cc = current.latency?.clockHz ?? current.environment?.coreClockHz;
  if (bc !== undefined && cc !== undefined && bc !== cc) notes.push(`different clocks: ${bc} Hz vs ${cc} Hz (latency is compared in ${unit})`);
  const bf = baseline.environment?.firmwareHash;
  const cf = current.environment?.firmwareHash;
  if (bf && cf && bf !== cf) notes.push(`firmware builds differ: ${bf.slice(0, 12)} vs ${cf.slice(0, 12)}`);
  // Nothing measured means nothing verified: that must not pass a gate.
  const failed = measured === 0 || rows.some((r) => FAILING.has(r.verdict));
  return { rows, notes, failed };
}

/** One line per broken threshold, e.g. "FAIL flash.code: flash code 41,212 B → 246,012 B (+204,800 B, limit <= +1,024 B)". */
export function failureLines(comparison: Comparison): string[] {
  const lines = comparison.rows.filter((r) => FAILING.has(r.verdict)).map((r) => {
    if (r.verdict === 'INCOMPARABLE') return `FAIL ${r.id}: ${r.metric} differs: ${r.baseline} vs ${r.current}${r.change !== 'differs' ? ` (${r.change})` : ''}; pass --allow-incomparable to compare anyway`;
    if (r.verdict === 'MISSING') return `FAIL ${r.id}: ${r.metric} is ${r.baseline === 'missing' ? 'missing from the baseline' : 'missing from the current run'}`;
    return `FAIL ${r.id}: ${r.metric} ${r.baseline} → ${r.current} (${r.change}, limit ${r.limit})`;
  });
  if (!comparison.rows.some((r) => !r.id.startsWith('identity.') && r.id !== 'skipped')) lines.push('FAIL nothing: no metric present in either file, nothing was compared');
  return lines;
}

/** Markdown table, one line per broken threshold, and a verdict line; reads well in a terminal and in a CI comment. */
export function formatComparison(comparison: Comparison, baseline: { file: string; results: Results }, current: { file: string; results: Results }): string {
  const header = ['metric', 'baseline', 'current', 'change', 'limit', 'verdict'];
  const failures = failureLines(comparison);
  const lines = [
    `baseline: ${baseline.file} (${describe(baseline.results)})`,
    `current:  ${current.file} (${describe(current.results)})`,
    ...comparison.notes.map((n) => `note: ${n}`),
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...comparison.rows.map((r) => `| ${[r.metric, r.baseline, r.current, r.change, r.limit, r.verdict].join(' | ')} |`),
    '',
    ...failures,
  ];
  const count = (v: Verdict) => comparison.rows.filter((r) => r.verdict === v).length;
  const problems = [
    [count('REGRESSED'), 'regressed'], [count('MISSING'), 'missing'], [count('INCOMPARABLE'), 'incomparable'],
  ].filter(([n]) => (n as number) > 0).map(([n, what]) => `${n} ${what}`);
  if (problems.length === 0 && comparison.failed) problems.push('nothing was compared');
  const allowed = count('missing (allowed)') + count('differs (allowed)');
  lines.push(comparison.failed ? `FAIL: ${problems.join(', ')}` : `PASS: ${comparison.rows.length} checks within limits${allowed ? ` (${allowed} differences allowed)` : ''}`);
  return `${lines.join('\n')}\n`;
}

/** The machine-readable form (`mcubench compare --json`). */
export function comparisonJson(comparison: Comparison, baseline: { file: string }, current: { file: string }): string {
  return `${JSON.stringify({
    passed: !comparison.failed, baseline: baseline.file, current: current.file, notes: comparison.notes,
    failures: failureLines(comparison), checks: comparison.rows,
  }, null, 2)}\n`;
}
