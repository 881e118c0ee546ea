// Device vs host predictions as HTML: a full matrix when there are few classes, otherwise one row per
// host class where the device disagreed (a 1000-class matrix would be unreadable).
import { agreementByClass, compareLabels } from '../predictions';
import type { Results } from '../results';
import { escapeHtml } from './escape';

const MATRIX_MAX_CLASSES = 12;

function matrix(results: Results, rows: ReturnType<typeof agreementByClass>): string {
  const classes = new Set<string>();
  for (const row of rows) { classes.add(row.hostClass); for (const c of row.deviceClasses.keys()) classes.add(c); }
  const order = [...classes].sort(compareLabels);
  const byHost = new Map(rows.map((r) => [r.hostClass, r]));
  const head = `<tr><th scope="col">host ↓ / device →</th>${order.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('')}</tr>`;
  const body = order.filter((h) => byHost.has(h)).map((host) => {
    const row = byHost.get(host)!;
    const cells = order.map((device) => {
      const n = row.deviceClasses.get(device) ?? 0;
      const kind = n === 0 ? 'zero' : device === host ? 'agree' : 'disagree';
      return `<td class="${kind}">${n}</td>`;
    });
    return `<tr><th scope="row">${escapeHtml(host)}</th>${cells.join('')}</tr>`;
  });
  return `<table class="confusion matrix" data-classes="${order.length}"><thead>${head}</thead><tbody>${body.join('')}</tbody></table>`;
}

function perClass(rows: ReturnType<typeof agreementByClass>): string {
  const disagreeing = rows.filter((r) => r.agree < r.count);
  const clean = rows.length - disagreeing.length;
  const body = disagreeing.map((r) => {
    const others = [...r.deviceClasses.entries()].filter(([c]) => c !== r.hostClass)
      .sort((a, b) => b[1] - a[1] || compareLabels(a[0], b[0]))
      .map(([c, n]) => `${escapeHtml(c)} ×${n}`).join(', ');
    return `<tr><th scope="row">${escapeHtml(r.hostClass)}</th><td>${r.count}</td><td>${r.agree}</td><td class="disagree">${r.count - r.agree}</td><td>${others}</td></tr>`;
  });
  const table = disagreeing.length
    ? `<table class="confusion per-class"><thead><tr><th>host class</th><th>samples</th><th>device agrees</th><th>device differs</th><th>device said</th></tr></thead><tbody>${body.join('')}</tbody></table>`
    : '';
  return `${table}<p>${clean} of ${rows.length} host classes: device agrees on every sample.</p>`;
}

/** Empty string when no sample carries both predictions. */
export function renderPredictionTable(results: Results): string {
  const rows = agreementByClass(results);
  if (!rows.length) return '';
  const classes = new Set<string>();
  for (const row of rows) { classes.add(row.hostClass); for (const c of row.deviceClasses.keys()) classes.add(c); }
  return classes.size <= MATRIX_MAX_CLASSES ? matrix(results, rows) : perClass(rows);
}
