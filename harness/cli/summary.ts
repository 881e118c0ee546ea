// The lines printed after an evaluation or a board run: the one-paragraph summary and the SRAM line.
import type { Results } from '../report/results';
import type { EvalOutcome } from '../run/pipeline';

const pct = (f: number): string => `${(f * 100).toFixed(1)} %`;

/** The one-paragraph summary printed after a run. */
export function summaryText(outcome: EvalOutcome): string {
  const r: Results = outcome.results;
  const parts = [`${r.model} on ${r.dataset} (${r.board ?? 'host'}, ${r.schedule.kind} schedule): ${r.count} samples evaluated`];
  if (outcome.resumed > 0) parts[0] += ` (${outcome.resumed} from the earlier session)`;
  if (r.accuracy) {
    const correct = r.samples.filter((s) => s.label !== undefined && s.label === s.predicted).length;
    parts.push(`top-1 ${pct(r.accuracy.top1)} (${correct}/${r.count}), top-5 ${pct(r.accuracy.top5)}`);
  } else if (r.detection) {
    parts.push(`mAP ${pct(r.detection.map07)} (VOC07 11-point), ${pct(r.detection.map12)} (all-point) over ${Object.keys(r.detection.perClass).length} class${Object.keys(r.detection.perClass).length === 1 ? '' : 'es'}`);
  } else if (outcome.task.kind === 'raw') {
    parts.push(`no accuracy: ${outcome.task.reason}`);
  }
  parts.push(`${r.skipped.length} skipped${r.skipped.length ? ` (first: ${r.skipped[0].file}: ${r.skipped[0].reason})` : ''}`);
  if (outcome.meanHostMs !== undefined) parts.push(`host ${outcome.meanHostMs.toFixed(1)} ms per inference`);
  return `${parts.join('; ')}.`;
}

/** The SRAM line printed after a board run. */
export function sramText(outcome: EvalOutcome): string {
  const s = outcome.results.sram;
  if (!s || s.measuredPeakBytes === undefined) return '';
  return `SRAM: measured peak ${s.measuredPeakBytes} B (static ${s.staticBytes} + stack ${s.stackPeakBytes} + arena ${s.arenaPeakBytes})` +
    `, planned arena peak ${s.plannedPeakBytes} B${s.boardBytes ? `, board ${s.boardBytes} B` : ''}`;
}
