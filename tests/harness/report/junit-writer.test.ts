import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { writeJunitReport } from '../../../harness/report/junit-writer';
import type { Results } from '../../../harness/report/results';
import { BOARD_RUN, HOST_EVAL, readFixture } from './fixtures';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name) });

interface Case { name: string; classname: string; failure?: { message: string; '#text': string } }

function parse(results: Results): { suites: Record<string, string>; suite: Record<string, any>; cases: Case[] } {
  const xml = writeJunitReport(results);
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = parser.parse(xml);
  expect(doc.testsuites.testsuite).toHaveLength(1);
  const suite = doc.testsuites.testsuite[0];
  return { suites: doc.testsuites, suite, cases: (suite.testcase ?? []) as Case[] };
}

describe('writeJunitReport', () => {
  it('has one test case per sample and per budget, counts that match, and failures on differing outputs and broken budgets', () => {
    const board = readFixture(BOARD_RUN);
    const all = parse(board);
    expect(all.cases).toHaveLength(board.samples.length + 5);
    expect(all.cases.slice(0, board.samples.length).map((c) => c.name)).toEqual(board.samples.map((s) => s.name));
    const differing = all.cases.filter((c) => c.classname.startsWith('mcubench.sample.') && c.failure);
    expect(differing.map((c) => c.name)).toEqual(board.samples.filter((s) => s.matchesHost === false).map((s) => s.name));
    expect(differing[0].failure!.message).toMatch(/^output differs from the host reference/);
    expect(all.suites.tests).toBe(String(board.samples.length + 5));
    expect(all.suites.failures).toBe('3');
    const { suite } = all;
    const cases = all.cases.filter((c) => !c.classname.startsWith('mcubench.sample.'));
    const failed = cases.filter((c) => c.failure);
    expect(suite.tests).toBe(String(all.cases.length));
    expect(suite.failures).toBe(String(failed.length + 1));
    expect(suite.name).toBe('mlperf_tiny_vww_96_int8 on stm32f746g-disco');
    expect(cases.map((c) => c.classname)).toEqual([
      'mcubench.accuracy.top1', 'mcubench.fidelity.bitExactRate', 'mcubench.sram.peak', 'mcubench.flash.total', 'mcubench.latency.ms.p99',
    ]);
    expect(failed.map((c) => c.classname)).toEqual(['mcubench.fidelity.bitExactRate', 'mcubench.latency.ms.p99']);
    // 9 of 10 outputs bit-exact against a 100 % budget; p99 60.433 ms against 60.25 ms.
    expect(failed[0].failure!.message).toBe('bit-exact rate 90.00 % is below the threshold 100.00 % by 10.00 percentage points');
    expect(failed[1].failure!.message).toBe('latency p99 60.433 ms exceeds the budget 60.250 ms by 0.183 ms');
    expect(cases[2].name).toBe('measured peak SRAM <= 65,536 B (64.0 KiB)');
    expect(suite['system-out']).toContain('skipped input broken|frame.jpg: JPEG decode failed: unexpected end of data <EOF>');
  });

  it('passes every budget of the host eval', () => {
    const { suite, cases } = parse(readFixture(HOST_EVAL));
    expect(cases).toHaveLength(12 + 3);
    expect(cases.some((c) => c.failure)).toBe(false);
    expect(suite.failures).toBe('0');
    const props = Object.fromEntries((suite.properties.property as { name: string; value: string }[]).map((p) => [p.name, p.value]));
    expect(props).toMatchObject({ model: 'mcunet-in3_320kb-1mb_imagenet', dataset: 'imagenet_sample', schedule: 'layer-based', samples: '12' });
  });

  it('fails a budget whose metric is missing instead of passing it', () => {
    const host = readFixture(HOST_EVAL);
    host.thresholds = { maxLatencyMs: 100, minMap12: 0.3 };
    const cases = parse(host).cases.filter((c) => !c.classname.startsWith('mcubench.sample.'));
    expect(cases).toHaveLength(2);
    expect(cases[0].failure!.message).toBe('detection.map12 is missing from the results, so this budget cannot be checked');
    expect(cases[1].failure!.message).toContain('latency.ms.p99 (or latency.clockHz) is missing');
  });

  it('escapes names so the XML stays well-formed and the text survives', () => {
    const host = readFixture(HOST_EVAL);
    host.model = 'net<&"\'>\u0001';
    const { suite } = parse(host);
    expect(suite.name).toBe('net<&"\'>\uFFFD');
  });

  it('never writes tests="0": one case per sample without budgets, a failing case when nothing was evaluated', () => {
    const host = readFixture(HOST_EVAL);
    delete host.thresholds;
    const { suite, cases } = parse(host);
    expect(cases).toHaveLength(12);
    expect(suite.tests).toBe('12');
    expect(cases.every((c) => !c.failure)).toBe(true);
    const empty = readFixture(HOST_EVAL);
    delete empty.thresholds; delete empty.accuracy;
    empty.samples = []; empty.count = 0;
    const none = parse(empty);
    expect(none.suite.tests).toBe('1');
    expect(none.cases[0].failure!.message).toMatch(/no sample was evaluated/);
  });
});
