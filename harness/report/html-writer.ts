// One self-contained HTML page: tables plus inline SVG charts drawn by our own code (no scripts, no external
// assets). Every string from the results passes through escapeHtml.
import { formatInteger, formatMs } from './format';
import { escapeHtml } from './html/escape';
import { renderLatencyHistogram } from './html/latency-histogram';
import { memoryScale, renderMemoryChart } from './html/memory-chart';
import { htmlPage } from './html/page-style';
import { renderOpLatencyBars } from './html/op-latency-bars';
import { renderOpLatencyChart } from './html/op-latency-chart';
import { renderPredictionTable } from './html/prediction-table';
import { confusionTable } from './confusion';
import {
  accuracyTables, checksTable, describeSchedule, environmentTable, fidelityTable, flashTable, latencyTable, mismatchTable, opLatencyTable,
  type ReportTable, skippedTable, sramTable, summaryTable,
} from './report-tables';
import { sampleLatencies, type Results } from './results';

const MAX_LISTED_MISMATCHES = 50;

function renderTable(t: ReportTable | undefined, id?: string): string {
  if (!t) return '';
  const alert = new Set(t.alertRows ?? []);
  const head = t.header.some((h) => h !== '') ? `<thead><tr>${t.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>` : '';
  const body = t.rows.map((r, i) => `<tr${alert.has(i) ? ' class="alert"' : ''}>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('');
  return `<h2${id ? ` id="${id}"` : ''}>${escapeHtml(t.title)}</h2><table>${head}<tbody>${body}</tbody></table>${t.note ? `<p>${escapeHtml(t.note)}</p>` : ''}`;
}

function memorySection(r: Results): string {
  const plan = r.plan;
  if (!plan) return '';
  const board = r.sram?.boardBytes;
  const measured = r.sram?.measuredPeakBytes;
  const scale = memoryScale([plan.layerBased.peakBytes, plan.patchBased?.peakBytes ?? 0, plan.streamBased?.peakBytes ?? 0, measured ?? 0], board);
  const ran = (kind: 'layer' | 'patch' | 'stream'): number | undefined => (r.schedule.kind === kind ? measured : undefined);
  const charts = [renderMemoryChart({
    schedule: 'layer', title: `Layer-based schedule${r.schedule.kind === 'layer' && r.board ? ' (ran)' : ''}`, ops: plan.layerBased.ops, peakBytes: plan.layerBased.peakBytes, scaleBytes: scale, boardBytes: board,
    measuredBytes: ran('layer'),
  })];
  if (plan.patchBased) {
    const p = plan.patchBased;
    charts.push(renderMemoryChart({
      schedule: 'patch', title: `Patch-based schedule (${p.patches}×${p.patches} patches, split before op ${p.split})`, ops: p.ops,
      peakBytes: p.peakBytes, scaleBytes: scale, boardBytes: board, split: p.split, measuredBytes: ran('patch'),
    }));
  }
  if (plan.streamBased) {
    const st = plan.streamBased;
    charts.push(renderMemoryChart({
      schedule: 'stream', title: `Row-streamed schedule (split before op ${st.split})`, ops: st.ops,
      peakBytes: st.peakBytes, scaleBytes: scale, boardBytes: board, split: st.split, measuredBytes: ran('stream'),
    }));
  }
  // The run's per-operator latency goes under the memory chart of the schedule that ran, on the same x positions.
  const order: ('layer' | 'patch' | 'stream')[] = ['layer', ...(plan.patchBased ? ['patch' as const] : []), ...(plan.streamBased ? ['stream' as const] : [])];
  const latency = runLatencyBars(r);
  const columns = charts.map((chart, i) => (latency && order[i] === r.schedule.kind ? `<div class="chart-column">${chart}${latency}</div>` : chart));
  const legend = ['<span style="background:#4e79a7"></span>per-layer op',
    plan.patchBased ? `<span style="background:#f28e2b"></span>patch stage (memory per patch${latency && r.schedule.kind === 'patch' ? ', latency summed over every patch' : ''})` : '',
    `<span style="background:#d62728"></span>peak (planned arena)${latency ? ', slowest operator' : ''}`,
    measured !== undefined ? '<span style="background:#2ca02c;height:2px"></span>measured total (static + stack + arena), schedule that ran' : '',
    board !== undefined ? '<span style="border-top:2px dashed #1d2430;height:0"></span>board SRAM' : ''];
  return `<h2 id="memory">${latency ? 'Memory and latency per operator' : 'Memory per operator'}</h2><div class="charts">${columns.join('')}</div><p class="legend">${legend.join('')}</p>`;
}

/** The run's mean latency per operator as bars, when it has them (board runs). */
function runLatencyBars(r: Results): string | undefined {
  if (!r.latency || !(r.ops ?? []).some((o) => o.latency !== undefined)) return undefined;
  return renderOpLatencyBars({
    title: `Latency per operator, ${r.schedule.kind} schedule (ran; mean over samples)`, ops: r.ops!, schedule: r.schedule,
    unit: r.latency.unit, clockHz: r.latency.clockHz,
  });
}

/**
 * Whether per-sample latency varies enough for a histogram to say something. Board cycle counts vary for real
 * (caches, flash wait states, interrupts) whenever they differ; QEMU's -icount instruction counts are
 * deterministic up to a few tens of instructions, so they count as varying only beyond 1 % of the median.
 */
export function latenciesVary(values: readonly number[], unit: string): boolean {
  if (values.length < 2) return false;
  const sorted = [...values].sort((a, b) => a - b);
  const spread = sorted[sorted.length - 1] - sorted[0];
  return unit === 'cycles' ? spread > 0 : spread > 0.01 * sorted[Math.floor(sorted.length / 2)];
}

function latencySection(r: Results): string {
  const l = r.latency;
  const values = sampleLatencies(r);
  if (!l && !values.length) return '';
  const unit = l?.unit ?? (r.samples.some((s) => s.cycles !== undefined) ? 'cycles' : 'instructions');
  const markers = l
    ? (['p50', 'p99'] as const).map((stat) => ({ label: `${stat} ${l.ms ? formatMs(l.ms[stat]) : `${formatInteger(l[stat])} ${unit}`}`, value: l[stat] }))
    : [];
  const vary = latenciesVary(values, unit);
  const chart = vary ? renderLatencyHistogram({ values, unit, clockHz: l?.clockHz, markers }) : values.length > 1
    ? `<p class="latency-steady">All ${values.length} samples within ${formatInteger(Math.max(...values) - Math.min(...values))} ${unit} of each other ${unit === 'instructions' ? ' (under 1 % of the median: QEMU counts are deterministic up to tens of instructions)' : ''}; no histogram.</p>` : '';
  // With a plan the per-operator chart stands under the memory chart (memorySection); without one, here.
  const ops = (r.ops ?? []).some((o) => o.latency !== undefined) && l && !r.plan
    ? renderOpLatencyChart([{ label: `${describeSchedule(r)} (this run)`, ops: r.ops!, unit, schedule: r.schedule }], 'Latency per operator (mean over samples)') : '';
  return `${renderTable(latencyTable(r), 'latency')}${chart}${ops}${renderTable(opLatencyTable(r), 'op-latency')}`;
}

function accuracySection(r: Results): string {
  const tables = [...accuracyTables(r), confusionTable(r)].map((t) => renderTable(t)).join('');
  const predictions = renderPredictionTable(r);
  return `${tables}${predictions ? `<h2 id="predictions">Device vs host, per class</h2>${predictions}` : ''}`;
}

function mismatchSection(r: Results): string {
  const mismatched = r.samples.filter((s) => s.matchesHost === false);
  if (!mismatched.length) return '';
  const listed = mismatched.slice(0, MAX_LISTED_MISMATCHES).map((s) => `<li><code>${escapeHtml(s.name)}</code> output ${escapeHtml(s.outputSha256.slice(0, 16))}…</li>`);
  const more = mismatched.length > MAX_LISTED_MISMATCHES ? `<li>… and ${mismatched.length - MAX_LISTED_MISMATCHES} more</li>` : '';
  return `<h2 id="mismatches">Samples whose output differs from the host (${mismatched.length})</h2><ul class="mismatches">${listed.join('')}${more}</ul>`;
}

export function writeHtmlReport(results: Results): string {
  const title = `mcubench results: ${results.model}${results.board ? ` on ${results.board}` : ''}`;
  const subtitle = [describeSchedule(results), results.dataset, results.createdAt].filter(Boolean).join(' · ');
  const body = [
    `<h1>${escapeHtml(title)}</h1><p class="subtitle">${escapeHtml(subtitle)}</p>`,
    '<p class="units">Sizes in bytes and KiB (1 KiB = 1024 B) throughout; latency in the run\'s unit (cycles on boards, instructions under QEMU) and in ms where the core clock is known.</p>',
    renderTable(summaryTable(results), 'summary'),
    renderTable(checksTable(results), 'checks'),
    memorySection(results),
    renderTable(sramTable(results), 'sram'),
    renderTable(flashTable(results), 'flash'),
    latencySection(results),
    accuracySection(results),
    renderTable(fidelityTable(results), 'fidelity'),
    renderTable(mismatchTable(results), 'fidelity-samples'),
    mismatchSection(results),
    renderTable(environmentTable(results), 'environment'),
    renderTable(skippedTable(results), 'skipped'),
  ].filter(Boolean).join('\n');
  return htmlPage(escapeHtml(title), body);
}
