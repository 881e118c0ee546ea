// Histogram of per-sample latency (a display summary of the samples, not a metric): sqrt(n) equal-width
// bins, at most 30, with the p50 and p99 of the results drawn as markers.
import { formatInteger, formatMs } from '../format';
import type { LatencyUnit } from '../results';
import { escapeHtml } from './escape';
import { niceTicks, px } from './svg-axis';

export interface HistogramBin { from: number; to: number; count: number; }

const MAX_BINS = 30;

/** Equal-width bins over [min, max]; the last bin includes max. All values equal gives one bin. */
export function histogramBins(values: number[]): HistogramBin[] {
  if (!values.length) return [];
  const min = Math.min(...values);
  const max = Math.max(...values);
  if (min === max) return [{ from: min, to: max, count: values.length }];
  const k = Math.min(MAX_BINS, Math.max(1, Math.ceil(Math.sqrt(values.length))));
  const width = (max - min) / k;
  const bins = Array.from({ length: k }, (_, i) => ({ from: min + i * width, to: i === k - 1 ? max : min + (i + 1) * width, count: 0 }));
  for (const v of values) bins[Math.min(k - 1, Math.floor((v - min) / width))].count += 1;
  return bins;
}

export interface HistogramInput {
  values: number[];
  unit: LatencyUnit;
  clockHz?: number;
  markers: { label: string; value: number }[];
}

const WIDTH = 560;
const HEIGHT = 280;
const MARGIN = { top: 40, right: 16, bottom: 44, left: 48 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;

function valueLabel(value: number, input: HistogramInput): string {
  return input.clockHz ? formatMs((value / input.clockHz) * 1000) : formatInteger(value);
}

export function renderLatencyHistogram(input: HistogramInput): string {
  const bins = histogramBins(input.values);
  const lo = bins.length ? bins[0].from : 0;
  const hi = bins.length ? bins[bins.length - 1].to : 1;
  const span = hi > lo ? hi - lo : 1;
  const xOf = (v: number) => (hi > lo ? MARGIN.left + ((v - lo) / span) * PLOT_W : MARGIN.left + PLOT_W / 2);
  const maxCount = Math.max(1, ...bins.map((b) => b.count));
  const ticks = niceTicks(maxCount, 4).filter((t) => Number.isInteger(t));
  const top = ticks[ticks.length - 1];
  const yOf = (count: number) => MARGIN.top + PLOT_H - (count / top) * PLOT_H;
  const parts: string[] = ticks.map((t) => `<line class="grid" x1="${MARGIN.left}" x2="${MARGIN.left + PLOT_W}" y1="${px(yOf(t))}" y2="${px(yOf(t))}"/>`
    + `<text class="tick" x="${MARGIN.left - 6}" y="${px(yOf(t))}" text-anchor="end" dominant-baseline="middle">${t}</text>`);
  const band = bins.length ? PLOT_W / bins.length : PLOT_W;
  bins.forEach((bin, i) => {
    const y = yOf(bin.count);
    parts.push(`<rect class="bar" data-count="${bin.count}" x="${px(MARGIN.left + band * i + 1)}" y="${px(y)}" width="${px(Math.max(1, band - 2))}" height="${px(MARGIN.top + PLOT_H - y)}">`
      + `<title>${escapeHtml(valueLabel(bin.from, input))} – ${escapeHtml(valueLabel(bin.to, input))}: ${bin.count} samples</title></rect>`);
  });
  const baseline = MARGIN.top + PLOT_H;
  parts.push(`<line class="axis" x1="${MARGIN.left}" x2="${MARGIN.left + PLOT_W}" y1="${baseline}" y2="${baseline}"/>`);
  if (bins.length) {
    parts.push(`<text class="tick" x="${MARGIN.left}" y="${baseline + 14}" text-anchor="start">${escapeHtml(valueLabel(lo, input))}</text>`,
      `<text class="tick" x="${MARGIN.left + PLOT_W}" y="${baseline + 14}" text-anchor="end">${escapeHtml(valueLabel(hi, input))}</text>`);
  }
  input.markers.filter((m) => bins.length && m.value >= lo && m.value <= hi).forEach((m, i) => {
    const x = px(xOf(m.value));
    parts.push(`<line class="marker" x1="${x}" x2="${x}" y1="${MARGIN.top}" y2="${baseline}"/>`
      + `<text class="marker-label" x="${x}" y="${MARGIN.top - 6 - i * 11}" text-anchor="${Number(x) > MARGIN.left + PLOT_W / 2 ? 'end' : 'start'}">${escapeHtml(m.label)}</text>`);
  });
  const axis = `latency per sample (${input.clockHz ? 'ms' : input.unit})`;
  parts.push(`<text class="axis-label" x="${MARGIN.left + PLOT_W / 2}" y="${HEIGHT - 6}" text-anchor="middle">${escapeHtml(axis)}</text>`);
  return `<svg class="chart latency-histogram" data-bins="${bins.length}" data-samples="${input.values.length}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="latency histogram">${parts.join('')}</svg>`;
}
