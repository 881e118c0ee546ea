// JUnit XML for CI dashboards: one <testcase> per budget in `thresholds`, a <failure> carrying the numbers
// when the budget is broken. fast-xml-parser's builder does the escaping.
import { XMLBuilder } from 'fast-xml-parser';
import { evaluateChecks } from './checks';
import { describeSchedule } from './report-tables';
import type { Results } from './results';

/** XML 1.0 forbids most control characters even when escaped; file names from datasets may contain them. */
function xmlSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD');
}

function suiteName(results: Results): string {
  return `${results.model}${results.board ? ` on ${results.board}` : ''}`;
}

export function writeJunitReport(results: Results): string {
  const checks = evaluateChecks(results);
  const failures = checks.filter((c) => !c.passed).length;
  const properties = [
    ['model', results.model], ['board', results.board], ['dataset', results.dataset],
    ['schedule', describeSchedule(results)], ['samples', String(results.count)], ['tool', `${results.tool.name} ${results.tool.version}`],
  ].filter((p): p is [string, string] => p[1] !== undefined);
  const testcases = checks.map((c) => ({
    '@_name': xmlSafe(c.title),
    '@_classname': xmlSafe(`mcubench.${c.id}`),
    '@_time': '0',
    ...(c.passed ? {} : { failure: { '@_message': xmlSafe(c.message), '@_type': 'budget', '#text': xmlSafe(c.message) } }),
  }));
  const skippedText = results.skipped.map((s) => `skipped input ${s.file}: ${s.reason}`).join('\n');
  const suite = {
    '@_name': xmlSafe(suiteName(results)),
    '@_tests': String(checks.length),
    '@_failures': String(failures),
    '@_errors': '0',
    '@_skipped': '0',
    '@_time': '0',
    '@_timestamp': results.createdAt,
    properties: { property: properties.map(([name, value]) => ({ '@_name': name, '@_value': xmlSafe(value) })) },
    ...(testcases.length ? { testcase: testcases } : {}),
    ...(skippedText ? { 'system-out': xmlSafe(skippedText) } : {}),
  };
  const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, suppressEmptyNode: true });
  const xml = builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: { '@_name': 'mcubench', '@_tests': String(checks.length), '@_failures': String(failures), '@_errors': '0', '@_time': '0', testsuite: suite },
  }) as string;
  return xml.endsWith('\n') ? xml : `${xml}\n`;
}
