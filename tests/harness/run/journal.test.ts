import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO_ROOT } from '../../support/paths';
import { Journal, JournalError, readJournal } from '../../../harness/run/journal';

const tmpFile = (): string => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mcubench-journal-')), 'results.jsonl');

describe('results journal', () => {
  it('appends records and reads them back in order', () => {
    const file = tmpFile();
    const j = Journal.open(file);
    j.append({ sample: 'a', top1: true });
    j.append({ sample: 'b', top1: false });
    j.close();
    expect(fs.readFileSync(file, 'utf8')).toBe('{"sample":"a","top1":true}\n{"sample":"b","top1":false}\n');
    expect(readJournal(file)).toEqual({ records: [{ sample: 'a', top1: true }, { sample: 'b', top1: false }], done: new Set(['a', 'b']), torn: false, duplicates: 0 });
    expect(readJournal(path.join(path.dirname(file), 'missing.jsonl')).records).toEqual([]);
  });

  it('drops a torn last line on read and truncates it before the next append', () => {
    const file = tmpFile();
    fs.writeFileSync(file, '{"sample":"a","v":1}\n{"sample":"b","v":2}\n{"sample":"c","v"');
    const read = readJournal(file);
    expect(read.records.map((r) => r.sample)).toEqual(['a', 'b']);
    expect(read.torn).toBe(true);
    const j = Journal.open(file);
    expect(j.existing.done).toEqual(new Set(['a', 'b']));
    j.append({ sample: 'c', v: 3 });
    j.close();
    expect(fs.readFileSync(file, 'utf8')).toBe('{"sample":"a","v":1}\n{"sample":"b","v":2}\n{"sample":"c","v":3}\n');
  });

  it('a complete JSON line without its newline is still torn (never acknowledged)', () => {
    const file = tmpFile();
    fs.writeFileSync(file, '{"sample":"a"}\n{"sample":"b"}');
    expect(readJournal(file)).toMatchObject({ torn: true, records: [{ sample: 'a' }] });
  });

  it('ignores duplicate sample names, first wins', () => {
    const file = tmpFile();
    fs.writeFileSync(file, '{"sample":"a","v":1}\n{"sample":"b","v":2}\n{"sample":"a","v":9}\n');
    expect(readJournal(file)).toMatchObject({ records: [{ sample: 'a', v: 1 }, { sample: 'b', v: 2 }], duplicates: 1 });
  });

  it('refuses corruption in the middle and records without a sample name', () => {
    const file = tmpFile();
    fs.writeFileSync(file, '{"sample":"a"}\nnot json\n{"sample":"b"}\n');
    expect(() => readJournal(file)).toThrow(JournalError);
    expect(() => readJournal(file)).toThrow(/line 2 is not valid JSON/);
    fs.writeFileSync(file, '{"name":"a"}\n');
    expect(() => readJournal(file)).toThrow(/line 1 has no string "sample"/);
  });

  it('survives a writer killed with SIGKILL and resumes without double counting', async () => {
    const file = tmpFile();
    const child = path.join(path.dirname(file), 'writer.js');
    fs.writeFileSync(child, [
      `require(${JSON.stringify(require.resolve('@swc-node/register', { paths: [REPO_ROOT] }))});`,
      `const { Journal } = require(${JSON.stringify(path.join(REPO_ROOT, 'harness', 'run', 'journal.ts'))});`,
      `const j = Journal.open(${JSON.stringify(file)});`,
      `const pad = 'x'.repeat(4000);`,
      `for (let i = 0; ; i++) j.append({ sample: 's' + i, i, pad });`,
    ].join('\n'));
    const proc = spawn(process.execPath, [child], { stdio: 'ignore' });
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (fs.existsSync(file) && fs.statSync(file).size > 40 * 4000) { clearInterval(timer); proc.kill('SIGKILL'); }
      }, 5);
      proc.on('exit', () => { clearInterval(timer); resolve(); });
      proc.on('error', reject);
    });
    const before = readJournal<{ sample: string; i: number }>(file);
    const n = before.records.length;
    expect(n).toBeGreaterThanOrEqual(40);
    expect(before.records.map((r) => r.i)).toEqual(Array.from({ length: n }, (_, i) => i)); // contiguous, none lost in the middle
    // resume: a runner re-appending an already recorded sample and the next one
    const j = Journal.open<{ sample: string; i: number }>(file);
    j.append({ sample: 's0', i: -1 });
    j.append({ sample: `s${n}`, i: n });
    j.close();
    const after = readJournal<{ sample: string; i: number }>(file);
    expect(after.torn).toBe(false);
    expect(after.duplicates).toBe(1);
    expect(after.records.length).toBe(n + 1);
    expect(after.records[0].i).toBe(0);
  });
});
