// Shared pieces of the host evaluation tests: subsets of the shared datasets (symlinks + a labels CSV or a VOC
// devkit), golden outputs, and an in-process evaluation on the host executor.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadModel } from '../../harness/model';
import { planImage } from '../../harness/pack/image-for-model';
import type { Results } from '../../harness/report/results';
import { HostExecutor } from '../../harness/run/host-executor';
import { EvalOptions, EvalOutcome, runEvaluation } from '../../harness/run/pipeline';
import { SHARED_DATASETS, SHARED_GOLDEN, sharedModel } from '../support/paths';

const created: string[] = [];
export function tmpDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `mcubench-${prefix}-`));
  created.push(dir);
  return dir;
}
/** For afterAll: removes every folder tmpDir made in this test file. */
export function removeTmpDirs(): void {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}
export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

export function goldenOutput(model: string, vector: string): Buffer {
  return fs.readFileSync(path.join(SHARED_GOLDEN, model, `${vector}.out`));
}

/** Index of the highest int8 score, lowest index on ties (numpy argmax). */
export function argmaxInt8(bytes: Uint8Array): number {
  const v = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
  return best;
}

/** The five highest int8 scores' indices (ties: lower index first). */
export function top5Int8(bytes: Uint8Array): number[] {
  const v = Array.from(new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length));
  return v.map((s, i) => [s, i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]).slice(0, 5).map(([, i]) => i);
}

/** A labelled-CSV dataset of some files of a shared folder (copied: loaders list regular files only), with the given labels. */
export function csvSubset(files: { source: string; label: number }[]): string {
  const dir = tmpDir('subset');
  const rows = ['filename,class_index'];
  for (const f of files) {
    fs.copyFileSync(f.source, path.join(dir, path.basename(f.source)));
    rows.push(`${path.basename(f.source)},${f.label}`);
  }
  fs.writeFileSync(path.join(dir, 'labels.csv'), `${rows.join('\n')}\n`);
  return dir;
}

/** A VOC devkit with only the given image ids of the shared VOC sample. */
export function vocSubset(ids: string[]): string {
  const src = path.join(SHARED_DATASETS, 'pascal_voc2012_sample');
  const dir = tmpDir('voc');
  fs.mkdirSync(path.join(dir, 'Annotations'));
  fs.mkdirSync(path.join(dir, 'JPEGImages'));
  for (const id of ids) {
    fs.copyFileSync(path.join(src, 'Annotations', `${id}.xml`), path.join(dir, 'Annotations', `${id}.xml`));
    fs.copyFileSync(path.join(src, 'JPEGImages', `${id}.jpg`), path.join(dir, 'JPEGImages', `${id}.jpg`));
  }
  return dir;
}

/** Runs `mcubench eval`'s pipeline in-process on the host addon (layer schedule, 2 threads). */
export async function evalOnHost(model: string, datasetDir: string, extra: Partial<EvalOptions> = {}): Promise<EvalOutcome & { results: Results }> {
  const graph = loadModel(sharedModel(model));
  const executor = new HostExecutor(planImage(graph, { schedule: 'layer' }), 2);
  return runEvaluation({
    graph, model, datasetDir, outDir: path.join(tmpDir('eval'), 'out'), executor, batchSize: 8,
    tool: { name: 'mcubench', version: 'test' }, progress: false, ...extra,
  });
}
