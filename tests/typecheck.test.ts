// The whole TypeScript tree must compile under the strict tsconfig; jest runs sources through SWC, which
// strips types without checking them, so this is the only place type errors fail the suite.
import { spawnSync } from 'child_process';
import * as path from 'path';
import { REPO_ROOT } from './support/paths';

test('tsc --noEmit reports no errors under the strict tsconfig', () => {
  const tsc = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '--noEmit', '-p', path.join(REPO_ROOT, 'tsconfig.json')], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  expect(result.stdout + result.stderr).toBe('');
  expect(result.status).toBe(0);
}, 300_000);
