// Checks a parsed results.json against docs/results.schema.json, then the rules between fields that JSON Schema
// cannot say, and lists every bad field at once so a broken writer is fixed in one round.
import { issueLines, SCHEMA_FILES, schemaCheck, type SchemaIssue } from '../schema/json-schema';
import { ResultsError } from './results-error';
import { LATENCY_STATISTICS, type LatencyStats, type PlanSummary, type Results } from './results';

/**
 * Returns the value typed as Results when it follows the schema; otherwise throws a ResultsError that names
 * `source` (the file) and every offending field.
 */
export function validateResults(value: unknown, source: string): Results {
  const issues = schemaCheck('results')(value);
  // Cross-field rules only make sense on a document whose fields have the right shapes.
  if (issues.length === 0) issues.push(...consistencyIssues(value as Results));
  if (issues.length > 0) {
    throw new ResultsError(`${source}: not a valid mcubench results file (see docs/results.md, ${SCHEMA_FILES.results}):\n${issueLines(issues)}`);
  }
  return value as Results;
}

function consistencyIssues(r: Results): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  if (Number.isNaN(Date.parse(r.createdAt))) issues.push({ field: 'createdAt', message: `${JSON.stringify(r.createdAt)} is not a real date` });
  if (r.count !== r.samples.length) issues.push({ field: 'count', message: `is ${r.count} but "samples" has ${r.samples.length} entries; they must agree` });
  if (r.accuracy && r.accuracy.top5 !== undefined && r.accuracy.top5 < r.accuracy.top1) issues.push({ field: 'accuracy.top5', message: `(${r.accuracy.top5}) must be >= accuracy.top1 (${r.accuracy.top1})` });
  if (r.latency) {
    checkStatsOrder(r.latency, 'latency', issues);
    if (r.latency.ms) checkStatsOrder(r.latency.ms, 'latency.ms', issues);
    const unit = r.latency.unit;
    const other = unit === 'cycles' ? 'instructions' : 'cycles';
    r.samples.forEach((sample, i) => {
      if (sample[unit] === undefined && sample[other] !== undefined) {
        issues.push({ field: `samples[${i}].${other}`, message: `disagrees with latency.unit '${unit}'; per-sample latency must use the same unit` });
      }
    });
  }
  if (r.plan) checkPlanPeaks(r.plan, issues);
  return issues;
}

function checkStatsOrder(s: LatencyStats, field: string, issues: SchemaIssue[]): void {
  if (!(s.min <= s.p50 && s.p50 <= s.p90 && s.p90 <= s.p99 && s.p99 <= s.max && s.min <= s.mean && s.mean <= s.max)) {
    const got = LATENCY_STATISTICS.map((k) => `${k} ${s[k]}`).join(', ');
    issues.push({ field, message: `must satisfy min <= p50 <= p90 <= p99 <= max and min <= mean <= max (got ${got})` });
  }
}

function checkPlanPeaks(plan: PlanSummary, issues: SchemaIssue[]): void {
  for (const [name, schedule] of [['layerBased', plan.layerBased], ['patchBased', plan.patchBased]] as const) {
    if (!schedule) continue;
    const largest = Math.max(0, ...schedule.ops.map((op) => op.liveBytes));
    if (schedule.peakBytes < largest) {
      issues.push({ field: `plan.${name}.peakBytes`, message: `is ${schedule.peakBytes} but an op has ${largest} live bytes; the peak cannot be lower` });
    }
  }
}
