// <out>/run.json: what an evaluation output folder was made from, so `--resume` continues the same run and
// refuses to mix results of a different model, dataset, preset or sample limit into one journal.
import * as fs from 'fs';
import * as path from 'path';
import { UsageError } from '../errors';

export interface RunManifest {
  model: string;
  /** The executor's fingerprint (host: model image hash + schedule). */
  fingerprint: string;
  target: string;
  dataset: string;
  preset: string | null;
  limit: number | null;
  int8Pixels: boolean;
  /** With a limit: how samples were drawn (absent in folders from before stratified limits: first N). */
  limitOrder?: 'stratified' | 'sorted';
  seed?: number;
  imageSet?: string;
  startedAt: string;
}

export const MANIFEST_FILE = 'run.json';
export const JOURNAL_FILE = 'journal.jsonl';
export const RESULTS_FILE = 'results.json';
export const OUTPUTS_DIR = 'outputs';

const COMPARED: (keyof RunManifest)[] = ['model', 'fingerprint', 'target', 'dataset', 'preset', 'limit', 'int8Pixels', 'limitOrder', 'seed', 'imageSet'];

export function readManifest(outDir: string): RunManifest {
  const file = path.join(outDir, MANIFEST_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`--resume ${outDir}: no ${MANIFEST_FILE} there; it is not an evaluation output folder (start a new run with --out)`);
  }
  try {
    return JSON.parse(text) as RunManifest;
  } catch {
    throw new UsageError(`${file}: not valid JSON; the folder cannot be resumed (start a new run with --out)`);
  }
}

/** Throws a UsageError naming every setting that differs between the saved run and this invocation. */
export function checkResumable(saved: RunManifest, current: RunManifest, outDir: string): void {
  const show = (v: unknown): string => (v === null ? 'none' : String(v));
  const diffs = COMPARED.filter((k) => (saved[k] ?? null) !== (current[k] ?? null)).map((k) => `${k}: was ${show(saved[k])}, now ${show(current[k])}`);
  if (diffs.length > 0) {
    throw new UsageError(`--resume ${outDir}: this run differs from the saved one (${diffs.join('; ')}); ` +
      'resume with the same model, dataset, --preset, --limit and schedule, or start a new run with --out');
  }
}

export function writeManifest(outDir: string, manifest: RunManifest): void {
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** outputs/<name>.out; names with folders (CIFAR's test/cat/0001) keep them, names escaping the folder are encoded. */
export function outputFile(outDir: string, name: string): string {
  const base = path.resolve(outDir, OUTPUTS_DIR);
  const file = path.resolve(base, `${name}.out`);
  if (file.startsWith(base + path.sep)) return file;
  return path.join(base, `${encodeURIComponent(name)}.out`);
}
