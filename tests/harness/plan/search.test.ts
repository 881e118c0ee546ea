import { loadBuiltin } from '../../../harness/plan/builtin';
import { legalSplits, paretoFront, searchPatchPlans } from '../../../harness/plan/search';

describe('joint search of split and patch grid', () => {
  const graph = loadBuiltin('builtin:mobilenetv2');

  test('MobileNetV2 224: the paper optimum n*=5 blocks (13 ops), p*=4, within the default +20 % MACs', () => {
    // CPU time, not wall time: the test machine is shared.
    const started = process.cpuUsage();
    const r = searchPatchPlans(graph, 0.2);
    const used = process.cpuUsage(started);
    expect((used.user + used.system) / 1e6).toBeLessThan(10);
    expect(r.chosen).toMatchObject({ split: 13, patches: 4, peakBytes: 175616 });
    expect(r.candidates[0]).toMatchObject({ split: 0, patches: 1, peakBytes: 1404928, macOverhead: 0 });
  });

  test('a tighter MAC budget trades memory for compute', () => {
    const r = searchPatchPlans(graph, 0.05);
    expect(r.chosen.macOverhead).toBeLessThanOrEqual(0.05);
    expect(r.chosen.peakBytes).toBeGreaterThan(175616);
    expect(searchPatchPlans(graph, 0).chosen.macOverhead).toBe(0);
  });

  test('the Pareto front holds no dominated point and every candidate is dominated by or on it', () => {
    const r = searchPatchPlans(graph, 0.2);
    const dominates = (a: typeof r.pareto[0], b: typeof r.pareto[0]) =>
      a.peakBytes <= b.peakBytes && a.macOverhead <= b.macOverhead && (a.peakBytes < b.peakBytes || a.macOverhead < b.macOverhead);
    for (const p of r.pareto) expect(r.pareto.some((q) => dominates(q, p))).toBe(false);
    for (const c of r.candidates) expect(r.pareto.some((q) => q === c || dominates(q, c) || (q.peakBytes === c.peakBytes && q.macOverhead === c.macOverhead))).toBe(true);
    expect(paretoFront([])).toEqual([]);
  });

  test('legal splits end at block boundaries or inside a block where nothing else leaves the stage', () => {
    const splits = legalSplits(graph);
    expect(splits).toContain(13);
    // Split 20 would end inside block 6, whose residual input (the output of op 16) is read by op 20.
    expect(splits).not.toContain(20);
    expect(splits).toContain(17);
  });
});
