// Measured latency per operator of the run, drawn under the memory chart of the schedule that ran, on the same
// x positions (one bar per operator, same width), so where memory goes and where time goes read op by op. A
// patch-stage operator is one bar summed over every patch (in the patch colour), never lumped with its stage.
import { formatInteger, formatMs, formatPercent } from '../format';
import { opRunKind, opRunNote } from '../op-run-kind';
import type { OpFigures, ScheduleLabel } from '../results';
import { escapeHtml } from './escape';
import { niceTicks, px } from './svg-axis';

export interface OpLatencyBarsInput {
  title: string;
  ops: OpFigures[];
  schedule: ScheduleLabel;
  /** The run's latency unit ('instructions' under QEMU, 'cycles' on a board). */
  unit: string;
  /** Core clock: adds ms to every bar's tooltip (cycles only). */
  clockHz?: number;
}

// The memory chart's geometry (memory-chart.ts), so the two charts line up when stacked.
const WIDTH = 560;
const HEIGHT = 320;
const MARGIN = { top: 40, right: 16, bottom: 44, left: 64 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;

/** Axis numbers short enough for the margin: 12.5M, 340k. */
function shortCount(n: number): string {
  if (n >= 1e9) return `${Number((n / 1e9).toPrecision(3))}G`;
  if (n >= 1e6) return `${Number((n / 1e6).toPrecision(3))}M`;
  if (n >= 1e3) return `${Number((n / 1e3).toPrecision(3))}k`;
  return String(n);
}

export function renderOpLatencyBars(input: OpLatencyBarsInput): string {
  const ops = input.ops.filter((o) => o.latency !== undefined);
  const total = ops.reduce((s, o) => s + o.latency!, 0);
  const max = Math.max(1, ...ops.map((o) => o.latency!));
  const ticks = niceTicks(max, 5);
  const top = Math.max(ticks[ticks.length - 1], max) * 1.08; // room for the label over the slowest bar
  const yOf = (v: number): number => MARGIN.top + PLOT_H - (v / top) * PLOT_H;
  const band = ops.length ? PLOT_W / ops.length : PLOT_W;
  const barWidth = Math.max(1, band * 0.8);
  const baseline = MARGIN.top + PLOT_H;
  const parts: string[] = ticks.filter((t) => t <= top).map((t) => `<line class="grid" x1="${MARGIN.left}" x2="${MARGIN.left + PLOT_W}" y1="${px(yOf(t))}" y2="${px(yOf(t))}"/>`
    + `<text class="tick" x="${MARGIN.left - 6}" y="${px(yOf(t))}" text-anchor="end" dominant-baseline="middle">${escapeHtml(shortCount(t))}</text>`);
  parts.push(`<line class="axis" x1="${MARGIN.left}" x2="${MARGIN.left + PLOT_W}" y1="${baseline}" y2="${baseline}"/>`);
  const every = Math.max(1, Math.ceil(ops.length / 12));
  let slowest = -1;
  ops.forEach((op, i) => { if (slowest < 0 || op.latency! > ops[slowest].latency!) slowest = i; });
  ops.forEach((op, i) => {
    const v = op.latency!;
    const y = yOf(v);
    const kind = opRunKind(input.schedule, op.index);
    const cls = i === slowest ? 'bar peak' : kind === 'patch' ? 'bar patch-stage' : 'bar';
    const perMac = op.macs ? `, ${(v / op.macs).toFixed(2)} / MAC` : '';
    const ms = input.clockHz && input.unit === 'cycles' ? `, ${formatMs((v / input.clockHz) * 1000)}` : '';
    const note = opRunNote(input.schedule, op.index);
    parts.push(`<rect class="${cls}" data-op="${op.index}" data-latency="${v}" data-run="${kind}" x="${px(MARGIN.left + band * i + (band - barWidth) / 2)}" y="${px(y)}" width="${px(barWidth)}" height="${px(baseline - y)}">`
      + `<title>op ${op.index} ${escapeHtml(op.type)}: ${escapeHtml(formatInteger(v))} ${escapeHtml(input.unit)}${escapeHtml(ms)}${escapeHtml(perMac)}, `
      + `${escapeHtml(formatPercent(total ? v / total : 0, 1))}${note ? ` (${escapeHtml(note)})` : ''}</title></rect>`);
    if (i % every === 0) parts.push(`<text class="tick" x="${px(MARGIN.left + band * (i + 0.5))}" y="${baseline + 14}" text-anchor="middle">${op.index}</text>`);
  });
  parts.push(`<text class="axis-label" x="${MARGIN.left + PLOT_W / 2}" y="${HEIGHT - 6}" text-anchor="middle">operator (execution order)</text>`,
    `<text class="axis-label" x="12" y="${MARGIN.top + PLOT_H / 2}" transform="rotate(-90 12 ${MARGIN.top + PLOT_H / 2})" text-anchor="middle">${escapeHtml(input.unit)}</text>`);
  if (slowest >= 0) {
    const op = ops[slowest];
    const cx = MARGIN.left + band * (slowest + 0.5);
    const anchor = cx < MARGIN.left + PLOT_W * 0.25 ? 'start' : cx > MARGIN.left + PLOT_W * 0.75 ? 'end' : 'middle';
    parts.push(`<text class="peak-label" x="${px(cx)}" y="${px(yOf(op.latency!) - 6)}" text-anchor="${anchor}">slowest: op ${op.index} ${escapeHtml(op.type)}, `
      + `${escapeHtml(formatPercent(total ? op.latency! / total : 0, 1))}</text>`);
  } else {
    parts.push(`<text class="tick" x="${MARGIN.left + PLOT_W / 2}" y="${MARGIN.top + PLOT_H / 2}" text-anchor="middle">no per-operator latency</text>`);
  }
  return `<svg class="chart op-latency-bars" data-schedule="${input.schedule.kind}" data-bars="${ops.length}" data-total="${total}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeHtml(input.title)}">`
    + `<text class="chart-title" x="${MARGIN.left}" y="16">${escapeHtml(input.title)}</text>${parts.join('')}</svg>`;
}
