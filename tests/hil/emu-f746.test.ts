// mcubench run end to end on the emulated STM32F746 (QEMU mps2-an500): person_detect and mcunet-in3 on golden inputs,
// layer-based and patch-based. Every output must equal the TFLM golden output and the host addon's; the patch
// schedule's measured SRAM peak (static + stack + arena, read back from the board) must be below the layer one's,
// and both runs report latency per operator, the patch stage's operators each timed over every patch.
import {
  expectConsistentMeasurements, expectGoldenOutputs, expectPerOpLatency, goldenInputs, instructionsPerTick, journalOpLatencies, MCUNET_IN3, PERSON_DETECT, runBoard,
  type BoardRun, type ModelCase, removeScratchDirs,
} from './hil-support';
import { loadModel } from '../../harness/model';
import { planImage } from '../../harness/pack/image-for-model';
import type { ScheduleRequest } from '../../harness/pack/select-schedule';
import { sharedModel } from '../support/paths';

jest.setTimeout(300_000);
afterAll(removeScratchDirs);

interface Case {
  model: ModelCase;
  names: string[];
  patch: ScheduleRequest & { schedule: 'patch' };
}

const CASES: Case[] = [
  { model: PERSON_DETECT, names: ['no_person', 'person'], patch: { schedule: 'patch', split: 8, patches: 4 } },
  // Split 21 on 2×2: the input image is asked for window by window (streamed input), so only the arena counts beyond the fixed buffers.
  { model: MCUNET_IN3, names: ['in_n01440764_tench', 'in_n02444819_otter'], patch: { schedule: 'patch', split: 21, patches: 2 } },
];

/** Layer-schedule runs by model, for the stream schedule's comparison below. */
const layerRuns = new Map<string, BoardRun>();

describe.each(CASES)('emu-f746: $model.model', ({ model, names, patch }) => {
  const runs: { layer?: BoardRun; patch?: BoardRun } = {};
  const inputs = goldenInputs(model, names);

  test('layer schedule: every output bit-exact with TFLM and the host addon', async () => {
    const run = await runBoard({ board: 'emu-f746', model, inputsDir: inputs, schedule: { schedule: 'layer' } });
    runs.layer = run;
    layerRuns.set(model.model, run);
    expect(run.results.board).toBe('emu-f746');
    expect(run.results.schedule).toEqual({ kind: 'layer' });
    expectGoldenOutputs(run, model, names);
    expectConsistentMeasurements(run);
  });

  test(`patch schedule (split ${patch.split}, ${patch.patches}x${patch.patches}): bit-exact too`, async () => {
    const run = await runBoard({ board: 'emu-f746', model, inputsDir: inputs, schedule: patch });
    runs.patch = run;
    expect(run.results.schedule).toEqual({ kind: 'patch', split: patch.split, patches: patch.patches });
    expectGoldenOutputs(run, model, names);
    expectConsistentMeasurements(run);
  });

  test('the patch schedule measures a lower SRAM peak than the layer schedule', () => {
    const layer = runs.layer!.results.sram!;
    const patched = runs.patch!.results.sram!;
    process.stdout.write(`${model.model} on emu-f746: measured peak layer ${layer.measuredPeakBytes} B ` +
      `(static ${layer.staticBytes} + stack ${layer.stackPeakBytes} + arena ${layer.arenaPeakBytes}), patch ${patched.measuredPeakBytes} B ` +
      `(static ${patched.staticBytes} + stack ${patched.stackPeakBytes} + arena ${patched.arenaPeakBytes})\n`);
    expect(patched.plannedPeakBytes).toBeLessThan(layer.plannedPeakBytes);
    expect(patched.measuredPeakBytes!).toBeLessThan(layer.measuredPeakBytes!);
  });

  test('per-operator latency: one entry per image operator, each patch-stage operator timed over every patch', () => {
    const layer = runs.layer!;
    const patched = runs.patch!;
    const planned = planImage(loadModel(sharedModel(model.model)), patch);
    if (planned.schedule.kind !== 'patch') throw new Error('expected a patch plan');
    const plan = planned.schedule.plan;
    const types = planned.graph.operators.map((op) => op.type);
    const tick = instructionsPerTick('emu-f746');
    expectPerOpLatency(layer, types, tick);
    expectPerOpLatency(patched, types, tick);
    // MACs per operator under the schedule: the stage's include its halo recomputation.
    const ops = patched.results.ops!;
    const stageMacs = ops.slice(0, plan.split).reduce((s, o) => s + o.macs!, 0);
    expect(stageMacs).toBe(plan.stageMacs);
    expect(ops.reduce((s, o) => s + o.macs!, 0)).toBe(plan.macs);
    expect(layer.results.ops!.slice(0, plan.split).reduce((s, o) => s + o.macs!, 0)).toBe(plan.stageLayerMacs);
    // After the stage both schedules run the same kernels on the same bytes: per sample, per operator, equal
    // up to where the timer's tick falls.
    const layerSamples = new Map(journalOpLatencies(layer.outDir).map((s) => [s.sample, s.opLatency]));
    for (const s of journalOpLatencies(patched.outDir)) {
      const reference = layerSamples.get(s.sample)!;
      for (let i = plan.split; i < types.length; i++) expect(Math.abs(s.opLatency[i] - reference[i])).toBeLessThanOrEqual(tick);
    }
    const stage = (r: BoardRun): number => r.results.ops!.slice(0, plan.split).reduce((s, o) => s + o.latency!, 0);
    process.stdout.write(`${model.model} on emu-f746, ops 0-${plan.split - 1} (patch stage, ${plan.patches}x${plan.patches}): layer ${stage(layer)} instructions, ` +
      `patch ${stage(patched)} (x${(stage(patched) / stage(layer)).toFixed(2)}) for +${((plan.stageMacs / plan.stageLayerMacs - 1) * 100).toFixed(1)} % MACs; ` +
      `slowest stage op: ${ops.slice(0, plan.split).reduce((a, b) => (b.latency! > a.latency! ? b : a)).index}\n`);
  });
});

test('person_detect, stream schedule: bit-exact, each streamed operator timed over all its rows', async () => {
  const model = PERSON_DETECT;
  const names = ['no_person', 'person'];
  const run = await runBoard({ board: 'emu-f746', model, inputsDir: goldenInputs(model, names), schedule: { schedule: 'stream' } });
  expectGoldenOutputs(run, model, names);
  expectConsistentMeasurements(run);
  const planned = planImage(loadModel(sharedModel(model.model)), { schedule: 'stream' });
  if (planned.schedule.kind !== 'stream') throw new Error('expected a stream plan');
  const types = planned.graph.operators.map((op) => op.type);
  const tick = instructionsPerTick('emu-f746');
  expectPerOpLatency(run, types, tick);
  const segments = planned.schedule.plan.segments;
  expect(run.results.schedule).toEqual({ kind: 'stream', split: planned.schedule.plan.split, segments: segments.map((g) => [g.first, g.end]) });
  const streamed = (i: number): boolean => segments.some((g) => i >= g.first && i < g.end);
  // Streaming recomputes nothing: every operator runs its layer MACs.
  // The layer run of the tests above (run here when this test runs alone).
  const layer = layerRuns.get(model.model) ?? await runBoard({ board: 'emu-f746', model, inputsDir: goldenInputs(model, names), schedule: { schedule: 'layer' } });
  expect(run.results.ops!.map((o) => o.macs)).toEqual(layer.results.ops!.map((o) => o.macs));
  // Operators outside the segments run whole, as in the layer run: equal up to where the timer's tick falls.
  const layerSamples = new Map(journalOpLatencies(layer.outDir).map((s) => [s.sample, s.opLatency]));
  for (const s of journalOpLatencies(run.outDir)) {
    const reference = layerSamples.get(s.sample)!;
    for (let i = 0; i < types.length; i++) if (!streamed(i)) expect(Math.abs(s.opLatency[i] - reference[i])).toBeLessThanOrEqual(tick);
  }
  const inSegments = (r: BoardRun): number => r.results.ops!.filter((o) => streamed(o.index)).reduce((a, o) => a + o.latency!, 0);
  process.stdout.write(`person_detect on emu-f746, streamed ops (${segments.map((g) => `${g.first}-${g.end - 1}`).join(', ')}): layer ${inSegments(layer)} instructions, ` +
    `stream ${inSegments(run)} (x${(inSegments(run) / inSegments(layer)).toFixed(3)}) at +0 % MACs\n`);
});
