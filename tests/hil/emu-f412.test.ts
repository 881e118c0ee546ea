// The SRAM limit of the emulated STM32F412 (256 KB): mcunet-in3's layer-based plan does not fit and `mcubench run`
// says so before building, naming both figures and a patch plan that fits; that patch plan then runs bit-exact.
import * as fs from 'fs';
import { BuildError } from '../../harness/build';
import { BENCH_STACK_BYTES } from '../../harness/build/bench-firmware';
import { main } from '../../harness/cli/main';
import { loadModel } from '../../harness/model';
import { NativeModel } from '../../harness/native';
import { readImageSummary } from '../../harness/pack';
import { packImage } from '../../harness/pack/pack-image';
import { selectSchedule } from '../../harness/pack/select-schedule';
import { BoardExecutor } from '../../harness/run/board-executor';
import { sharedModel } from '../support/paths';
import { expectConsistentMeasurements, expectGoldenOutputs, goldenInputs, MCUNET_IN3, runBoard, scratchDir, removeScratchDirs } from './hil-support';

jest.setTimeout(300_000);
afterAll(removeScratchDirs);

/** boards/chips/stm32f412.json: 256 KiB of SRAM. */
const F412_SRAM = 256 * 1024;
const align16 = (n: number): number => Math.ceil(n / 16) * 16;
const NOT_FIT = /^model mcunet-in3_320kb-1mb_imagenet does not fit emu-f412: layer-based plan needs (\d+) B of SRAM \(arena (\d+) \+ static (\d+) \+ stack (\d+)\), the board has (\d+) B; try --schedule patch --split (\d+) --patches (\d+) \(best fitting patch plan: split (\d+), (\d+)×(\d+), (\d+) B/;

describe('emu-f412: mcunet-in3', () => {
  const graph = loadModel(sharedModel(MCUNET_IN3.model));
  let suggested: { split: number; patches: number; bytes: number } | undefined;

  test('layer schedule: "does not fit" naming the need and the board\'s SRAM, before any build', async () => {
    const error = await BoardExecutor.open({ board: 'emu-f412', graph, modelName: MCUNET_IN3.model, schedule: { schedule: 'layer' } })
      .then(() => undefined, (err: unknown) => err);
    expect(error).toBeInstanceOf(BuildError);
    const message = (error as Error).message;
    const m = NOT_FIT.exec(message);
    expect(m).not.toBeNull();
    const [need, arena, staticBytes, stack, have, split, patches, split2, p1, p2, fitBytes] = m!.slice(1).map(Number);
    // The arena the firmware would need, derived from the packed layer-based image itself: plan arena + kernel scratch.
    const image = packImage(graph, selectSchedule(graph, { schedule: 'layer' })).bytes;
    const header = readImageSummary(image);
    expect(arena).toBe(align16(align16(header.arenaSize) + header.scratchSize));
    expect(arena).toBeGreaterThan(240 * 1024);
    expect(need).toBe(arena + staticBytes + stack);
    expect(have).toBe(F412_SRAM);
    expect(need).toBeGreaterThan(have);
    expect(stack).toBe(BENCH_STACK_BYTES);
    // The layer-based image receives its input straight into the arena: static holds little besides the 1000-byte output.
    expect(staticBytes).toBeLessThan(8 * 1024);
    expect([split2, p1, p2]).toEqual([split, patches, patches]);
    expect(fitBytes).toBeLessThanOrEqual(F412_SRAM);
    suggested = { split, patches, bytes: fitBytes };
  });

  test('the CLI prints the same message and exits with status 1', async () => {
    const errors: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { errors.push(String(chunk)); return true; });
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const inputs = goldenInputs(MCUNET_IN3, ['in_n01440764_tench']);
    const out = scratchDir('f412-cli');
    try {
      const status = await main(['node', 'mcubench', 'run', '--board', 'emu-f412', '--model', sharedModel(MCUNET_IN3.model), '--inputs', inputs, '--out', out]);
      expect(status).toBe(1);
    } finally {
      spy.mockRestore();
      stdout.mockRestore();
    }
    expect(errors.join('')).toMatch(/mcubench: model mcunet-in3_320kb-1mb_imagenet does not fit emu-f412: layer-based plan needs \d+ B of SRAM .* the board has 262144 B; try --schedule patch/);
    expect(fs.existsSync(`${out}/results.json`)).toBe(false);
  });

  test('the suggested patch plan fits, runs bit-exact and measures below 256 KB', async () => {
    expect(suggested).toBeDefined();
    const { split, patches } = suggested!;
    const names = ['in_n01440764_tench', 'in_n02444819_otter'];
    const run = await runBoard({ board: 'emu-f412', model: MCUNET_IN3, inputsDir: goldenInputs(MCUNET_IN3, names), schedule: { schedule: 'patch', split, patches } });
    expect(run.results.board).toBe('emu-f412');
    expect(run.results.schedule).toEqual({ kind: 'patch', split, patches });
    expectGoldenOutputs(run, MCUNET_IN3, names);
    expectConsistentMeasurements(run);
    const sram = run.results.sram!;
    const inputBytes = new NativeModel(packImage(graph, selectSchedule(graph, { schedule: 'patch', split, patches })).bytes).info.inputBytes;
    expect(inputBytes).toBe(176 * 176 * 3);
    // The patch stage asks the host for each input window: the image is not in the firmware's static data.
    expect(sram.inputStreamed).toBe(true);
    expect(sram.staticBytes).toBeLessThan(inputBytes);
    expect(sram.measuredPeakBytes).toBeLessThanOrEqual(F412_SRAM);
    expect(sram.measuredPeakBytes).toBeLessThanOrEqual(suggested!.bytes);
    process.stdout.write(`mcunet-in3 on emu-f412, patch split ${split} ${patches}x${patches}: measured peak ${sram.measuredPeakBytes} B ` +
      `(static ${sram.staticBytes} + stack ${sram.stackPeakBytes} + arena ${sram.arenaPeakBytes}), planned arena peak ${sram.plannedPeakBytes} B\n`);
  });
});
