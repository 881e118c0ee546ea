// MACs per operator under a plan (what per-operator latency is divided by): a patch stage's ops on their patch
// regions, halo recomputation included, summing to the plan's own totals; every other op as layer by layer.
import { loadModel } from '../../../harness/model';
import { opMacsUnder, planLayers, planPatches } from '../../../harness/plan';
import { sharedModel } from '../../support/paths';

test('person_detect: layer MACs per op, and a 4x4 patch stage of 8 ops with its halos', () => {
  const graph = loadModel(sharedModel('person_detect'));
  const layer = planLayers(graph);
  expect(opMacsUnder(graph)).toEqual(layer.ops.map((o) => o.macs));
  const patch = planPatches(graph, 8, 4);
  const macs = opMacsUnder(graph, patch);
  expect(macs.slice(0, 8).reduce((a, b) => a + b, 0)).toBe(patch.stageMacs);
  expect(macs.reduce((a, b) => a + b, 0)).toBe(patch.macs);
  expect(macs.slice(8)).toEqual(layer.ops.slice(8).map((o) => o.macs));
  // The stage's ops before its last compute overlapping regions (halos) and so more than layer by layer; the
  // last one writes the stage output's tiles, which cover it exactly once.
  for (let k = 0; k < 7; k++) expect(macs[k]).toBeGreaterThan(layer.ops[k].macs);
  expect(macs[7]).toBe(layer.ops[7].macs);
});
