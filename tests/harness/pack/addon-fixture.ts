// Makes sure the native addon is built from the current sources before a test uses it: build-addon.sh is a
// quick no-op when nothing changed, and serialises concurrent callers.
import { execFileSync } from 'child_process';
import { REPO_ROOT } from '../../support/paths';

export function ensureAddon(): void {
  execFileSync('bash', ['scripts/build-addon.sh'], { cwd: REPO_ROOT, stdio: 'inherit' });
}
