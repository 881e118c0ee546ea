// One self-contained HTML page: tables plus inline SVG charts drawn by our own code (no scripts, no external
// assets). Every string from the results passes through escapeHtml.
import { formatInteger, formatMs } from './format';
import { escapeHtml } from './html/escape';
import { renderLatencyHistogram } from './html/latency-histogram';
import { memoryScale, renderMemoryChart } from './html/memory-chart';
import { PAGE_STYLE } from './html/page-style';
import { renderPredictionTable } from './html/prediction-table';
import {
  accuracyTables, checksTable, describeSchedule, fidelityTable, flashTable, latencyTable, type ReportTable, skippedTable, sramTable, summaryTable,
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
  const scale = memoryScale([plan.layerBased.peakBytes, plan.patchBased?.peakBytes ?? 0], board);
  const charts = [renderMemoryChart({
    schedule: 'layer', title: 'Layer-based schedule', ops: plan.layerBased.ops, peakBytes: plan.layerBased.peakBytes, scaleBytes: scale, boardBytes: board,
  })];
  if (plan.patchBased) {
    const p = plan.patchBased;
    charts.push(renderMemoryChart({
      schedule: 'patch', title: `Patch-based schedule (${p.patches}×${p.patches} patches, split before op ${p.split})`, ops: p.ops,
      peakBytes: p.peakBytes, scaleBytes: scale, boardBytes: board, split: p.split,
    }));
  }
  const legend = ['<span style="background:#4e79a7"></span>per-layer op',
    plan.patchBased ? '<span style="background:#f28e2b"></span>patch stage (per patch)' : '',
    '<span style="background:#d62728"></span>peak',
    board !== undefined ? '<span style="border-top:2px dashed #1d2430;height:0"></span>board SRAM' : ''];
  return `<h2 id="memory">Memory per operator</h2><div class="charts">${charts.join('')}</div><p class="legend">${legend.join('')}</p>`;
}

function latencySection(r: Results): string {
  const l = r.latency;
  const values = sampleLatencies(r);
  if (!l && !values.length) return '';
  const unit = l?.unit ?? (r.samples.some((s) => s.cycles !== undefined) ? 'cycles' : 'instructions');
  const markers = l
    ? (['p50', 'p99'] as const).map((stat) => ({ label: `${stat} ${l.ms ? formatMs(l.ms[stat]) : `${formatInteger(l[stat])} ${unit}`}`, value: l[stat] }))
    : [];
  const chart = values.length ? renderLatencyHistogram({ values, unit, clockHz: l?.clockHz, markers }) : '';
  return `${renderTable(latencyTable(r), 'latency')}${chart}`;
}

function accuracySection(r: Results): string {
  const tables = accuracyTables(r).map((t) => renderTable(t)).join('');
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
    renderTable(summaryTable(results), 'summary'),
    renderTable(checksTable(results), 'checks'),
    memorySection(results),
    renderTable(sramTable(results), 'sram'),
    renderTable(flashTable(results), 'flash'),
    latencySection(results),
    accuracySection(results),
    renderTable(fidelityTable(results), 'fidelity'),
    mismatchSection(results),
    renderTable(skippedTable(results), 'skipped'),
  ].filter(Boolean).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}
