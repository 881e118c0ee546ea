// Checks a parsed results.json against the schema in docs/results.md and lists every bad field at once,
// so a broken writer is fixed in one round instead of one error per run.
import { ResultsError } from './results-error';
import type { Results } from './results';

type Json = Record<string, unknown>;

const SHA256_HEX = /^[0-9a-f]{64}$/;
const STAT_KEYS = ['mean', 'p50', 'p90', 'p99', 'min', 'max'] as const;
const MAX_LISTED_ERRORS = 25;

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Collects schema violations with the dotted path of the field. */
class FieldChecker {
  readonly errors: string[] = [];

  fail(path: string, expected: string, got: unknown): void {
    this.errors.push(got === undefined ? `field "${path}" is missing; it must be ${expected}` : `field "${path}" must be ${expected} (got ${describe(got)})`);
  }

  object(value: unknown, path: string): Json | undefined {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Json;
    this.fail(path, 'an object', value);
    return undefined;
  }

  array(value: unknown, path: string): unknown[] | undefined {
    if (Array.isArray(value)) return value;
    this.fail(path, 'an array', value);
    return undefined;
  }

  string(value: unknown, path: string): void {
    if (typeof value !== 'string' || value.length === 0) this.fail(path, 'a non-empty string', value);
  }

  number(value: unknown, path: string, expected: string, ok: (n: number) => boolean): value is number {
    if (typeof value === 'number' && Number.isFinite(value) && ok(value)) return true;
    this.fail(path, expected, value);
    return false;
  }

  fraction(value: unknown, path: string): boolean {
    return this.number(value, path, 'a fraction between 0 and 1', (n) => n >= 0 && n <= 1);
  }

  bytes(value: unknown, path: string): boolean {
    return this.number(value, path, 'a whole number of bytes >= 0', (n) => Number.isInteger(n) && n >= 0);
  }

  count(value: unknown, path: string): boolean {
    return this.number(value, path, 'a whole number >= 0', (n) => Number.isInteger(n) && n >= 0);
  }

  nonNegative(value: unknown, path: string): boolean {
    return this.number(value, path, 'a number >= 0', (n) => n >= 0);
  }

  positive(value: unknown, path: string): boolean {
    return this.number(value, path, 'a number > 0', (n) => n > 0);
  }

  oneOf(value: unknown, path: string, allowed: readonly string[]): void {
    if (!allowed.includes(value as string)) this.fail(path, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value);
  }

  label(value: unknown, path: string): void {
    const ok = (typeof value === 'string' && value.length > 0) || (typeof value === 'number' && Number.isInteger(value) && value >= 0);
    if (!ok) this.fail(path, 'a class name or a class index >= 0', value);
  }

  /** Runs `check` on the field only when it is present. */
  optional(parent: Json, key: string, path: string, check: (value: unknown, path: string) => unknown): void {
    if (parent[key] !== undefined) check(parent[key], path ? `${path}.${key}` : key);
  }
}

function checkStats(c: FieldChecker, value: unknown, path: string): void {
  const stats = c.object(value, path);
  if (!stats) return;
  const ok = STAT_KEYS.every((k) => c.nonNegative(stats[k], `${path}.${k}`));
  if (!ok) return;
  const s = stats as Record<(typeof STAT_KEYS)[number], number>;
  if (!(s.min <= s.p50 && s.p50 <= s.p90 && s.p90 <= s.p99 && s.p99 <= s.max && s.min <= s.mean && s.mean <= s.max)) {
    c.errors.push(`field "${path}" must satisfy min <= p50 <= p90 <= p99 <= max and min <= mean <= max (got ${describe(stats)})`);
  }
}

function checkSchedule(c: FieldChecker, value: unknown): void {
  const schedule = c.object(value, 'schedule');
  if (!schedule) return;
  c.oneOf(schedule.kind, 'schedule.kind', ['layer', 'patch']);
  if (schedule.kind === 'patch') {
    c.count(schedule.split, 'schedule.split');
    c.positive(schedule.patches, 'schedule.patches');
  } else {
    c.optional(schedule, 'split', 'schedule', (v, p) => c.count(v, p));
    c.optional(schedule, 'patches', 'schedule', (v, p) => c.positive(v, p));
  }
}

function checkSamples(c: FieldChecker, value: unknown, count: unknown, latencyUnit: unknown): void {
  const samples = c.array(value, 'samples');
  if (!samples) return;
  if (typeof count === 'number' && count !== samples.length) {
    c.errors.push(`field "count" is ${count} but "samples" has ${samples.length} entries; they must agree`);
  }
  samples.forEach((entry, i) => {
    const path = `samples[${i}]`;
    const sample = c.object(entry, path);
    if (!sample) return;
    c.string(sample.name, `${path}.name`);
    if (typeof sample.outputSha256 !== 'string' || !SHA256_HEX.test(sample.outputSha256)) {
      c.fail(`${path}.outputSha256`, '64 lower-case hex digits', sample.outputSha256);
    }
    c.optional(sample, 'matchesHost', path, (v, p) => typeof v === 'boolean' || c.fail(p, 'true or false', v));
    c.optional(sample, 'cycles', path, (v, p) => c.count(v, p));
    c.optional(sample, 'instructions', path, (v, p) => c.count(v, p));
    for (const key of ['label', 'predicted', 'hostPredicted']) c.optional(sample, key, path, (v, p) => c.label(v, p));
    const other = latencyUnit === 'cycles' ? 'instructions' : 'cycles';
    if ((latencyUnit === 'cycles' || latencyUnit === 'instructions') && sample[latencyUnit] === undefined && sample[other] !== undefined) {
      c.errors.push(`field "${path}.${other}" disagrees with latency.unit '${latencyUnit}'; per-sample latency must use the same unit`);
    }
  });
}

function checkPlan(c: FieldChecker, value: unknown, path: string, patch: boolean): void {
  const plan = c.object(value, path);
  if (!plan) return;
  c.bytes(plan.peakBytes, `${path}.peakBytes`);
  if (patch) {
    c.count(plan.split, `${path}.split`);
    c.positive(plan.patches, `${path}.patches`);
  }
  const ops = c.array(plan.ops, `${path}.ops`);
  if (!ops) return;
  let largest = 0;
  ops.forEach((entry, i) => {
    const op = c.object(entry, `${path}.ops[${i}]`);
    if (!op) return;
    c.count(op.index, `${path}.ops[${i}].index`);
    c.string(op.type, `${path}.ops[${i}].type`);
    if (c.bytes(op.liveBytes, `${path}.ops[${i}].liveBytes`)) largest = Math.max(largest, op.liveBytes as number);
  });
  if (typeof plan.peakBytes === 'number' && plan.peakBytes < largest) {
    c.errors.push(`field "${path}.peakBytes" is ${plan.peakBytes} but an op has ${largest} live bytes; the peak cannot be lower`);
  }
}

function checkThresholds(c: FieldChecker, value: unknown): void {
  const t = c.object(value, 'thresholds');
  if (!t) return;
  for (const key of ['minTop1', 'minTop5', 'minMap07', 'minMap12', 'minBitExactRate']) c.optional(t, key, 'thresholds', (v, p) => c.fraction(v, p));
  for (const key of ['maxSramBytes', 'maxFlashBytes']) c.optional(t, key, 'thresholds', (v, p) => c.bytes(v, p));
  for (const key of ['maxLatency', 'maxLatencyMs']) c.optional(t, key, 'thresholds', (v, p) => c.positive(v, p));
  c.optional(t, 'latencyStatistic', 'thresholds', (v, p) => c.oneOf(v, p, STAT_KEYS));
}

function checkSections(c: FieldChecker, r: Json): void {
  c.optional(r, 'accuracy', '', (v, p) => {
    const a = c.object(v, p);
    if (a && c.fraction(a.top1, 'accuracy.top1') && a.top5 !== undefined && c.fraction(a.top5, 'accuracy.top5') && (a.top5 as number) < (a.top1 as number)) {
      c.errors.push(`field "accuracy.top5" (${a.top5}) must be >= accuracy.top1 (${a.top1})`);
    }
  });
  c.optional(r, 'detection', '', (v, p) => {
    const d = c.object(v, p);
    if (!d) return;
    c.fraction(d.map07, 'detection.map07');
    c.fraction(d.map12, 'detection.map12');
    const perClass = c.object(d.perClass, 'detection.perClass');
    if (perClass) for (const [name, ap] of Object.entries(perClass)) c.fraction(ap, `detection.perClass.${name}`);
  });
  c.optional(r, 'agreement', '', (v, p) => c.fraction(v, p));
  c.optional(r, 'fidelity', '', (v, p) => {
    const f = c.object(v, p);
    if (!f) return;
    c.fraction(f.bitExactRate, 'fidelity.bitExactRate');
    for (const key of ['maxAbsError', 'rmse', 'l2Relative']) c.nonNegative(f[key], `fidelity.${key}`);
    c.number(f.cosine, 'fidelity.cosine', 'a number between -1 and 1', (n) => n >= -1 && n <= 1);
  });
  c.optional(r, 'sram', '', (v, p) => {
    const s = c.object(v, p);
    if (!s) return;
    c.bytes(s.plannedPeakBytes, 'sram.plannedPeakBytes');
    for (const key of ['staticBytes', 'stackPeakBytes', 'arenaPeakBytes', 'measuredPeakBytes', 'boardBytes']) {
      c.optional(s, key, 'sram', (bv, bp) => c.bytes(bv, bp));
    }
  });
  c.optional(r, 'flash', '', (v, p) => {
    const f = c.object(v, p);
    if (!f) return;
    c.bytes(f.codeBytes, 'flash.codeBytes');
    c.bytes(f.modelBytes, 'flash.modelBytes');
    c.optional(f, 'boardBytes', 'flash', (bv, bp) => c.bytes(bv, bp));
  });
  c.optional(r, 'latency', '', (v, p) => {
    const l = c.object(v, p);
    if (!l) return;
    c.oneOf(l.unit, 'latency.unit', ['cycles', 'instructions']);
    checkStats(c, l, 'latency');
    c.optional(l, 'clockHz', 'latency', (cv, cp) => c.positive(cv, cp));
    c.optional(l, 'ms', 'latency', (mv, mp) => checkStats(c, mv, mp));
  });
  c.optional(r, 'plan', '', (v, p) => {
    const plan = c.object(v, p);
    if (!plan) return;
    checkPlan(c, plan.layerBased, 'plan.layerBased', false);
    c.optional(plan, 'patchBased', 'plan', (pv, pp) => checkPlan(c, pv, pp, true));
  });
  c.optional(r, 'thresholds', '', (v) => checkThresholds(c, v));
}

/**
 * Returns the value typed as Results when it follows the schema; otherwise throws a ResultsError that names
 * `source` (the file) and every offending field.
 */
export function validateResults(value: unknown, source: string): Results {
  const c = new FieldChecker();
  const r = c.object(value, '(top level)');
  if (r) {
    c.string(r.model, 'model');
    c.optional(r, 'board', '', (v, p) => c.string(v, p));
    c.optional(r, 'dataset', '', (v, p) => c.string(v, p));
    checkSchedule(c, r.schedule);
    c.count(r.count, 'count');
    const skipped = c.array(r.skipped, 'skipped');
    skipped?.forEach((entry, i) => {
      const s = c.object(entry, `skipped[${i}]`);
      if (s) { c.string(s.file, `skipped[${i}].file`); c.string(s.reason, `skipped[${i}].reason`); }
    });
    const latency = r.latency as Json | undefined;
    checkSamples(c, r.samples, r.count, typeof latency === 'object' && latency !== null ? latency.unit : undefined);
    checkSections(c, r);
    if (typeof r.createdAt !== 'string' || Number.isNaN(Date.parse(r.createdAt))) c.fail('createdAt', 'an ISO 8601 date-time string', r.createdAt);
    const tool = c.object(r.tool, 'tool');
    if (tool) { c.string(tool.name, 'tool.name'); c.string(tool.version, 'tool.version'); }
  }
  if (c.errors.length > 0) {
    const listed = c.errors.slice(0, MAX_LISTED_ERRORS).map((e) => `  - ${e}`);
    if (c.errors.length > MAX_LISTED_ERRORS) listed.push(`  - ... and ${c.errors.length - MAX_LISTED_ERRORS} more`);
    throw new ResultsError(`${source}: not a valid mcubench results file (see docs/results.md):\n${listed.join('\n')}`);
  }
  return value as Results;
}
