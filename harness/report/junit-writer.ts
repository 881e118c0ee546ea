// JUnit XML for CI dashboards: one <testcase> per sample (a board sample fails when its output differs from the
// host reference; a sample is never failed for a wrong prediction, accuracy is a budget) and one per budget in
// `thresholds` (a <failure> carries the numbers). A run always has at least one test case: never tests="0".
// fast-xml-parser's builder does the escaping.
import { XMLBuilder } from 'fast-xml-parser';
import { evaluateChecks } from './checks';
import { describeSchedule } from './report-tables';
import type { Results, SampleResult } from './results';

/** XML 1.0 forbids most control characters even when escaped; file names from datasets may contain them. */
export function xmlSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD');
}

function suiteName(results: Results): string {
  return `${results.model}${results.board ? ` on ${results.board}` : ''}`;
}

/** One JUnit test case, as the builder wants it. */
export interface JunitCase { name: string; classname: string; time?: number; failure?: { message: string; type: string; text?: string }; systemOut?: string; }

export function junitCase(c: JunitCase): Record<string, unknown> {
  return {
    '@_name': xmlSafe(c.name),
    '@_classname': xmlSafe(c.classname),
    '@_time': String(c.time ?? 0),
    ...(c.failure ? { failure: { '@_message': xmlSafe(c.failure.message), '@_type': c.failure.type, '#text': xmlSafe(c.failure.text ?? c.failure.message) } } : {}),
    ...(c.systemOut ? { 'system-out': xmlSafe(c.systemOut) } : {}),
  };
}

function sampleCase(results: Results, s: SampleResult): JunitCase {
  const facts = [
    s.label !== undefined ? `label ${s.label}` : '', s.predicted !== undefined ? `predicted ${s.predicted}` : '',
    s.cycles !== undefined ? `${s.cycles} cycles` : '', s.instructions !== undefined ? `${s.instructions} instructions` : '', `output sha256 ${s.outputSha256}`,
  ].filter(Boolean).join(', ');
  const mismatch = results.fidelity?.mismatches?.find((m) => m.name === s.name);
  const time = s.cycles !== undefined && results.latency?.clockHz ? s.cycles / results.latency.clockHz : 0;
  return {
    name: s.name, classname: `mcubench.sample.${results.model}`, time,
    failure: s.matchesHost === false ? {
      message: `output differs from the host reference${mismatch ? ` in ${mismatch.mismatched} of ${mismatch.elements} elements (max abs error ${mismatch.outputs.map((o) => o.maxAbsError).join('/')})` : ''}`,
      type: 'fidelity',
    } : undefined,
    systemOut: facts,
  };
}

export function writeJunitReport(results: Results): string {
  const checks = evaluateChecks(results);
  const cases: JunitCase[] = [
    ...results.samples.map((s) => sampleCase(results, s)),
    ...checks.map((c) => ({ name: c.title, classname: `mcubench.${c.id}`, failure: c.passed ? undefined : { message: c.message, type: 'budget' } })),
  ];
  if (cases.length === 0) {
    cases.push({ name: 'samples evaluated', classname: 'mcubench.run', failure: { message: `no sample was evaluated (${results.skipped.length} skipped)`, type: 'empty' } });
  }
  const failures = cases.filter((c) => c.failure).length;
  const properties = [
    ['model', results.model], ['board', results.board], ['dataset', results.dataset],
    ['schedule', describeSchedule(results)], ['samples', String(results.count)], ['tool', `${results.tool.name} ${results.tool.version}`],
  ].filter((p): p is [string, string] => p[1] !== undefined);
  const skippedText = results.skipped.map((s) => `skipped input ${s.file}: ${s.reason}`).join('\n');
  const suite = {
    '@_name': xmlSafe(suiteName(results)),
    '@_tests': String(cases.length),
    '@_failures': String(failures),
    '@_errors': '0',
    '@_skipped': '0',
    '@_time': '0',
    '@_timestamp': results.createdAt,
    properties: { property: properties.map(([name, value]) => ({ '@_name': name, '@_value': xmlSafe(value) })) },
    testcase: cases.map(junitCase),
    ...(skippedText ? { 'system-out': xmlSafe(skippedText) } : {}),
  };
  return buildJunit([suite], cases.length, failures);
}

/** The XML document around one or more <testsuite> objects. */
export function buildJunit(suites: Record<string, unknown>[], tests: number, failures: number): string {
  const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, suppressEmptyNode: true });
  const xml = builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: { '@_name': 'mcubench', '@_tests': String(tests), '@_failures': String(failures), '@_errors': '0', '@_time': '0', testsuite: suites.length === 1 ? suites[0] : suites },
  }) as string;
  return xml.endsWith('\n') ? xml : `${xml}\n`;
}
