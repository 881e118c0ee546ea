// The host reference through the addon API: every golden model bit-exact against TFLM, per-layer outputs
// against the TFLM dumps, the arena the run really touches against the planner's figure, patch schedules.
import { loadModel, Graph } from '../../harness/model';
import { NativeModel } from '../../harness/native';
import { packImage, ImageError, Schedule } from '../../harness/pack';
import { planLayers, planPatches } from '../../harness/plan';
import { ensureAddon } from './pack/addon-fixture';
import { describeDiff, firstLayerDifference, goldenInput, goldenModels, goldenOutput, layerDumps, mismatchReport } from './pack/golden-vectors';

beforeAll(ensureAddon, 300000);

const models = goldenModels();
const graphs = new Map<string, Graph>();
function graphOf(name: string): Graph {
  if (!graphs.has(name)) graphs.set(name, loadModel(models.find((m) => m.name === name)!.model));
  return graphs.get(name)!;
}

describe('golden vectors, layer schedule, addon runBatch', () => {
  test.each(models.map((m) => [m.name]))('%s is bit-exact with TFLM', async (name) => {
    const golden = models.find((m) => m.name === name)!;
    const graph = graphOf(name);
    const model = new NativeModel(packImage(graph, { kind: 'layer', plan: planLayers(graph) }).bytes, name);
    const results = await model.runBatch(golden.vectors.map((v) => goldenInput(name, v)), 2);
    const wrong = golden.vectors.filter((v, i) => !results[i].output.equals(goldenOutput(name, v)));
    expect(wrong.map((v) => mismatchReport(name, model, graph, v))).toEqual([]);
    for (const r of results) expect(r.guardsIntact).toBe(true);
  });
});

describe('per-layer outputs against the TFLM dumps', () => {
  test.each([['person_detect', 'no_person'], ['mcunet-in3_320kb-1mb_imagenet', 'in_n01440764_tench']])('%s / %s: every dumped tensor matches', (name, vector) => {
    const graph = graphOf(name);
    const model = new NativeModel(packImage(graph, { kind: 'layer', plan: planLayers(graph) }).bytes, name);
    const dumps = layerDumps(name, vector)!;
    const { diff, compared } = firstLayerDifference(model, graph, goldenInput(name, vector), dumps);
    expect(diff ? describeDiff(diff) : 'all match').toBe('all match');
    // Every operator's output was compared (TFLM also dumps the PADs our importer folds into convolutions).
    expect(compared).toBe(graph.operators.length);
  });
});

describe('arena use: high-water mark and guards', () => {
  const cases: [string, string, Schedule['kind'], number, number][] = [
    ['person_detect', 'person', 'layer', 0, 0],
    ['person_detect', 'person', 'patch', 8, 4],
    ['person_detect', 'no_person', 'patch', 15, 3],
    ['mcunet-in3_320kb-1mb_imagenet', 'in_n02444819_otter', 'layer', 0, 0],
    ['mcunet-in3_320kb-1mb_imagenet', 'in_n02444819_otter', 'patch', 10, 3],
    ['mcunet-in3_320kb-1mb_imagenet', 'random1', 'patch', 21, 2],
    ['mcunet-in3_320kb-1mb_imagenet', 'in_n03532672_hook', 'patch', 14, 4],
    ['tf2_mobilenet_v2_1.0_224_ptq', 'in_n01518878_ostrich', 'patch', 14, 4],
  ];
  test.each(cases)('%s / %s, %s schedule (split %d, %d patches): bit-exact, high-water == planned arena', (name, vector, kind, split, p) => {
    const graph = graphOf(name);
    const schedule: Schedule = kind === 'layer' ? { kind: 'layer', plan: planLayers(graph) } : { kind: 'patch', plan: planPatches(graph, split, p) };
    const model = new NativeModel(packImage(graph, schedule).bytes, name);
    const r = model.run(goldenInput(name, vector), { exactHighWater: true });
    expect(r.output.equals(goldenOutput(name, vector))).toBe(true);
    expect(r.guardsIntact).toBe(true);
    expect(r.arenaHighWater).toBe(schedule.plan.arenaBytes);
    expect(r.scratchHighWater).toBeLessThanOrEqual(model.info.scratchSize);
    expect(model.info.schedule).toBe(kind);
  });
});

describe('API behaviour', () => {
  const graph = () => graphOf('person_detect');
  const image = () => packImage(graph(), { kind: 'layer', plan: planLayers(graph()) }).bytes;

  test('runAsync gives the same bytes as run, and per-op outputs cover every operator', async () => {
    const model = new NativeModel(image(), 'person_detect');
    const input = goldenInput('person_detect', 'person');
    const sync = model.run(input, { perOp: true });
    const asyncResult = await model.runAsync(input);
    expect(asyncResult.output.equals(sync.output)).toBe(true);
    expect(sync.perOp!.map((o) => o.op)).toEqual(graph().operators.map((o) => o.index));
    expect(model.info.inputBytes).toBe(96 * 96);
    expect(model.info.outputBytes).toBe(2);
  });

  test('runBatch with more threads than inputs and one thread agree', async () => {
    const model = new NativeModel(image(), 'person_detect');
    const inputs = ['person', 'no_person', 'random1'].map((v) => goldenInput('person_detect', v));
    const [a, b] = await Promise.all([model.runBatch(inputs, 8), model.runBatch(inputs, 1)]);
    expect(a.map((r) => r.output.toString('hex'))).toEqual(b.map((r) => r.output.toString('hex')));
  });

  test('a wrong input size is rejected naming both sizes', () => {
    const model = new NativeModel(image(), 'person_detect');
    expect(() => model.run(Buffer.alloc(100))).toThrow(/input is 100 bytes; the model expects 9216 bytes/);
  });

  test('a corrupted image is rejected with the runtime status', () => {
    const bytes = image();
    bytes[1000] ^= 0x40;
    let error: unknown;
    try { new NativeModel(bytes, 'corrupt'); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(ImageError);
    expect((error as ImageError).code).toBe('MCB_ERR_FORMAT');
    expect((error as ImageError).detail).toBe('BAD_CRC');
  });
});
