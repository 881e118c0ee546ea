// `mcubench suite` end to end on emulated boards: person_detect × {emu-f746, emu-f412} × {layer, patch} on the
// two TFLM VWW images (firmware from the content-hash cache when other tests built it). Then, without new board
// runs: resume after a lost cell, the gate against a baseline suite (passing on itself, failing on a regression),
// the JUnit counts, and the HTML summary rendered in headless Chromium with non-empty charts.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { cliInProcess } from '../../support/cli-in-process';
import type { Results } from '../../../harness/report/results';
import type { SuiteSummary } from '../../../harness/suite/suite-summary';
import { schemaCheck } from '../../../harness/schema/json-schema';
import { REPO_ROOT } from '../../support/paths';

jest.setTimeout(600_000);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mcubench-suite-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const cli = cliInProcess;

const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars'];
function chromium(args: string[]): string {
  const profile = fs.mkdtempSync(path.join(work, 'profile-'));
  return execFileSync(process.env.CHROMIUM ?? 'chromium', [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, ...args], { cwd: work, encoding: 'utf8', timeout: 90_000, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 32 << 20 });
}

async function countColour(png: string, [r, g, b]: [number, number, number]): Promise<number> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let n = 0;
  for (let i = 0; i < data.length; i += info.channels) if (Math.abs(data[i] - r) <= 6 && Math.abs(data[i + 1] - g) <= 6 && Math.abs(data[i + 2] - b) <= 6) n++;
  return n;
}

const suiteFile = path.join(work, 'nightly.yaml');
fs.writeFileSync(suiteFile, `name: pd-nightly
models: [{ file: ${path.join(REPO_ROOT, 'demo', 'models', 'person_detect.tflite')}, name: person_detect }]
boards: [emu-f746, emu-f412]
schedules: [layer, patch]
datasets: [{ path: ${path.join(REPO_ROOT, 'demo', 'vww')}, name: vww, int8Pixels: true }]
gate: { maxLatencyIncrease: 2%, latencySlack: 1000 }
`);
const first = path.join(work, 'first');
const summaryOf = (dir: string): SuiteSummary => JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8')) as SuiteSummary;
const CELLS = ['person_detect__vww__emu-f746__layer', 'person_detect__vww__emu-f746__patch', 'person_detect__vww__emu-f412__layer', 'person_detect__vww__emu-f412__patch'];

test('runs the matrix: one results folder per cell, each bit-exact with the host, a summary in four formats', async () => {
  const { status, stdout, stderr } = await cli(['suite', suiteFile, '--out', first]);
  expect(stderr).not.toMatch(/failed:/);
  expect(status).toBe(0);
  // Each board run names its phases: build (firmware from the cache or built), flash (boot), run (samples).
  // A firmware that is built shows CMake's progress by quarters; one from the cache says so.
  expect(stderr).toMatch(/build: person_detect for emu-f746: plan, pack, firmware\n((build: \d+ %\n)+build: firmware [0-9a-f]{12} built|build: firmware [0-9a-f]{12} from the cache): \d+ B flash/);
  expect(stderr).toContain('flash: emu-f412: booting the firmware in QEMU');
  expect(stderr).toMatch(/\nrun: 2\/2 samples/);
  expect(stderr).not.toMatch(/\neval: /);
  const summary = summaryOf(first);
  expect(summary.cells.map((c) => [c.id, c.status])).toEqual(CELLS.map((id) => [id, 'passed']));
  for (const id of CELLS) {
    const r = JSON.parse(fs.readFileSync(path.join(first, 'cells', id, 'results.json'), 'utf8')) as Results;
    expect(schemaCheck('results')(r)).toEqual([]); // what a board run writes is what docs/results.schema.json says
    expect(r.count).toBe(2);
    expect(r.fidelity).toMatchObject({ bitExactRate: 1, samples: 2, top1Agreement: 1, reference: 'host' });
    expect(r.ops!.length).toBeGreaterThan(5);
    expect(r.environment).toMatchObject({ firmwareProtocol: expect.any(Number), qemuVersion: expect.stringMatching(/^QEMU emulator version/) });
  }
  expect(stdout).toContain('PASS: 4 of 4 cells passed');
  for (const f of ['summary.md', 'summary.html', 'junit.xml', 'summary.json']) expect(fs.existsSync(path.join(first, f))).toBe(true);
  const junit = fs.readFileSync(path.join(first, 'junit.xml'), 'utf8');
  expect(XMLValidator.validate(junit)).toBe(true);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => ['testsuite', 'testcase'].includes(n) }).parse(junit);
  expect(doc.testsuites.testsuite.map((s: { name: string }) => s.name)).toEqual(CELLS);
  expect(Number(doc.testsuites.tests)).toBe(summary.cells.reduce((n, c) => n + c.checks.length, 0));
  expect(doc.testsuites.failures).toBe('0');
});

test('resumes as a whole: finished cells are kept, a lost one runs again', async () => {
  const lost = path.join(first, 'cells', CELLS[3]);
  const before = fs.readFileSync(path.join(lost, 'results.json'), 'utf8');
  fs.rmSync(path.join(lost, 'results.json'));
  const { status, stderr } = await cli(['suite', suiteFile, '--out', first]);
  expect(status).toBe(0);
  expect(stderr.match(/done earlier, kept/g)).toHaveLength(3);
  expect(stderr).toContain(`[4/4] ${CELLS[3]}: resuming`);
  const after = JSON.parse(fs.readFileSync(path.join(lost, 'results.json'), 'utf8')) as Results;
  expect(after.samples.map((s) => s.outputSha256)).toEqual((JSON.parse(before) as Results).samples.map((s) => s.outputSha256));
});

test('gates against a baseline suite: passes on itself, fails one line per regression', async () => {
  const tonight = path.join(work, 'tonight');
  fs.cpSync(first, tonight, { recursive: true });
  const same = await cli(['suite', suiteFile, '--out', tonight, '--baseline', first]);
  expect(same.status).toBe(0);
  expect(summaryOf(tonight).cells.every((c) => c.checks.some((k) => k.id === 'baseline.flash.code' && k.passed))).toBe(true);

  // A baseline whose firmware code was 2 KiB smaller and whose patch cell used less SRAM: tonight regressed.
  const smaller = path.join(work, 'smaller');
  fs.cpSync(first, smaller, { recursive: true });
  const cellFile = path.join(smaller, 'cells', CELLS[1], 'results.json');
  const r = JSON.parse(fs.readFileSync(cellFile, 'utf8')) as Results;
  r.flash!.codeBytes -= 2048;
  r.sram!.measuredPeakBytes! -= 64;
  r.sram!.arenaPeakBytes! -= 64;
  fs.writeFileSync(cellFile, JSON.stringify(r));
  const worse = await cli(['suite', suiteFile, '--out', tonight, '--baseline', smaller]);
  expect(worse.stderr).not.toMatch(/mcubench:/);
  expect(worse.status).toBe(1);
  const lines = worse.stdout.split('\n').filter((l) => l.startsWith('FAIL '));
  expect(lines).toEqual([
    expect.stringMatching(new RegExp(`^FAIL ${CELLS[1]} baseline\\.sram\\.measuredPeak: SRAM measured peak: .* \\(\\+64 B; limit <= \\+0 B\\) REGRESSED$`)),
    expect.stringMatching(new RegExp(`^FAIL ${CELLS[1]} baseline\\.flash\\.code: flash code: .* \\(\\+2,048 B; limit <= \\+1,024 B\\) REGRESSED$`)),
  ]);
  expect(worse.stdout).toContain('FAIL: 3 of 4 cells passed, 1 failed');
  const report = await cli(['report', tonight, '--format', 'junit']);
  expect(report.status).toBe(1);
  expect(report.stdout).toMatch(/<failure message="SRAM measured peak/);
  // A baseline cell that cannot be read fails that cell's check; the suite still reports.
  fs.writeFileSync(cellFile, '{ "model": ');
  const broken = await cli(['suite', suiteFile, '--out', tonight, '--baseline', smaller]);
  expect(broken.status).toBe(1);
  expect(broken.stdout).toMatch(new RegExp(`FAIL ${CELLS[1]} baseline\\.cell: .*not valid JSON`));
});

test('the HTML summary renders in headless Chromium with memory and per-operator latency charts', async () => {
  const page = path.join(first, 'summary.html');
  const dom = chromium(['--dump-dom', `file://${page}`]);
  expect(dom).toContain('<h1>mcubench suite: pd-nightly</h1>');
  const memory = [...dom.matchAll(/<svg class="chart memory-chart" data-schedule="(\w+)" data-measured-bytes="(\d+)"[^>]*>([\s\S]*?)<\/svg>/g)];
  expect(memory.map((m) => m[1])).toEqual(['layer', 'patch', 'layer', 'patch']);
  for (const m of memory) {
    expect(m[3].match(/<rect class="bar[ "]/g)!.length).toBeGreaterThan(20);
    expect(m[3]).toMatch(/<line class="measured-line"/);
  }
  const latency = [...dom.matchAll(/<svg class="chart op-latency-chart" data-groups="(\d+)" data-series="2"[^>]*>([\s\S]*?)<\/svg>/g)];
  expect(latency).toHaveLength(2); // one per board, layer vs patch
  for (const l of latency) {
    // One group per operator of person_detect's image (31), the patch stage's operators each on their own.
    expect(Number(l[1])).toBe(31);
    expect(l[2]).toMatch(/<title>0 DEPTHWISE_CONV_2D \(patch stage: \d+ patches\), /);
    expect(l[2].match(/<rect class="op-bar" data-series="0"/g)).toHaveLength(31);
    expect(l[2].match(/<rect class="op-bar" data-series="1"/g)).toHaveLength(31);
  }
  const png = path.join(work, 'suite.png');
  chromium(['--window-size=1240,2400', `--screenshot=${png}`, `file://${page}`]);
  expect(await countColour(png, [0x4e, 0x79, 0xa7])).toBeGreaterThan(3000); // layer bars, both chart kinds
  expect(await countColour(png, [0xf2, 0x8e, 0x2b])).toBeGreaterThan(1000); // patch series and patch-stage bars
  expect(await countColour(png, [0x2c, 0xa0, 0x2c])).toBeGreaterThan(500); // measured-total lines
});

test('report takes several runs: one summary, layer vs patch per operator for the same model and board', async () => {
  const runs = [CELLS[0], CELLS[1]].map((id) => path.join(first, 'cells', id));
  const html = await cli(['report', ...runs, '--format', 'html']);
  expect(html.status).toBe(0);
  expect(html.stdout).toMatch(/<svg class="chart op-latency-chart" data-groups="\d+" data-series="2"/);
  const md = await cli(['report', ...runs]);
  expect(md.stdout).toContain('PASS: 2 of 2 cells passed');
  const junit = await cli(['report', ...runs, '--format', 'junit']);
  expect(junit.stdout).toMatch(/<testsuite name="person_detect__vww__emu-f746__layer" tests="\d+" failures="0"/);
});
