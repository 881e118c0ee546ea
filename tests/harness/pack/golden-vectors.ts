// Shared by the golden tests: the manifest's models and vectors, and a per-layer diff against the TFLM dumps
// in golden/<model>/layers_<vector>/ that names the first operator whose output differs.
import * as fs from 'fs';
import * as path from 'path';
import { Graph } from '../../../harness/model/graph';
import { NativeModel } from '../../../harness/native';
import { SHARED_GOLDEN } from '../../support/paths';

export interface GoldenModel { name: string; model: string; vectors: string[] }

export function goldenModels(): GoldenModel[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(SHARED_GOLDEN, 'manifest.json'), 'utf8'));
  return Object.entries<{ model: string; vectors: string[] }>(manifest.models).map(([name, m]) => ({
    name,
    // The manifest names models relative to the directory holding `shared/`.
    model: path.resolve(SHARED_GOLDEN, '..', '..', m.model),
    vectors: m.vectors,
  }));
}

export function goldenInput(model: string, vector: string): Buffer {
  return fs.readFileSync(path.join(SHARED_GOLDEN, model, `${vector}.bin`));
}

export function goldenOutput(model: string, vector: string): Buffer {
  return fs.readFileSync(path.join(SHARED_GOLDEN, model, `${vector}.out`));
}

/** Graph tensor index → dump file, from layers_<vector>/index.txt ("file tensor producer_op bytes desc name"). */
export function layerDumps(model: string, vector: string): Map<number, string> | undefined {
  const dir = path.join(SHARED_GOLDEN, model, `layers_${vector}`);
  const index = path.join(dir, 'index.txt');
  if (!fs.existsSync(index)) return undefined;
  const dumps = new Map<number, string>();
  for (const line of fs.readFileSync(index, 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [file, tensor] = line.trim().split(/\s+/);
    dumps.set(Number(tensor), path.join(dir, file));
  }
  return dumps;
}

export interface LayerDiff { op: number; type: string; tensor: number; name: string; byte: number; ours: number; tflm: number }

/** Per-op outputs compared with the TFLM dumps in execution order; the first mismatch, or undefined. */
export function firstLayerDifference(model: NativeModel, graph: Graph, input: Buffer, dumps: Map<number, string>): { diff?: LayerDiff; compared: number } {
  const result = model.run(input, { perOp: true });
  let compared = 0;
  for (const op of result.perOp ?? []) {
    for (const t of op.tensors) {
      const file = dumps.get(t.graphTensor);
      if (!file) continue;
      const expected = fs.readFileSync(file);
      compared++;
      const at = expected.findIndex((b, i) => b !== t.data[i]);
      if (at >= 0 || expected.length !== t.data.length) {
        const byte = at >= 0 ? at : Math.min(expected.length, t.data.length);
        return {
          diff: { op: op.op, type: graph.operators[op.op].type, tensor: t.graphTensor, name: graph.tensors[t.graphTensor].name, byte, ours: t.data[byte], tflm: expected[byte] },
          compared,
        };
      }
    }
  }
  return { compared };
}

export function describeDiff(d: LayerDiff): string {
  return `first differing operator: #${d.op} ${d.type}, output tensor #${d.tensor} '${d.name}', byte ${d.byte}: ours ${d.ours}, TFLM ${d.tflm}`;
}

/** Explains a golden mismatch with the first differing layer when TFLM dumps exist for the vector. */
export function mismatchReport(name: string, model: NativeModel, graph: Graph, vector: string): string {
  const dumps = layerDumps(name, vector);
  if (!dumps) return `${name}/${vector}: output differs (no per-layer dumps to localise it)`;
  const { diff } = firstLayerDifference(model, graph, goldenInput(name, vector), dumps);
  return `${name}/${vector}: output differs; ${diff ? describeDiff(diff) : 'every dumped layer matches'}`;
}
