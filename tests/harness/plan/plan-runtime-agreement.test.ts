// The planner and the runtime agree on every plan: every plan `--search` can return (the Pareto front: the
// chosen plan for any MAC budget, and the stream plans for 0, the stream default and the search's budget), plus a sample of the other patch candidates, is packed and run on the host
// runtime (the addon) and must give the layer schedule's output byte for byte. One input per model (a golden
// vector where the shared set has one), so the run time stays bounded.
import * as fs from 'fs';
import * as path from 'path';
import { Graph, loadModel } from '../../../harness/model';
import { NativeModel } from '../../../harness/native';
import { foldShapeOps, packImage } from '../../../harness/pack';
import { DEFAULT_STREAM_MAX_MAC_OVERHEAD, planLayers, planPatches, planStreamChoice, searchPatchPlans, searchStream, ParetoPoint, StreamChoice } from '../../../harness/plan';
import { SHARED_GOLDEN, SHARED_MODELS } from '../../support/paths';

const MODELS = fs.readdirSync(SHARED_MODELS).filter((f) => f.endsWith('.tflite')).sort();

/** Golden input of the model if the shared set has one, else deterministic pseudo-random bytes. */
function oneInput(model: string, bytes: number): Buffer {
  const dir = path.join(SHARED_GOLDEN, model.replace(/\.tflite$/, ''));
  if (fs.existsSync(dir)) {
    const bin = fs.readdirSync(dir).filter((f) => f.endsWith('.bin')).sort()[0];
    if (bin) {
      const data = fs.readFileSync(path.join(dir, bin));
      if (data.length === bytes) return data;
    }
  }
  const out = Buffer.alloc(bytes);
  let x = 12345;
  for (let i = 0; i < bytes; i++) { x = (x * 1103515245 + 12345) >>> 0; out[i] = x >>> 24; }
  return out;
}

/** Pareto points, and every `stride`-th other candidate (always the same ones), without repeats. */
function plansToRun(points: ParetoPoint[], pareto: ParetoPoint[], extra: number): ParetoPoint[] {
  const key = (p: ParetoPoint) => `${p.split}/${p.patches}`;
  const chosen = new Map(pareto.map((p) => [key(p), p]));
  const others = points.filter((p) => !chosen.has(key(p)) && p.split > 0);
  const stride = Math.max(1, Math.ceil(others.length / extra));
  others.filter((_, i) => i % stride === 0).forEach((p) => chosen.set(key(p), p));
  return [...chosen.values()];
}

/** Extra non-Pareto candidates per model: more for small models, where a run costs little. */
function extraBudget(layerMacs: number): number {
  if (layerMacs > 100e6) return 4;
  if (layerMacs > 20e6) return 12;
  return 40;
}

function run(graph: Graph, schedule: Parameters<typeof packImage>[1], input: Buffer): Buffer {
  const model = new NativeModel(packImage(graph, schedule).bytes, `${graph.source} (${schedule.kind})`);
  return model.run(input).output;
}

describe('every searched plan runs bit-exact with the layer schedule on the host runtime', () => {
  test.each(MODELS)('%s', (file) => {
    const graph = foldShapeOps(loadModel(path.join(SHARED_MODELS, file))).graph;
    const layer = planLayers(graph);
    const layerImage = packImage(graph, { kind: 'layer', plan: layer });
    const input = oneInput(file, new NativeModel(layerImage.bytes).info.inputBytes);
    const expected = run(graph, { kind: 'layer', plan: layer }, input);
    const search = searchPatchPlans(graph, 0.2, layer.peakBytes);
    const plans = plansToRun(search.candidates, search.pareto, extraBudget(layer.macs));
    if (file.startsWith('yolo-fastest')) expect(plans.map((p) => `${p.split}/${p.patches}`)).toContain('33/3');
    const failures: string[] = [];
    for (const point of plans) {
      if (point.split === 0) continue;
      const plan = planPatches(graph, point.split, point.patches);
      try {
        const got = run(graph, { kind: 'patch', plan }, input);
        if (!got.equals(expected)) failures.push(`split ${point.split}, ${point.patches}x${point.patches}: output differs`);
      } catch (err) {
        failures.push(`split ${point.split}, ${point.patches}x${point.patches}: ${(err as Error).message}`);
      }
    }
    // The stream plans the search returns for no recomputation, the default stream budget and the joint search's
    // budget (strips when they pay): bit-exact too, the arena high-water within the plan's arena.
    const streamChoices = new Map<string, StreamChoice>();
    for (const budget of [0, DEFAULT_STREAM_MAX_MAC_OVERHEAD, 0.2]) {
      const choice = searchStream(graph, budget);
      expect(choice.macOverhead).toBeLessThanOrEqual(budget);
      streamChoices.set(JSON.stringify(choice), choice);
    }
    for (const choice of streamChoices.values()) {
      const stream = planStreamChoice(graph, choice);
      if (stream.segments.length === 0) continue;
      const model = new NativeModel(packImage(graph, { kind: 'stream', plan: stream }).bytes, `${file} (stream)`);
      expect(model.info.schedule).toBe('stream');
      const r = model.run(input, { exactHighWater: true });
      if (!r.output.equals(expected)) failures.push(`stream split ${choice.split}, ${choice.strips} strips: output differs`);
      expect(r.arenaHighWater).toBeLessThanOrEqual(stream.arenaBytes);
      if (choice.strips === 1) expect(stream.macs).toBe(layer.macs);
      else expect(stream.macs).toBeGreaterThanOrEqual(layer.macs);
    }
    expect(failures).toEqual([]);
  }, 300_000);
});
