// mcubench run end to end on the emulated STM32F746 (QEMU mps2-an500): person_detect and mcunet-in3 on golden inputs,
// layer-based and patch-based. Every output must equal the TFLM golden output and the host addon's; the patch
// schedule's measured SRAM peak (static + stack + arena, read back from the board) must be below the layer one's.
import { expectConsistentMeasurements, expectGoldenOutputs, goldenInputs, MCUNET_IN3, PERSON_DETECT, runBoard, type BoardRun, type ModelCase, removeScratchDirs } from './hil-support';
import type { ScheduleRequest } from '../../harness/pack/select-schedule';

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

describe.each(CASES)('emu-f746: $model.model', ({ model, names, patch }) => {
  const runs: { layer?: BoardRun; patch?: BoardRun } = {};
  const inputs = goldenInputs(model, names);

  test('layer schedule: every output bit-exact with TFLM and the host addon', async () => {
    const run = await runBoard({ board: 'emu-f746', model, inputsDir: inputs, schedule: { schedule: 'layer' } });
    runs.layer = run;
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
});
