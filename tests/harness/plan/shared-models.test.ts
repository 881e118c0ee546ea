import * as fs from 'fs';
import * as path from 'path';
import { loadModel } from '../../../harness/model';
import { validateArena } from '../../../harness/plan/arena-validator';
import { planLayers } from '../../../harness/plan/layer-planner';
import { planPatches } from '../../../harness/plan/patch-planner';
import { searchPatchPlans } from '../../../harness/plan/search';
import { SHARED_MODELS } from '../../support/paths';

const models = fs.existsSync(SHARED_MODELS) ? fs.readdirSync(SHARED_MODELS).filter((f) => f.endsWith('.tflite')).sort() : [];

test('all 16 shared models are present', () => {
  expect(models).toHaveLength(16);
});

describe.each(models)('%s', (file) => {
  test('plans layer-based and with --search; every packing validates', () => {
    const graph = loadModel(path.join(SHARED_MODELS, file));
    const layer = planLayers(graph);
    expect(layer.peakBytes).toBeGreaterThan(0);
    expect(layer.peakBytes).toBe(Math.max(...layer.ops.map((o) => o.liveBytes)));
    expect(layer.arenaBytes).toBeGreaterThanOrEqual(layer.peakBytes);
    expect(validateArena(layer.buffers, layer.aliases, layer.arenaBytes)).toEqual([]);
    // Every activation (graph I/O included) has a buffer.
    for (const t of [...graph.inputs, ...graph.outputs]) expect(layer.buffers.some((b) => b.tensor === t)).toBe(true);

    const search = searchPatchPlans(graph, 0.2, layer.peakBytes);
    expect(search.chosen.macOverhead).toBeLessThanOrEqual(0.2);
    expect(search.chosen.peakBytes).toBeLessThanOrEqual(layer.peakBytes);
    if (search.chosen.split > 0) {
      const plan = planPatches(graph, search.chosen.split, search.chosen.patches);
      expect(plan.peakBytes).toBe(search.chosen.peakBytes);
      expect(validateArena(plan.buffers, plan.aliases, plan.arenaBytes)).toEqual([]);
      expect(plan.buffers.some((b) => b.tensor === plan.stageInput && b.bytes < plan.inputImageBytes || plan.patches === 1)).toBe(true);
    }
  });
});
