// Measured latency per operator as grouped bars: one series per schedule (layer vs patch), so the cost of
// patching shows per operator: a patch-stage operator's bar is its time summed over every patch, beside the same
// operator run once layer by layer. Results from firmware that reported the whole patch stage as one entry
// ("patch stage") still chart: the layer series' operators of that stage are summed into the same group.
import { formatInteger } from '../format';
import { opRunNote } from '../op-run-kind';
import type { OpFigures, ScheduleLabel } from '../results';
import { escapeHtml } from './escape';
import { niceTicks, px } from './svg-axis';

export interface OpSeries { label: string; ops: OpFigures[]; unit: string; schedule?: ScheduleLabel; }

interface Group { label: string; values: (number | undefined)[]; }

/** Where the patch stage ends: the first reported index after a "patch stage" entry. */
function patchStageEnd(series: OpSeries): number | undefined {
  const i = series.ops.findIndex((o) => o.type === 'patch stage');
  return i >= 0 ? series.ops[i + 1]?.index : undefined;
}

export function groupOps(series: readonly OpSeries[]): Group[] {
  const stageEnd = Math.max(0, ...series.map((s) => patchStageEnd(s) ?? 0));
  const keys = new Map<string, Group>();
  const add = (key: string, label: string, i: number, v: number): void => {
    const g = keys.get(key) ?? { label, values: series.map(() => undefined) };
    g.values[i] = (g.values[i] ?? 0) + v;
    keys.set(key, g);
  };
  // How each operator ran where it did not run whole: "0 CONV_2D (patch stage: 4 patches)".
  const note = (index: number): string => {
    const notes = [...new Set(series.map((s) => (s.schedule ? opRunNote(s.schedule, index) : '')).filter(Boolean))];
    return notes.length ? ` (${notes.join('; ')})` : '';
  };
  series.forEach((s, i) => {
    for (const op of s.ops) {
      if (op.latency === undefined) continue;
      if (stageEnd > 0 && op.index < stageEnd) add('stage', `ops 0–${stageEnd - 1} (patch stage)`, i, op.latency);
      else add(String(op.index), `${op.index} ${op.type}${note(op.index)}`, i, op.latency);
    }
  });
  return [...keys.entries()].sort(([a], [b]) => (a === 'stage' ? -1 : b === 'stage' ? 1 : Number(a) - Number(b))).map(([, g]) => g);
}

const WIDTH = 1120;
const HEIGHT = 340;
const MARGIN = { top: 36, right: 16, bottom: 48, left: 84 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;
const COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#b07aa1'];

export function renderOpLatencyChart(series: readonly OpSeries[], title: string): string {
  const groups = groupOps(series);
  const max = Math.max(1, ...groups.flatMap((g) => g.values.filter((v): v is number => v !== undefined)));
  const ticks = niceTicks(max, 5);
  const top = Math.max(ticks[ticks.length - 1], max);
  const yOf = (v: number): number => MARGIN.top + PLOT_H - (v / top) * PLOT_H;
  const parts: string[] = ticks.map((t) => `<line class="grid" x1="${MARGIN.left}" x2="${MARGIN.left + PLOT_W}" y1="${px(yOf(t))}" y2="${px(yOf(t))}"/>`
    + `<text class="tick" x="${MARGIN.left - 6}" y="${px(yOf(t))}" text-anchor="end" dominant-baseline="middle">${escapeHtml(formatInteger(t))}</text>`);
  const band = groups.length ? PLOT_W / groups.length : PLOT_W;
  const barW = Math.max(1, (band * 0.8) / Math.max(1, series.length));
  const every = Math.max(1, Math.ceil(groups.length / 16));
  groups.forEach((g, gi) => {
    g.values.forEach((v, si) => {
      if (v === undefined) return;
      const y = yOf(v);
      parts.push(`<rect class="op-bar" data-series="${si}" data-latency="${Math.round(v)}" fill="${COLOURS[si % COLOURS.length]}" x="${px(MARGIN.left + band * gi + band * 0.1 + barW * si)}" y="${px(y)}" width="${px(barW)}" height="${px(MARGIN.top + PLOT_H - y)}">`
        + `<title>${escapeHtml(g.label)}, ${escapeHtml(series[si].label)}: ${escapeHtml(formatInteger(v))} ${escapeHtml(series[si].unit)}</title></rect>`);
    });
    if (gi % every === 0) {
      parts.push(`<text class="tick" x="${px(MARGIN.left + band * (gi + 0.5))}" y="${MARGIN.top + PLOT_H + 14}" text-anchor="middle">${escapeHtml(g.label.split(' ')[0] === 'ops' ? 'stage' : g.label.split(' ')[0])}</text>`);
    }
  });
  const baseline = MARGIN.top + PLOT_H;
  parts.push(`<line class="axis" x1="${MARGIN.left}" x2="${MARGIN.left + PLOT_W}" y1="${baseline}" y2="${baseline}"/>`,
    `<text class="axis-label" x="${MARGIN.left + PLOT_W / 2}" y="${HEIGHT - 8}" text-anchor="middle">operator (execution order)</text>`,
    `<text class="axis-label" x="12" y="${MARGIN.top + PLOT_H / 2}" transform="rotate(-90 12 ${MARGIN.top + PLOT_H / 2})" text-anchor="middle">${escapeHtml(series[0]?.unit ?? '')}</text>`);
  // Legend after the title, each entry as wide as its label (about 6 px per character at this font size).
  let x = MARGIN.left + 320;
  series.forEach((s, i) => {
    parts.push(`<rect x="${x}" y="8" width="10" height="10" fill="${COLOURS[i % COLOURS.length]}"/>`
      + `<text class="tick" x="${x + 14}" y="17">${escapeHtml(s.label)}</text>`);
    x += 14 + s.label.length * 6 + 24;
  });
  return `<svg class="chart op-latency-chart" data-groups="${groups.length}" data-series="${series.length}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeHtml(title)}">`
    + `<text class="chart-title" x="${MARGIN.left}" y="16">${escapeHtml(title)}</text>${parts.join('')}</svg>`;
}
