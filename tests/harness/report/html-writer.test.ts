import { writeHtmlReport } from '../../../harness/report/html-writer';
import { histogramBins } from '../../../harness/report/html/latency-histogram';
import { niceTicks } from '../../../harness/report/html/svg-axis';
import { BOARD_RUN, HOST_EVAL, readFixture } from './fixtures';

function memoryCharts(html: string): Map<string, string> {
  const charts = new Map<string, string>();
  for (const m of html.matchAll(/<svg class="chart memory-chart" data-schedule="(\w+)"[^>]*>([\s\S]*?)<\/svg>/g)) charts.set(m[1], m[2]);
  return charts;
}

describe('writeHtmlReport', () => {
  it('is one self-contained page: no scripts, no external references', () => {
    const html = writeHtmlReport(readFixture(BOARD_RUN));
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    for (const forbidden of ['<script', ' src=', ' href=', 'url(', '@import', 'http://', 'https://']) expect(html).not.toContain(forbidden);
    expect(html).toContain("Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"");
  });

  it('escapes every string taken from the results', () => {
    const r = readFixture(BOARD_RUN);
    r.model = '<script>alert(1)</script>';
    r.samples[9].name = '"><img onerror=x>';
    r.skipped[0].reason = 'bad & <worse>';
    r.plan!.layerBased.ops[2].type = '<b>CONV</b>';
    const html = writeHtmlReport(r);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>CONV');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('bad &amp; &lt;worse&gt;');
    expect(html).toContain('&quot;&gt;&lt;img onerror=x&gt;');
  });

  it('draws one bar per operator for each schedule, on one scale, with the peak marked', () => {
    const html = writeHtmlReport(readFixture(BOARD_RUN));
    const charts = memoryCharts(html);
    expect([...charts.keys()]).toEqual(['layer', 'patch']);
    // The VWW model has 31 operators; ops 0-7 form the patch stage.
    expect(charts.get('layer')!.match(/<rect class="bar[ "]/g)).toHaveLength(31);
    expect(charts.get('patch')!.match(/<rect class="bar[ "]/g)).toHaveLength(31);
    expect(charts.get('patch')!.match(/class="bar patch-stage"/g)).toHaveLength(7); // op 2 is the peak, drawn as such
    expect(charts.get('layer')).toContain('peak 54.0 KiB (op 2 CONV_2D)');
    expect(charts.get('patch')).toContain('peak 27.0 KiB (op 2 CONV_2D)');
    expect(charts.get('layer')).toContain('board SRAM 320.0 KiB');
    // Same scale: the 320 KiB board line sits at the same height in both charts.
    const lineY = (svg: string) => /<line class="board-line"[^>]*y1="([\d.]+)"/.exec(svg)![1];
    expect(lineY(charts.get('layer')!)).toBe(lineY(charts.get('patch')!));
  });

  it('draws the run\'s latency per operator under the memory chart of the schedule that ran, one bar per operator', () => {
    const r = readFixture(BOARD_RUN);
    const html = writeHtmlReport(r);
    // The column holding the patch memory chart holds the latency chart right under it.
    const column = /<div class="chart-column">(<svg class="chart memory-chart" data-schedule="(\w+)"[\s\S]*?<\/svg>)(<svg class="chart op-latency-bars"[\s\S]*?<\/svg>)<\/div>/.exec(html)!;
    expect(column[2]).toBe('patch');
    const bars = [...column[3].matchAll(/<rect class="(bar[^"]*)" data-op="(\d+)" data-latency="(\d+)" data-run="(\w+)"/g)];
    expect(bars.map((b) => Number(b[2]))).toEqual(r.ops!.map((o) => o.index)); // 31 operators, none lumped
    expect(bars.map((b) => Number(b[3]))).toEqual(r.ops!.map((o) => o.latency));
    // Ops 0-7 ran per patch: each its own bar, in the patch colour; op 0 is the slowest and drawn as such.
    expect(bars.filter((b) => b[4] === 'patch').map((b) => Number(b[2]))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(bars.filter((b) => b[1] === 'bar patch-stage')).toHaveLength(7);
    expect(bars.filter((b) => b[1] === 'bar peak').map((b) => Number(b[2]))).toEqual([0]);
    expect(column[3]).toContain('slowest: op 0 CONV_2D, 11.2 %');
    expect(column[3]).toContain('<title>op 1 DEPTHWISE_CONV_2D: 450,976 cycles, 2.088 ms, 2.07 / MAC, 3.5 % (patch stage: 4 patches)</title>');
    expect(html).toContain('<h2 id="memory">Memory and latency per operator</h2>');
    // A host evaluation has no per-operator latency: memory charts only.
    expect(writeHtmlReport(readFixture(HOST_EVAL))).not.toContain('op-latency-bars');
  });

  it('draws a latency histogram over every sample and a device-vs-host matrix', () => {
    const html = writeHtmlReport(readFixture(BOARD_RUN));
    const histogram = /<svg class="chart latency-histogram"[^>]*>([\s\S]*?)<\/svg>/.exec(html)![1];
    // 10 samples → 4 bins of 20,515 cycles from 12,977,652; nine runs fall in the first, the 13,059,712 outlier in the last.
    expect([...histogram.matchAll(/<rect class="bar" data-count="(\d+)"/g)].map((m) => Number(m[1]))).toEqual([9, 0, 0, 1]);
    expect(histogram).toContain('p99 60.433 ms');
    const matrix = /<table class="confusion matrix"[^>]*>([\s\S]*?)<\/table>/.exec(html)![1];
    expect(matrix).toContain('<th scope="row">1</th><td class="disagree">1</td><td class="agree">5</td>');
    expect(matrix).toContain('<th scope="row">0</th><td class="agree">4</td><td class="zero">0</td>');
    expect(html).toContain('<code>voc_2007_000063.jpg</code>');
  });

  it('shows only the layer chart and no latency for a host eval', () => {
    const html = writeHtmlReport(readFixture(HOST_EVAL));
    const charts = memoryCharts(html);
    expect([...charts.keys()]).toEqual(['layer']);
    expect(charts.get('layer')!.match(/<rect class="bar[ "]/g)).toHaveLength(68);
    // ops 7 and 11 both hold 309,760 B; the first is marked.
    expect(charts.get('layer')).toContain('peak 302.5 KiB (op 7 DEPTHWISE_CONV_2D)');
    expect(charts.get('layer')).not.toContain('board-line');
    expect(html).not.toContain('latency-histogram');
  });

  it('switches to a per-class table when there are too many classes for a matrix', () => {
    const r = readFixture(BOARD_RUN);
    // Host classes 0,3,...,27 except 21 (9 classes) plus device-only classes 903-906 = 13, over the matrix limit of 12.
    r.samples.forEach((s, i) => { s.hostPredicted = i * 3; s.predicted = i >= 3 && i <= 6 ? 900 + i : i * 3; });
    r.samples[7].hostPredicted = 12; // a second sample of host class 12, on which the device agrees
    r.samples[7].predicted = 12;
    const html = writeHtmlReport(r);
    expect(html).not.toContain('confusion matrix');
    expect(html.match(/<tr><th scope="row">/g)).toHaveLength(4);
    expect(html).toContain('<tr><th scope="row">12</th><td>2</td><td>1</td><td class="disagree">1</td><td>904 ×1</td></tr>');
    expect(html).toContain('5 of 9 host classes: device agrees on every sample.');
  });
});

describe('chart helpers', () => {
  it('bins equal values into one bin and keeps the maximum in the last bin', () => {
    expect(histogramBins([5, 5, 5])).toEqual([{ from: 5, to: 5, count: 3 }]);
    expect(histogramBins([0, 1, 2, 3]).map((b) => b.count)).toEqual([2, 2]);
    expect(histogramBins([])).toEqual([]);
  });

  it('places ticks at 1-2-5 steps covering the maximum', () => {
    expect(niceTicks(10, 4)).toEqual([0, 5, 10]);
    expect(niceTicks(358.4, 5)).toEqual([0, 100, 200, 300, 400]);
  });
});
