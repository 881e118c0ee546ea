import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { promisify } from 'util';
import { XMLParser } from 'fast-xml-parser';
import { REPO_ROOT } from '../../support/paths';
import { BOARD_RUN_DIR, HOST_EVAL, tempDir, writeJson } from './fixtures';

const run = promisify(execFile);

async function mcubench(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(REPO_ROOT, 'bin', 'mcubench.js'), ...args], { cwd: REPO_ROOT, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('mcubench report (CLI)', () => {
  let dir: string;
  beforeAll(() => { dir = tempDir('report-cli'); });
  afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  it('prints markdown for an output directory by default', async () => {
    const { code, stdout } = await mcubench(['report', BOARD_RUN_DIR]);
    expect(code).toBe(1); // the fixture breaks two of its budgets
    expect((await mcubench(['report', HOST_EVAL])).code).toBe(0); // every budget kept
    expect(stdout.split('\n')[0]).toBe('# mcubench results: mlperf_tiny_vww_96_int8 on stm32f746g-disco');
    expect(stdout).toContain('| top-1 | 70.00 % |');
  });

  it('writes JUnit XML to --out, creating the folder', async () => {
    const out = path.join(dir, 'ci', 'junit.xml');
    const { code, stdout } = await mcubench(['report', BOARD_RUN_DIR, '--format', 'junit', '--out', out]);
    expect(code).toBe(1); // two budgets of the fixture are broken: the report says so and CI sees it
    expect(stdout).toBe('');
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(fs.readFileSync(out, 'utf8'));
    expect(doc.testsuites).toMatchObject({ tests: '15', failures: '3' });
  });

  it('names the file and field of an invalid results file, without a stack trace', async () => {
    const broken = JSON.parse(fs.readFileSync(HOST_EVAL, 'utf8'));
    broken.accuracy.top1 = 75;
    const file = writeJson(dir, 'broken.json', broken);
    const { code, stderr } = await mcubench(['report', file, '--format', 'html']);
    expect(code).toBe(1);
    expect(stderr).toContain(`mcubench: ${file}: not a valid mcubench results file`);
    expect(stderr).toContain("field 'accuracy.top1': must be <= 1, got 75 (a fraction between 0 and 1; 70 % is 0.7)");
    expect(stderr).not.toMatch(/\n\s+at /);
    const bad = await mcubench(['report', file, '--format', 'pdf']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe("mcubench: unknown report format 'pdf'; use one of md, html, junit, json\n");
  });
});
