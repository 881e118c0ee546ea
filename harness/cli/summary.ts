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
    parts.push(`top-1 ${pct(r.accuracy.top1)} (${correct}/${r.count})${r.accuracy.top5 !== undefined ? `, top-5 ${pct(r.accuracy.top5)}` : ''}`);
  } else if (r.detection) {
    parts.push(`mAP ${pct(r.detection.map07)} (VOC07 11-point), ${pct(r.detection.map12)} (all-point) over ${Object.keys(r.detection.perClass).length} class${Object.keys(r.detection.perClass).length === 1 ? '' : 'es'}`);
  } else if (outcome.task.kind === 'raw') {
    parts.push(`no accuracy: ${outcome.task.reason}`);
  }
  if (r.fidelity && r.fidelity.reference !== 'host') { // board runs print their host agreement themselves
    const f = r.fidelity;
    parts.push(`bit-exact with ${f.reference ?? 'the reference'}: ${f.samples !== undefined ? `${f.bitExactSamples}/${f.samples}` : pct(f.bitExactRate)}` +
      (f.bitExactRate < 1 ? ` (max abs error ${f.maxAbsError.toPrecision(3)}, RMSE ${f.rmse.toPrecision(3)}, cosine ${f.cosine.toFixed(4)})` : ''));
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
    `, planned arena peak ${s.plannedPeakBytes} B${s.boardBytes ? `, board ${s.boardBytes} B` : ''}${s.inputStreamed ? '; input streamed (not held whole)' : ''}`;
}

/** One line per kind of board when a run spread its samples over different boards. */
export function boardsText(outcome: EvalOutcome): string {
  return (outcome.results.boards ?? []).map((b) => {
    const latency = b.latency ? `, latency mean ${Math.round(b.latency.mean)} ${b.latency.unit}` : '';
    const sram = b.sram?.measuredPeakBytes !== undefined ? `, measured SRAM peak ${b.sram.measuredPeakBytes} B` : '';
    const agreement = b.agreement === undefined ? '' : `, agreement ${(b.agreement * 100).toFixed(1)} %`;
    return `${b.board}: ${b.count} samples on ${b.instances.length} instance${b.instances.length === 1 ? '' : 's'}${agreement}${latency}${sram}\n`;
  }).join('');
}
