// scripts/build-addon.sh: silent no-op when the addon is current, a clear instruction when a tool is missing.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO_ROOT } from '../../support/paths';

const script = path.join(REPO_ROOT, 'scripts', 'build-addon.sh');

test('an up-to-date addon is left alone, quietly', () => {
  spawnSync('bash', [script], { cwd: REPO_ROOT, encoding: 'utf8' }); // bring it up to date first
  const addon = path.join(REPO_ROOT, 'native', 'build', 'Release', 'mcubench_native.node');
  const before = fs.statSync(addon).mtimeMs;
  const r = spawnSync('bash', [script], { cwd: REPO_ROOT, encoding: 'utf8' });
  expect(r.status).toBe(0);
  expect(r.stderr).toBe('');
  expect(fs.statSync(addon).mtimeMs).toBe(before);
});

test('a missing compiler toolchain is named, with the command that installs it', () => {
  // A PATH holding only the basic utilities the script needs before its tool check.
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'mcb-path-'));
  try {
    for (const tool of ['dirname', 'bash']) {
      const found = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
      fs.symlinkSync(found, path.join(bin, tool));
    }
    const r = spawnSync(path.join(bin, 'bash'), [script], { cwd: REPO_ROOT, encoding: 'utf8', env: { PATH: bin } });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/build-addon: 'cmake' is not installed; run 'bash scripts\/setup\.sh'/);
  } finally {
    fs.rmSync(bin, { recursive: true, force: true });
  }
});
