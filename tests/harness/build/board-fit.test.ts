// SRAM bookkeeping of the bench firmware, checked before anything is built: where the input lives, what the arena
// needs (against the C runtime's own figure), and the "does not fit" message with both figures and a plan that fits.
import { BuildError } from '../../../harness/build';
import { loadBoard } from '../../../harness/boards';
import { loadModel } from '../../../harness/model';
import { NativeModel } from '../../../harness/native';
import { packImage } from '../../../harness/pack/pack-image';
import { selectSchedule, type ScheduleRequest } from '../../../harness/pack/select-schedule';
import { BENCH_STACK_BYTES, BENCH_STATIC_BASE_BYTES, benchMemory } from '../../../harness/build/bench-firmware';
import { inputIsStreamed, inputLivesInArena, outputLivesInArena, readImage } from '../../../harness/pack/read-image';
import { linkTimeouts } from '../../../harness/run/board-executor';
import { perByteMsForBaud } from '../../../harness/link/timeouts';
import { bestFittingPatchPlan, checkSramFit } from '../../../harness/build/board-fit';
import { sharedModel } from '../../support/paths';

function packed(model: string, request: ScheduleRequest): { bytes: Uint8Array; native: NativeModel } {
  const graph = loadModel(sharedModel(model));
  const bytes = packImage(graph, selectSchedule(graph, request)).bytes;
  return { bytes, native: new NativeModel(bytes, model) };
}

describe('bench firmware memory of person_detect', () => {
  const layer = packed('person_detect', { schedule: 'layer' });
  const patch = packed('person_detect', { schedule: 'patch', split: 8, patches: 4 });

  test('a layer image receives its input in the arena; a patch image asks for it window by window (no input buffer)', () => {
    expect(inputLivesInArena(readImage(layer.bytes))).toBe(true);
    expect(inputLivesInArena(readImage(patch.bytes))).toBe(false);
    expect(inputIsStreamed(readImage(layer.bytes))).toBe(false);
    expect(inputIsStreamed(readImage(patch.bytes))).toBe(true);
    // The C runtime's own predicate (mcb_model_input_streamed) agrees.
    expect([layer.native.info.inputStreamed, patch.native.info.inputStreamed]).toEqual([false, true]);
    // person_detect: one 96×96×1 int8 input, two int8 scores; the image reader and the C loader agree on the sizes.
    for (const { bytes, native } of [layer, patch]) {
      expect([readImage(bytes).inputBytes, readImage(bytes).outputBytes]).toEqual([native.info.inputBytes, native.info.outputBytes]);
    }
    expect(readImage(layer.bytes).inputBytes).toBe(96 * 96);
    expect(benchMemory(layer.bytes).inputBufferBytes).toBe(16);
    expect(benchMemory(patch.bytes).inputBufferBytes).toBe(0);
    expect([benchMemory(layer.bytes).inputStreamed, benchMemory(patch.bytes).inputStreamed]).toEqual([false, true]);
    // The MLPerf Tiny app keeps its input whole whatever the schedule.
    expect(benchMemory(patch.bytes, 'mlperf-tiny')).toMatchObject({ inputBufferBytes: 96 * 96, inputStreamed: false });
    // Its int8 scores live in the arena and are read back from there: no output buffer either.
    expect(outputLivesInArena(readImage(patch.bytes))).toBe(true);
    expect(benchMemory(patch.bytes).outputBufferBytes).toBe(0);
    expect(benchMemory(patch.bytes, 'mlperf-tiny').outputBufferBytes).toBe(16);
  });

  test('the arena is what the C runtime asks for (mcb_model_arena_bytes), rounded to 16', () => {
    for (const { bytes, native } of [layer, patch]) {
      const memory = benchMemory(bytes);
      expect(memory.arenaBytes).toBe(Math.ceil(native.info.arenaBytes / 16) * 16);
      expect(memory.stackBytes).toBe(BENCH_STACK_BYTES);
      expect(memory.staticBytes).toBe(BENCH_STATIC_BASE_BYTES + memory.inputBufferBytes + memory.outputBufferBytes);
      expect(memory.totalBytes).toBe(memory.arenaBytes + memory.staticBytes + memory.stackBytes);
    }
  });
});

describe('checkSramFit', () => {
  const f412 = loadBoard('emu-f412');
  const memory = { arenaBytes: 250_000, inputBufferBytes: 16, inputStreamed: false, outputBufferBytes: 1008, stackBytes: 8192, staticBytes: 6144, totalBytes: 264_336 };

  test('fits: no error', () => {
    expect(() => checkSramFit('m', f412, { kind: 'layer' }, { ...memory, arenaBytes: 100_000 }, () => undefined)).not.toThrow();
  });

  test('does not fit: names the need with its parts, the board\'s SRAM and the suggested plan', () => {
    const suggestion = { split: 21, patches: 2, totalBytes: 249_856, macOverhead: 0.2535 };
    expect(() => checkSramFit('mcunet', f412, { kind: 'layer' }, memory, () => suggestion)).toThrow(new BuildError(
      'model mcunet does not fit emu-f412: layer-based plan needs 264336 B of SRAM (arena 250000 + static 6144 + stack 8192), ' +
      'the board has 262144 B; try --schedule patch --split 21 --patches 2 (best fitting patch plan: split 21, 2×2, 249856 B, +25.4 % MACs)'));
  });

  test('a patch plan that does not fit says which, and when nothing fits says so', () => {
    expect(() => checkSramFit('m', f412, { kind: 'patch', split: 5, patches: 2 }, memory, () => undefined))
      .toThrow(/^model m does not fit emu-f412: patch-based plan \(split 5, 2×2\) needs 264336 B .*; no patch plan of this model fits either$/);
  });

  test('a chip with CCM keeps the stack out of main SRAM (emu-f405: 128 KB SRAM + 64 KB CCM)', () => {
    const f405 = loadBoard('emu-f405');
    const sram = f405.chip.sram.size;
    const justFits = { ...memory, arenaBytes: sram - memory.staticBytes };
    expect(() => checkSramFit('m', f405, { kind: 'layer' }, justFits, () => undefined)).not.toThrow();
    expect(() => checkSramFit('m', f405, { kind: 'layer' }, { ...justFits, arenaBytes: justFits.arenaBytes + 16 }, () => undefined))
      .toThrow(`needs ${sram + 16} B of SRAM (arena ${justFits.arenaBytes + 16} + static ${memory.staticBytes}), the board has ${sram} B`);
  });
});

describe('bestFittingPatchPlan: mcunet-in3 on emu-f412 (256 KB)', () => {
  test('the suggestion, once packed, really fits; the layer plan does not; the planner\'s patch plan (input streamed) and auto do', () => {
    const f412 = loadBoard('emu-f412');
    const graph = loadModel(sharedModel('mcunet-in3_320kb-1mb_imagenet'));
    const sram = f412.chip.sram.size;
    const need = (request: ScheduleRequest): number => {
      return benchMemory(packed('mcunet-in3_320kb-1mb_imagenet', request).bytes).totalBytes;
    };
    const best = bestFittingPatchPlan(graph, f412, { inputBytes: 176 * 176 * 3, outputBytes: 1000, outputInArena: true })!;
    expect(best).toBeDefined();
    expect(best.totalBytes).toBeLessThanOrEqual(sram);
    expect(need({ schedule: 'patch', split: best.split, patches: best.patches })).toBe(best.totalBytes);
    expect(need({ schedule: 'layer' })).toBeGreaterThan(sram);
    // The planner's patch plan fits too: its 92,928-byte input image is streamed window by window, not held.
    const plannerPatch = benchMemory(packed('mcunet-in3_320kb-1mb_imagenet', { schedule: 'patch' }).bytes);
    expect(plannerPatch).toMatchObject({ inputStreamed: true, inputBufferBytes: 0 });
    expect(plannerPatch.totalBytes).toBe(plannerPatch.arenaBytes + BENCH_STATIC_BASE_BYTES + plannerPatch.outputBufferBytes + BENCH_STACK_BYTES);
    expect(plannerPatch.totalBytes).toBeLessThanOrEqual(sram);
    // auto ranks the stream plan (rings, +0 % MACs) lowest: it fits even with the input image in a static buffer.
    expect(need({ schedule: 'auto' })).toBeLessThanOrEqual(sram);
  });
});

test('link waits come from the board (pty or UART rate) and the model\'s MACs (3x the expected inference, at least 1 s)', () => {
  // QEMU: 30 instructions per MAC at 150 MIPS; mcunet-in3's 82.76 M MACs take ~16.6 s, so RUN waits 3x that.
  expect(linkTimeouts(loadBoard('emu-f746'), 82.76e6)).toEqual({ replyTimeoutMs: 500, perByteMs: 0.1, runTimeoutMs: 3 * 16_552 });
  expect(linkTimeouts(loadBoard('emu-f746'), 1e6).runTimeoutMs).toBe(1000);
  // Silicon: 30 cycles per MAC at the board's 216 MHz clock; the UART's wire time per byte.
  const disco = loadBoard('stm32f746g-disco');
  expect(linkTimeouts(disco, 82.76e6)).toEqual({ replyTimeoutMs: 250, perByteMs: perByteMsForBaud(disco.board.uart.baud), runTimeoutMs: 3 * 11_495 });
});
