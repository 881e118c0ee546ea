// Reads a results file, or the results.json inside an output directory, and validates it.
import * as fs from 'fs';
import * as path from 'path';
import { ResultsError } from './results-error';
import type { Results } from './results';
import { validateResults } from './validate-results';

export const RESULTS_FILE_NAME = 'results.json';

/** `target` is a results.json file or a directory holding one (the `--out` of eval/run). */
export function resolveResultsPath(target: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    throw new ResultsError(`${target}: no such file or directory; pass a results.json or the output directory of 'mcubench eval' / 'mcubench run'`);
  }
  if (!stat.isDirectory()) return target;
  const file = path.join(target, RESULTS_FILE_NAME);
  if (!fs.existsSync(file)) {
    throw new ResultsError(`${target}: directory has no ${RESULTS_FILE_NAME}; run 'mcubench eval' or 'mcubench run' with --out ${target} first`);
  }
  return file;
}

export function parseResults(text: string, source: string): Results {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ResultsError(`${source}: not valid JSON (${(err as Error).message}); was the run interrupted while writing it?`);
  }
  return validateResults(value, source);
}

export function loadResults(target: string): Results {
  const file = resolveResultsPath(target);
  return parseResults(fs.readFileSync(file, 'utf8'), file);
}
