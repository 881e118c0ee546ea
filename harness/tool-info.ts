// Who wrote a results file: the tool's name and version from package.json, and where the repository is.
import * as fs from 'fs';
import * as path from 'path';
import type { ToolInfo } from './report/results';

export const REPO_ROOT = path.resolve(__dirname, '..');

export function toolInfo(): ToolInfo {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  return { name: 'mcubench', version: pkg.version };
}

/** A results name for a model file: its stem. */
export const modelNameOf = (file: string): string => path.basename(file).replace(/\.tflite$/, '');
