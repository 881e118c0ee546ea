// `mcubench --version` prints the version in package.json, so scripts can record which bench made a result.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from '../../../support/paths';

test('mcubench --version and -V print the package version', () => {
  const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  for (const flag of ['--version', '-V']) {
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'mcubench.js'), flag], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${version}\n`);
  }
});
