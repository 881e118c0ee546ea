// The suite summary in four formats: Markdown (a CI comment), a self-contained HTML page (table, memory and
// per-operator latency charts per model and board, layer vs patch side by side), JUnit (one test suite per cell,
// one test case per check) and JSON (summary.json, which `mcubench report <suite dir>` reads back).
import * as fs from 'fs';
import * as path from 'path';
import { formatBytes, formatInteger, formatMs, formatPercent } from '../report/format';
import { escapeHtml } from '../report/html/escape';
import { memoryScale, renderMemoryChart } from '../report/html/memory-chart';
import { renderOpLatencyChart, type OpSeries } from '../report/html/op-latency-chart';
import { htmlPage } from '../report/html/page-style';
import { buildJunit, junitCase } from '../report/junit-writer';
import type { Results } from '../report/results';
import { SUMMARY_FILE, cellResults, type CellSummary, type SuiteSummary } from './suite-summary';

interface Row { cell: CellSummary; results?: Results; }

const HEADER = ['model', 'dataset', 'board', 'schedule', 'samples', 'accuracy', 'bit-exact', 'latency p50', 'SRAM measured', 'flash', 'verdict'];

function accuracyText(r: Results): string {
  if (r.accuracy) return `top-1 ${formatPercent(r.accuracy.top1, 1)}`;
  if (r.detection) return `mAP07 ${formatPercent(r.detection.map07, 1)}`;
  return '-';
}

function latencyText(r: Results): string {
  const l = r.latency;
  if (!l) return '-';
  return l.ms ? formatMs(l.ms.p50) : `${formatInteger(l.p50)} ${l.unit}`;
}

function cells(row: Row): string[] {
  const { cell, results: r } = row;
  const verdict = cell.status === 'passed' ? 'pass' : cell.status === 'error' ? 'ERROR' : 'FAIL';
  if (!r) return [cell.model, cell.dataset, cell.board, cell.schedule, '-', '-', '-', '-', '-', '-', verdict];
  const rate = r.fidelity?.bitExactRate ?? r.agreement;
  return [cell.model, cell.dataset, cell.board, cell.schedule, formatInteger(r.count), accuracyText(r), rate === undefined ? '-' : formatPercent(rate, 1),
    latencyText(r), r.sram?.measuredPeakBytes !== undefined ? formatBytes(r.sram.measuredPeakBytes) : '-',
    r.flash ? formatBytes(r.flash.codeBytes + r.flash.modelBytes) : '-', verdict];
}

function failureLines(summary: SuiteSummary): string[] {
  return summary.cells.flatMap((c) => c.checks.filter((k) => !k.passed).map((k) => `FAIL ${c.id} ${k.id}: ${k.message}`));
}

function rows(summary: SuiteSummary, suiteDir: string): Row[] {
  const results = cellResults(summary, suiteDir);
  return summary.cells.map((cell) => ({ cell, results: results.get(cell.id) }));
}

const verdictLine = (s: SuiteSummary): string => {
  const n = (st: CellSummary['status']) => s.cells.filter((c) => c.status === st).length;
  return `${s.passed ? 'PASS' : 'FAIL'}: ${n('passed')} of ${s.cells.length} cells passed${n('failed') ? `, ${n('failed')} failed` : ''}${n('error') ? `, ${n('error')} did not run` : ''}`;
};

export function writeSuiteMarkdown(summary: SuiteSummary, suiteDir: string): string {
  const cell = (t: string) => t.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
  const lines = [
    `# mcubench suite: ${cell(summary.name)}`, '',
    `${summary.file ? `Suite file ${summary.file}. ` : ''}${summary.baseline ? `Compared with the baseline ${summary.baseline}. ` : 'No baseline. '}Sizes in bytes and KiB (1 KiB = 1024 B).`, '',
    `| ${HEADER.join(' | ')} |`, `|${HEADER.map(() => '---').join('|')}|`,
    ...rows(summary, suiteDir).map((r) => `| ${cells(r).map(cell).join(' | ')} |`), '',
    ...failureLines(summary).map(cell), '', verdictLine(summary),
  ];
  return `${lines.join('\n')}\n`;
}

/** Cells of one model on one dataset and board, the schedules side by side. */
function groups(list: Row[]): Row[][] {
  const by = new Map<string, Row[]>();
  for (const r of list) {
    if (!r.results) continue;
    const key = `${r.cell.model} · ${r.cell.dataset} · ${r.cell.board}`;
    by.set(key, [...(by.get(key) ?? []), r]);
  }
  return [...by.values()];
}

function groupCharts(group: Row[]): string {
  const { cell } = group[0];
  const withPlan = group.find((r) => r.results!.plan)?.results;
  const parts: string[] = [`<h3>${escapeHtml(`${cell.model} on ${cell.board} (${cell.dataset})`)}</h3>`];
  if (withPlan?.plan) {
    const ran = (kind: string): Results | undefined => group.find((r) => r.results!.schedule.kind === kind)?.results;
    const layer = ran('layer');
    const patchPlan = ran('patch')?.plan?.patchBased ?? withPlan.plan.patchBased;
    const streamPlan = ran('stream')?.plan?.streamBased ?? (ran('stream') ? withPlan.plan.streamBased : undefined);
    const board = withPlan.sram?.boardBytes;
    const measured = group.map((r) => r.results!.sram?.measuredPeakBytes ?? 0);
    const scale = memoryScale([withPlan.plan.layerBased.peakBytes, patchPlan?.peakBytes ?? 0, streamPlan?.peakBytes ?? 0, ...measured], board);
    const charts = [renderMemoryChart({
      schedule: 'layer', title: 'Layer-based: planned per operator, measured total', ops: withPlan.plan.layerBased.ops, peakBytes: withPlan.plan.layerBased.peakBytes,
      scaleBytes: scale, boardBytes: board, measuredBytes: layer?.sram?.measuredPeakBytes,
    })];
    if (patchPlan) {
      charts.push(renderMemoryChart({
        schedule: 'patch', title: `Patch-based ${patchPlan.patches}×${patchPlan.patches}, split ${patchPlan.split}`, ops: patchPlan.ops, peakBytes: patchPlan.peakBytes,
        scaleBytes: scale, boardBytes: board, split: patchPlan.split, measuredBytes: ran('patch')?.sram?.measuredPeakBytes,
      }));
    }
    if (streamPlan) {
      charts.push(renderMemoryChart({
        schedule: 'stream', title: `Row-streamed, split ${streamPlan.split}`, ops: streamPlan.ops, peakBytes: streamPlan.peakBytes,
        scaleBytes: scale, boardBytes: board, split: streamPlan.split, measuredBytes: ran('stream')?.sram?.measuredPeakBytes,
      }));
    }
    parts.push(`<div class="charts">${charts.join('')}</div>`);
  }
  const series: OpSeries[] = group.filter((r) => r.results!.ops?.some((o) => o.latency !== undefined) && r.results!.latency)
    .map((r) => ({ label: r.cell.schedule, ops: r.results!.ops!, unit: r.results!.latency!.unit, schedule: r.results!.schedule }));
  if (series.length && series.every((s) => s.unit === series[0].unit)) {
    parts.push(renderOpLatencyChart(series, `Latency per operator (${series.map((s) => s.label).join(' vs ')})`));
  }
  return parts.join('');
}

export function writeSuiteHtml(summary: SuiteSummary, suiteDir: string): string {
  const list = rows(summary, suiteDir);
  const title = `mcubench suite: ${summary.name}`;
  const table = `<table class="suite"><thead><tr>${HEADER.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${
    list.map((r) => `<tr${r.cell.status === 'passed' ? '' : ' class="alert"'}>${cells(r).map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
  const failures = failureLines(summary);
  const body = [
    `<h1>${escapeHtml(title)}</h1><p class="subtitle">${escapeHtml([summary.file, summary.createdAt, summary.baseline ? `baseline ${summary.baseline}` : 'no baseline'].filter(Boolean).join(' · '))}</p>`,
    '<p class="units">Sizes in bytes and KiB (1 KiB = 1024 B); latency in ms where the core clock is known, else in the run\'s unit (instructions under QEMU).</p>',
    `<h2 id="verdict">${escapeHtml(verdictLine(summary))}</h2>`,
    failures.length ? `<ul class="failures">${failures.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>` : '',
    `<h2 id="cells">Cells</h2>${table}`,
    `<h2 id="charts">Memory and latency per model and board</h2>`,
    '<p class="legend"><span style="background:#4e79a7"></span>per-layer op <span style="background:#f28e2b"></span>patch stage / patch schedule <span style="background:#d62728"></span>planned peak <span style="background:#2ca02c;height:2px"></span>measured total <span style="border-top:2px dashed #1d2430;height:0"></span>board SRAM</p>',
    ...groups(list).map(groupCharts),
  ].filter(Boolean).join('\n');
  return htmlPage(escapeHtml(title), body);
}

/** One <testsuite> per cell, one <testcase> per check (the run itself, budgets, fidelity, baseline rows). */
export function writeSuiteJunit(summary: SuiteSummary): string {
  let tests = 0;
  let failures = 0;
  const suites = summary.cells.map((c) => {
    const failed = c.checks.filter((k) => !k.passed).length;
    tests += c.checks.length;
    failures += failed;
    return {
      '@_name': c.id, '@_tests': String(c.checks.length), '@_failures': String(failed), '@_errors': '0', '@_skipped': '0', '@_time': String(c.seconds ?? 0),
      '@_timestamp': summary.createdAt,
      properties: { property: [['model', c.model], ['dataset', c.dataset], ['board', c.board], ['schedule', c.schedule], ['results', c.dir]].map(([name, value]) => ({ '@_name': name, '@_value': value })) },
      testcase: c.checks.map((k) => junitCase({ name: k.title, classname: `mcubench.suite.${c.id}.${k.id}`, failure: k.passed ? undefined : { message: k.message, type: k.id.startsWith('baseline.') ? 'regression' : 'check' }, systemOut: k.passed ? k.message : undefined })),
    };
  });
  if (suites.length === 0) {
    tests = 1; failures = 1;
    suites.push({ '@_name': summary.name, '@_tests': '1', '@_failures': '1', '@_errors': '0', '@_skipped': '0', '@_time': '0', '@_timestamp': summary.createdAt,
      properties: { property: [] }, testcase: [junitCase({ name: 'cells', classname: 'mcubench.suite', failure: { message: 'the suite has no cells', type: 'empty' } })] });
  }
  return buildJunit(suites, tests, failures);
}

export function writeSuiteJson(summary: SuiteSummary): string {
  return `${JSON.stringify(summary, null, 2)}\n`;
}

export const SUITE_REPORT_FILES = { md: 'summary.md', html: 'summary.html', junit: 'junit.xml', json: SUMMARY_FILE } as const;

export function renderSuite(summary: SuiteSummary, suiteDir: string, format: keyof typeof SUITE_REPORT_FILES): string {
  switch (format) {
    case 'md': return writeSuiteMarkdown(summary, suiteDir);
    case 'html': return writeSuiteHtml(summary, suiteDir);
    case 'junit': return writeSuiteJunit(summary);
    case 'json': return writeSuiteJson(summary);
  }
}

export function writeSuiteReports(summary: SuiteSummary, suiteDir: string): void {
  for (const [format, file] of Object.entries(SUITE_REPORT_FILES)) {
    fs.writeFileSync(path.join(suiteDir, file), renderSuite(summary, suiteDir, format as keyof typeof SUITE_REPORT_FILES));
  }
}
