// Renders the HTML report in headless Chromium (Debian package `chromium`, installed by scripts/setup.sh):
// the parsed DOM must hold the charts, and the screenshot must show the coloured bars.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { writeHtmlReport } from '../../../harness/report/html-writer';
import { BOARD_RUN, HOST_EVAL, readFixture, tempDir } from './fixtures';

const CHROMIUM = process.env.CHROMIUM ?? 'chromium';
const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--hide-scrollbars',
];

function chromium(work: string, args: string[]): string {
  const profile = fs.mkdtempSync(path.join(work, 'profile-'));
  try {
    return execFileSync(CHROMIUM, [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, ...args], {
      cwd: work, encoding: 'utf8', timeout: 90_000, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 32 * 1024 * 1024,
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`'${CHROMIUM}' not found: run scripts/setup.sh (it installs Debian's chromium) or set CHROMIUM to a Chromium binary`);
    }
    throw err;
  }
}

/** Number of screenshot pixels within 6 levels per channel of the colour. */
async function countColour(png: string, [r, g, b]: [number, number, number]): Promise<number> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let n = 0;
  for (let i = 0; i < data.length; i += info.channels) {
    if (Math.abs(data[i] - r) <= 6 && Math.abs(data[i + 1] - g) <= 6 && Math.abs(data[i + 2] - b) <= 6) n += 1;
  }
  return n;
}

describe('HTML report in headless Chromium', () => {
  let work: string;
  beforeAll(() => { work = tempDir('html-render'); });
  afterAll(() => { fs.rmSync(work, { recursive: true, force: true }); });

  it('parses into a DOM with both memory charts, their bars, peak labels and the histogram', () => {
    const page = path.join(work, 'board.html');
    fs.writeFileSync(page, writeHtmlReport(readFixture(BOARD_RUN)));
    const dom = chromium(work, ['--dump-dom', `file://${page}`]);
    expect(dom).toContain('<h1>mcubench results: mlperf_tiny_vww_96_int8 on stm32f746g-disco</h1>');
    const charts = [...dom.matchAll(/<svg class="chart memory-chart" data-schedule="(\w+)"[^>]*>([\s\S]*?)<\/svg>/g)];
    expect(charts.map((c) => c[1])).toEqual(['layer', 'patch']);
    for (const [, , body] of charts) {
      expect(body.match(/<rect class="bar[ "]/g)).toHaveLength(31); // one per operator of the VWW model
      expect(body.match(/<rect class="bar peak"/g)).toHaveLength(1);
      expect(body).toContain('board SRAM 320.0 KiB');
    }
    expect(charts[0][2]).toMatch(/<text class="peak-label"[^>]*>peak 54\.0 KiB \(op 2 CONV_2D\)<\/text>/);
    expect(charts[1][2]).toMatch(/<text class="peak-label"[^>]*>peak 27\.0 KiB \(op 2 CONV_2D\)<\/text>/);
    const histogram = /<svg class="chart latency-histogram"[^>]*>([\s\S]*?)<\/svg>/.exec(dom)![1];
    expect(histogram.match(/<rect class="bar"/g)).toHaveLength(4);
    expect(dom).toContain('<table class="confusion matrix" data-classes="2">');
  });

  it('draws the charts: peak, patch-stage and layer bars show in the screenshot', async () => {
    const page = path.join(work, 'board-shot.html');
    fs.writeFileSync(page, writeHtmlReport(readFixture(BOARD_RUN)));
    const png = path.join(work, 'board.png');
    chromium(work, ['--window-size=1200,1400', `--screenshot=${png}`, `file://${page}`]);
    const meta = await sharp(png).metadata();
    expect([meta.width, meta.height]).toEqual([1200, 1400]);
    // Two peak bars of ~12×36 and ~12×18 px, seven patch-stage bars, 29 layer-coloured bars.
    expect(await countColour(png, [0xd6, 0x27, 0x28])).toBeGreaterThan(300);
    expect(await countColour(png, [0xf2, 0x8e, 0x2b])).toBeGreaterThan(400);
    expect(await countColour(png, [0x4e, 0x79, 0xa7])).toBeGreaterThan(1500);
  });

  it('renders a host eval with a single 68-bar layer chart', () => {
    const page = path.join(work, 'host.html');
    fs.writeFileSync(page, writeHtmlReport(readFixture(HOST_EVAL)));
    const dom = chromium(work, ['--dump-dom', `file://${page}`]);
    const charts = [...dom.matchAll(/<svg class="chart memory-chart" data-schedule="(\w+)"[^>]*>([\s\S]*?)<\/svg>/g)];
    expect(charts.map((c) => c[1])).toEqual(['layer']);
    expect(charts[0][2].match(/<rect class="bar[ "]/g)).toHaveLength(68);
    expect(charts[0][2]).toContain('peak 302.5 KiB (op 7 DEPTHWISE_CONV_2D)');
  });
});
