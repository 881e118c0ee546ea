// bench:device's patch-vs-layer arithmetic on the real models: the prediction from layer per-op costs reproduces
// the planner's MAC count when each op costs its MACs, the candidates are the plans the section names, and the
// target reads "latency overhead <= MAC overhead + 5 points".
import { atLayerRates, compare, patchCandidates } from '../../bench/patch-vs-layer';
import { loadModel } from '../../harness/model';
import { selectSchedule } from '../../harness/pack/select-schedule';
import { planLayers } from '../../harness/plan';
import { sharedModel } from '../support/paths';

const MCUNET = 'mcunet-in3_320kb-1mb_imagenet';

describe.each([
  ['person_detect', [[4, 2], [8, 4], [5, 3]]],
  [MCUNET, [[4, 2], [5, 2], [21, 2]]],
] as const)('%s', (model, plans) => {
  const graph = loadModel(sharedModel(model));

  test('priced at one instruction per MAC, the prediction is the patch plan\'s own MAC count', () => {
    const perMac = planLayers(graph).ops.map((op, graphIndex) => ({ graphIndex, instructions: op.macs }));
    for (const [split, patches] of plans) {
      const schedule = selectSchedule(graph, { schedule: 'patch', split, patches });
      if (schedule.kind !== 'patch') throw new Error('not a patch plan');
      expect(atLayerRates(graph, schedule.plan, perMac)).toBeCloseTo(schedule.plan.macs, 3);
      expect(schedule.plan.macs).toBeGreaterThan(planLayers(graph).macs);
    }
  });

  test('ops outside the stage keep their layer cost; a stage op scales by the pixels its patches compute', () => {
    const schedule = selectSchedule(graph, { schedule: 'patch', split: 4, patches: 2 });
    if (schedule.kind !== 'patch') throw new Error('not a patch plan');
    const out = graph.tensors[graph.operators[0].outputs[0]];
    const pixels = schedule.plan.patchList.reduce((s, p) => s + p.steps.filter((st) => st.op === 0)
      .reduce((t, st) => t + (st.outRegion.y1 - st.outRegion.y0) * (st.outRegion.x1 - st.outRegion.x0), 0), 0);
    expect(pixels).toBeGreaterThan(out.shape[1] * out.shape[2]); // halos recomputed
    expect(atLayerRates(graph, schedule.plan, [{ graphIndex: 0, instructions: 1000 }])).toBeCloseTo(1000 * pixels / (out.shape[1] * out.shape[2]), 6);
    expect(atLayerRates(graph, schedule.plan, [{ graphIndex: 10, instructions: 1000 }])).toBe(1000);
  });
});

test('candidates: the planner\'s choice, a smaller board\'s plan, the deepest 2x2 split on the Pareto front', () => {
  const graph = loadModel(sharedModel(MCUNET));
  const found = patchCandidates(graph, [{ board: 'emu-f412', schedule: { schedule: 'patch', split: 4, patches: 2 } }, { board: 'emu-f746', schedule: { schedule: 'layer' } }]);
  expect(found.map((c) => [c.split, c.patches, c.why])).toEqual([
    [5, 2, "planner's choice"],
    [4, 2, 'the plan emu-f412 runs'],
    [21, 2, 'the deepest 2x2 split on the Pareto front'],
  ]);
  expect(found[2].macOverhead).toBeCloseTo(0.253, 3);
});

test('target: latency overhead within MAC overhead + 5 points', () => {
  const candidate = { split: 21, patches: 2, macOverhead: 0.253, why: '' };
  expect(compare(candidate, 1000, 1303, 1300).withinTarget).toBe(true);
  expect(compare(candidate, 1000, 1304, 1300).withinTarget).toBe(false);
  expect(compare(candidate, 1000, 1304, 1300).latencyOverhead).toBeCloseTo(0.304, 6);
  expect(compare(candidate, 1000, 1304, 1300).atLayerRates).toBeCloseTo(0.3, 6);
});
