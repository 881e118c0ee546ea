// Makes sure the native addon exists before a test uses it (builds it once if a fresh checkout lacks it).
import { execFileSync } from 'child_process';
import { addonPath } from '../../../harness/native';
import { REPO_ROOT } from '../../support/paths';

export function ensureAddon(): void {
  if (addonPath()) return;
  execFileSync('bash', ['scripts/build-addon.sh'], { cwd: REPO_ROOT, stdio: 'inherit' });
}
