// Confusion summary of a classification run: per true class, how many samples, how many predicted right, and
// what the wrong ones were taken for. Counts only (accuracy proper is in `accuracy`).
import { formatInteger, formatPercent } from './format';
import { compareLabels } from './predictions';
import type { ReportTable } from './report-tables';
import type { Results } from './results';

export interface ClassConfusion { label: string; count: number; correct: number; predicted: Map<string, number>; }

export function confusionByClass(r: Results): ClassConfusion[] {
  const rows = new Map<string, ClassConfusion>();
  for (const s of r.samples) {
    if (s.label === undefined || s.predicted === undefined) continue;
    const label = String(s.label);
    const row = rows.get(label) ?? { label, count: 0, correct: 0, predicted: new Map<string, number>() };
    row.count++;
    if (String(s.predicted) === label) row.correct++;
    row.predicted.set(String(s.predicted), (row.predicted.get(String(s.predicted)) ?? 0) + 1);
    rows.set(label, row);
  }
  return [...rows.values()].sort((a, b) => compareLabels(a.label, b.label));
}

/** Rows listed at most; the note says how many classes were left out (all of them predicted right). */
const MAX_ROWS = 25;

export function confusionTable(r: Results): ReportTable | undefined {
  const rows = confusionByClass(r);
  if (!rows.length) return undefined;
  const name = (label: string): string => label;
  const shown = rows.length <= MAX_ROWS ? rows : rows.filter((c) => c.correct < c.count).slice(0, MAX_ROWS);
  const left = rows.length - shown.length;
  return {
    title: 'Confusion summary (true class → predicted)',
    header: ['true class', 'samples', 'correct', 'recall', 'taken for'],
    rows: shown.map((c) => [name(c.label), formatInteger(c.count), formatInteger(c.correct), formatPercent(c.correct / c.count, 1),
      [...c.predicted.entries()].filter(([p]) => p !== c.label).sort((a, b) => b[1] - a[1] || compareLabels(a[0], b[0])).slice(0, 5).map(([p, n]) => `${p} ×${n}`).join(', ') || '-']),
    note: left > 0 ? `${left} more classes not listed${rows.length > MAX_ROWS ? ' (only classes with errors are shown)' : ''}.` : undefined,
  };
}
