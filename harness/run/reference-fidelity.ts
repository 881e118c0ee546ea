// `eval --reference <run>`: the fidelity of this run's outputs against another run's (a board run, another
// schedule, an earlier tool version), sample by sample from both `outputs/` folders. Only samples both runs
// hold are compared; how many that is stands in `fidelity.samples`.
import * as fs from 'fs';
import * as path from 'path';
import { UsageError } from '../errors';
import { compareSampleOutputs, fidelitySection, type OutputLayout } from '../metrics/output-fidelity';
import { DTYPE_BYTES, type Graph } from '../model/graph';
import { writeJsonReport } from '../report/json-writer';
import { loadResults } from '../report/load-results';
import type { Results } from '../report/results';
import { RESULTS_FILE, outputFile } from './pipeline-manifest';

export function outputLayoutOf(graph: Graph): OutputLayout[] {
  return (graph.io?.outputs ?? []).map((o) => ({
    dtype: o.external.dtype, scale: o.external.scale, zeroPoint: o.external.zeroPoint,
    bytes: o.shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[o.external.dtype],
  }));
}

/** The reference run's results; a UsageError naming the problem when it is not a run folder. */
export function loadReference(referenceDir: string): Results {
  try {
    return loadResults(referenceDir);
  } catch (e) {
    throw new UsageError(`--reference: ${(e as Error).message}`);
  }
}

/** Adds `fidelity` (reference = the other run's folder) to the results in `outDir` and rewrites them. */
export function addReferenceFidelity(outDir: string, referenceDir: string, graph: Graph): Results {
  const reference = loadReference(referenceDir);
  const results = loadResults(outDir);
  const theirs = new Set(reference.samples.map((s) => s.name));
  const layout = outputLayoutOf(graph);
  const compared = results.samples.filter((s) => theirs.has(s.name)).map((s) => {
    const mine = fs.readFileSync(outputFile(outDir, s.name));
    let other: Buffer;
    try {
      other = fs.readFileSync(outputFile(referenceDir, s.name));
    } catch {
      throw new UsageError(`--reference ${referenceDir}: no output file for sample ${s.name}; was it made by mcubench eval/run with --out?`);
    }
    try {
      return { name: s.name, comparison: compareSampleOutputs(mine, other, layout) };
    } catch (e) {
      throw new UsageError(`--reference ${referenceDir}: sample ${s.name}: ${(e as Error).message}; is it a run of the same model?`);
    }
  });
  if (compared.length === 0) throw new UsageError(`--reference ${referenceDir}: no sample in common with this run; evaluate the same dataset`);
  const fidelity = fidelitySection(compared, path.basename(path.resolve(referenceDir)))!;
  const updated: Results = { ...results, fidelity };
  fs.writeFileSync(path.join(outDir, RESULTS_FILE), writeJsonReport(updated));
  return updated;
}
