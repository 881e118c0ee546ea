// Per-operator live memory as bars, one chart per schedule drawn on a shared scale (MCUNetV2 Fig. 1 for the
// user's model): the tallest bar is the peak and is labelled; a dashed line marks the board's SRAM.
import { formatBytes, formatKiB } from '../format';
import type { PlanOp } from '../results';
import { escapeHtml } from './escape';
import { niceTicks, px } from './svg-axis';

export interface MemoryChartInput {
  /** 'layer' or 'patch'; becomes data-schedule for tests and styling. */
  schedule: 'layer' | 'patch' | 'stream';
  title: string;
  ops: PlanOp[];
  peakBytes: number;
  /** Top of the y axis in bytes, the same for both charts so their bars compare by eye. */
  scaleBytes: number;
  boardBytes?: number;
  /** The schedule that ran on a board: measured total SRAM in use (static + stack + arena), drawn as a line. */
  measuredBytes?: number;
  /** Patch-based: ops with index < split run per patch and are drawn in the patch colour. */
  split?: number;
}

const WIDTH = 560;
const HEIGHT = 320;
const MARGIN = { top: 40, right: 16, bottom: 44, left: 64 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;

function yOf(bytes: number, scale: number): number {
  return MARGIN.top + PLOT_H - (bytes / scale) * PLOT_H;
}

function yAxis(scale: number): string[] {
  const ticks = niceTicks(scale / 1024, 5).filter((kib) => kib * 1024 <= scale);
  return ticks.map((kib) => {
    const y = px(yOf(kib * 1024, scale));
    return `<line class="grid" x1="${MARGIN.left}" x2="${MARGIN.left + PLOT_W}" y1="${y}" y2="${y}"/>`
      + `<text class="tick" x="${MARGIN.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${kib} KiB</text>`;
  });
}

function xAxis(ops: PlanOp[], band: number): string[] {
  const every = Math.max(1, Math.ceil(ops.length / 12));
  const baseline = MARGIN.top + PLOT_H;
  const out = [`<line class="axis" x1="${MARGIN.left}" x2="${MARGIN.left + PLOT_W}" y1="${baseline}" y2="${baseline}"/>`];
  ops.forEach((op, i) => {
    if (i % every !== 0) return;
    out.push(`<text class="tick" x="${px(MARGIN.left + band * (i + 0.5))}" y="${baseline + 14}" text-anchor="middle">${op.index}</text>`);
  });
  out.push(`<text class="axis-label" x="${MARGIN.left + PLOT_W / 2}" y="${HEIGHT - 6}" text-anchor="middle">operator (execution order)</text>`);
  return out;
}

/** Index of the tallest bar; the first one when several tie. */
function peakIndex(ops: PlanOp[]): number {
  let best = 0;
  ops.forEach((op, i) => { if (op.liveBytes > ops[best].liveBytes) best = i; });
  return best;
}

export function renderMemoryChart(input: MemoryChartInput): string {
  const { ops, scaleBytes: scale } = input;
  const band = ops.length ? PLOT_W / ops.length : PLOT_W;
  const barWidth = Math.max(1, band * 0.8);
  const parts: string[] = [...yAxis(scale), ...xAxis(ops, band)];
  const peak = ops.length ? peakIndex(ops) : -1;
  ops.forEach((op, i) => {
    const y = yOf(op.liveBytes, scale);
    const kind = i === peak ? 'bar peak' : input.split !== undefined && op.index < input.split ? 'bar patch-stage' : 'bar';
    parts.push(`<rect class="${kind}" data-op="${op.index}" data-bytes="${op.liveBytes}" x="${px(MARGIN.left + band * i + (band - barWidth) / 2)}" y="${px(y)}" width="${px(barWidth)}" height="${px(MARGIN.top + PLOT_H - y)}">`
      + `<title>op ${op.index} ${escapeHtml(op.type)}: ${escapeHtml(formatBytes(op.liveBytes))}</title></rect>`);
  });
  if (input.boardBytes !== undefined && input.boardBytes <= scale) {
    const y = px(yOf(input.boardBytes, scale));
    parts.push(`<line class="board-line" x1="${MARGIN.left}" x2="${MARGIN.left + PLOT_W}" y1="${y}" y2="${y}"/>`
      + `<text class="board-label" x="${MARGIN.left + PLOT_W}" y="${px(Number(y) - 4)}" text-anchor="end">board SRAM ${escapeHtml(formatKiB(input.boardBytes))}</text>`);
  }
  if (input.measuredBytes !== undefined && input.measuredBytes <= scale) {
    const y = px(yOf(input.measuredBytes, scale));
    parts.push(`<line class="measured-line" x1="${MARGIN.left}" x2="${MARGIN.left + PLOT_W}" y1="${y}" y2="${y}"/>`
      + `<text class="measured-label" x="${MARGIN.left + PLOT_W}" y="${px(Number(y) + 12)}" text-anchor="end">measured total ${escapeHtml(formatKiB(input.measuredBytes))}</text>`);
  }
  if (peak >= 0) {
    const op = ops[peak];
    const cx = MARGIN.left + band * (peak + 0.5);
    const anchor = cx < MARGIN.left + PLOT_W * 0.25 ? 'start' : cx > MARGIN.left + PLOT_W * 0.75 ? 'end' : 'middle';
    parts.push(`<text class="peak-label" x="${px(cx)}" y="${px(yOf(op.liveBytes, scale) - 6)}" text-anchor="${anchor}">peak ${escapeHtml(formatKiB(input.peakBytes))} (op ${op.index} ${escapeHtml(op.type)})</text>`);
  } else {
    parts.push(`<text class="tick" x="${MARGIN.left + PLOT_W / 2}" y="${MARGIN.top + PLOT_H / 2}" text-anchor="middle">no operators in this plan</text>`);
  }
  return `<svg class="chart memory-chart" data-schedule="${input.schedule}"${input.measuredBytes !== undefined ? ` data-measured-bytes="${input.measuredBytes}"` : ''} data-bars="${ops.length}" data-peak-bytes="${input.peakBytes}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeHtml(input.title)}">`
    + `<text class="chart-title" x="${MARGIN.left}" y="16">${escapeHtml(input.title)}</text>${parts.join('')}</svg>`;
}

/** Shared y-axis top: the largest of both peaks and the board line, plus room for the peak label. */
export function memoryScale(peaks: number[], boardBytes?: number): number {
  const top = Math.max(1, ...peaks, boardBytes ?? 0);
  return top * 1.12;
}
