// Shared access to the hand-written results fixtures (tests/fixtures/results/), as fresh copies per call.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO_ROOT } from '../../support/paths';
import type { Results } from '../../../harness/report/results';

export const RESULTS_FIXTURES = path.join(REPO_ROOT, 'tests', 'fixtures', 'results');
/** Board run: VWW on stm32f746g-disco, 2×2 patches, 10 samples, 5 budgets of which 2 fail. */
export const BOARD_RUN_DIR = path.join(RESULTS_FIXTURES, 'board-vww-f746');
export const BOARD_RUN = path.join(BOARD_RUN_DIR, 'results.json');
/** Host eval: mcunet-in3 on 12 ImageNet samples, layer-based, keys deliberately out of canonical order. */
export const HOST_EVAL = path.join(RESULTS_FIXTURES, 'host-eval-mcunet-in3.json');

export function readFixture(file: string): Results {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Results;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `mcubench-${prefix}-`));
}

export function writeJson(dir: string, name: string, value: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(value, null, 2));
  return file;
}
