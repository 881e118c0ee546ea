// Turns the budgets in `thresholds` into pass/fail checks (one JUnit test case each). A budget whose metric
// is missing from the results fails: an unverifiable budget must not look like a kept one.
import { formatBytes, formatInteger, formatMs, formatPercent } from './format';
import { flashTotalBytes, type LatencyStatistic, type Results } from './results';

export interface Check {
  /** Stable identifier, e.g. "accuracy.top1"; JUnit's classname suffix. */
  id: string;
  /** Human title with the limit, e.g. "top-1 accuracy >= 70.00 %". */
  title: string;
  passed: boolean;
  /** The numbers: measured value, limit, and on failure by how much it missed. */
  message: string;
}

function missing(id: string, title: string, what: string): Check {
  return { id, title, passed: false, message: `${what} is missing from the results, so this budget cannot be checked` };
}

function atLeast(id: string, label: string, value: number | undefined, limit: number, what: string): Check {
  const title = `${label} >= ${formatPercent(limit)}`;
  if (value === undefined) return missing(id, title, what);
  const passed = value >= limit;
  const message = passed
    ? `${label} ${formatPercent(value)} meets the threshold ${formatPercent(limit)}`
    : `${label} ${formatPercent(value)} is below the threshold ${formatPercent(limit)} by ${((limit - value) * 100).toFixed(2)} percentage points`;
  return { id, title, passed, message };
}

function atMost(id: string, label: string, value: number | undefined, limit: number, what: string, show: (n: number) => string): Check {
  const title = `${label} <= ${show(limit)}`;
  if (value === undefined) return missing(id, title, what);
  const passed = value <= limit;
  const message = passed
    ? `${label} ${show(value)} is within the budget ${show(limit)}`
    : `${label} ${show(value)} exceeds the budget ${show(limit)} by ${show(value - limit)}`;
  return { id, title, passed, message };
}

function latencyMs(results: Results, stat: LatencyStatistic): number | undefined {
  const latency = results.latency;
  if (!latency) return undefined;
  if (latency.ms) return latency.ms[stat];
  return latency.clockHz ? (latency[stat] / latency.clockHz) * 1000 : undefined;
}

export function evaluateChecks(results: Results): Check[] {
  const t = results.thresholds;
  if (!t) return [];
  const checks: Check[] = [];
  const stat = t.latencyStatistic ?? 'p99';
  if (t.minTop1 !== undefined) checks.push(atLeast('accuracy.top1', 'top-1 accuracy', results.accuracy?.top1, t.minTop1, 'accuracy.top1'));
  if (t.minTop5 !== undefined) checks.push(atLeast('accuracy.top5', 'top-5 accuracy', results.accuracy?.top5, t.minTop5, 'accuracy.top5'));
  if (t.minMap07 !== undefined) checks.push(atLeast('detection.map07', 'mAP (VOC07)', results.detection?.map07, t.minMap07, 'detection.map07'));
  if (t.minMap12 !== undefined) checks.push(atLeast('detection.map12', 'mAP (VOC12)', results.detection?.map12, t.minMap12, 'detection.map12'));
  if (t.minBitExactRate !== undefined) {
    const rate = results.fidelity?.bitExactRate ?? results.agreement;
    checks.push(atLeast('fidelity.bitExactRate', 'bit-exact rate', rate, t.minBitExactRate, 'fidelity.bitExactRate (or agreement)'));
  }
  if (t.maxSramBytes !== undefined) {
    const measured = results.sram?.measuredPeakBytes;
    const label = measured !== undefined ? 'measured peak SRAM' : 'planned peak SRAM';
    const value = measured ?? results.sram?.plannedPeakBytes;
    checks.push(atMost('sram.peak', label, value, t.maxSramBytes, 'sram.measuredPeakBytes (or sram.plannedPeakBytes)', formatBytes));
  }
  if (t.maxFlashBytes !== undefined) {
    const total = results.flash ? flashTotalBytes(results.flash) : undefined;
    checks.push(atMost('flash.total', 'flash (code + model)', total, t.maxFlashBytes, 'flash', formatBytes));
  }
  if (t.maxLatency !== undefined) {
    const unit = results.latency?.unit ?? 'cycles';
    checks.push(atMost(`latency.${stat}`, `latency ${stat}`, results.latency?.[stat], t.maxLatency, `latency.${stat}`,
      (n) => `${formatInteger(n)} ${unit}`));
  }
  if (t.maxLatencyMs !== undefined) {
    checks.push(atMost(`latency.ms.${stat}`, `latency ${stat}`, latencyMs(results, stat), t.maxLatencyMs,
      `latency.ms.${stat} (or latency.clockHz)`, formatMs));
  }
  return checks;
}
