// Markdown report: the summary a CI job posts or a person reads in a terminal.
import { confusionTable } from './confusion';
import {
  accuracyTables, checksTable, environmentTable, fidelityTable, flashTable, latencyTable, mismatchTable, opLatencyTable, opProfileTable, type ReportTable,
  skippedTable, sramTable, summaryTable,
} from './report-tables';
import type { Results } from './results';

/** Table cells may hold file names and reasons: keep them on one line and away from the column separator. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

function renderTable(t: ReportTable): string[] {
  return [
    `## ${t.title}`,
    '',
    `| ${t.header.map(cell).join(' | ')} |`,
    `|${t.header.map(() => '---').join('|')}|`,
    ...t.rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
    ...(t.note ? ['', t.note] : []),
  ];
}

export function writeMarkdownReport(results: Results): string {
  const tables = [
    summaryTable(results), ...accuracyTables(results), confusionTable(results), fidelityTable(results), mismatchTable(results), latencyTable(results),
    opLatencyTable(results, 10), opProfileTable(results), sramTable(results), flashTable(results), checksTable(results), skippedTable(results), environmentTable(results),
  ].filter((t): t is ReportTable => t !== undefined);
  const title = `# mcubench results: ${cell(results.model)}${results.board ? ` on ${cell(results.board)}` : ''}`;
  const units = 'Sizes in bytes and KiB (1 KiB = 1024 B); latency in the run\'s unit (cycles on boards, instructions under QEMU), and in ms where the core clock is known.';
  return `${[title, '', units, ...tables.flatMap((t) => ['', ...renderTable(t)])].join('\n')}\n`;
}
