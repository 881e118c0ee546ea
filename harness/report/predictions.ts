// Device-vs-host prediction summaries (counts only; metrics proper live in harness/metrics).
import type { ClassLabel, Results } from './results';

export interface PredictionAgreement { compared: number; agree: number; }

/** Samples that carry both a device and a host prediction. */
function pairs(results: Results): { device: ClassLabel; host: ClassLabel }[] {
  return results.samples
    .filter((s) => s.predicted !== undefined && s.hostPredicted !== undefined)
    .map((s) => ({ device: s.predicted as ClassLabel, host: s.hostPredicted as ClassLabel }));
}

export function predictionAgreement(results: Results): PredictionAgreement | undefined {
  const list = pairs(results);
  if (!list.length) return undefined;
  return { compared: list.length, agree: list.filter((p) => String(p.device) === String(p.host)).length };
}

export interface ClassAgreement { hostClass: string; count: number; agree: number; deviceClasses: Map<string, number>; }

/** One row per host-predicted class; `deviceClasses` counts what the device said for those samples. */
export function agreementByClass(results: Results): ClassAgreement[] {
  const rows = new Map<string, ClassAgreement>();
  for (const { device, host } of pairs(results)) {
    const key = String(host);
    const row = rows.get(key) ?? { hostClass: key, count: 0, agree: 0, deviceClasses: new Map<string, number>() };
    row.count += 1;
    if (String(device) === key) row.agree += 1;
    row.deviceClasses.set(String(device), (row.deviceClasses.get(String(device)) ?? 0) + 1);
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) => compareLabels(a.hostClass, b.hostClass));
}

/** Numeric class indices sort as numbers, names alphabetically. */
export function compareLabels(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (Number.isInteger(na) && Number.isInteger(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}
