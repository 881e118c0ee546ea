// Streamed input on the emulated boards (docs/protocol.md §5.9): under patch and stream schedules the bench firmware
// holds no input buffer and asks the host for each patch window or input row during the run. Real QEMU runs on golden
// inputs: every output equals TFLM's and the host addon's (which reads the same regions through the same runtime
// code), the board asks for exactly the bytes the host executor reads, and the static figures follow the fit
// formula (no input buffer, the output read back from the arena).
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { BENCH_STATIC_BASE_BYTES, benchMemory } from '../../harness/build/bench-firmware';
import { FaultyTransport } from '../../harness/link/faulty-transport';
import { loadModel } from '../../harness/model';
import { NativeModel } from '../../harness/native';
import { foldShapeOps } from '../../harness/pack';
import { packImage } from '../../harness/pack/pack-image';
import { selectSchedule } from '../../harness/pack/select-schedule';
import { BoardExecutor } from '../../harness/run/board-executor';
import { SHARED_GOLDEN, sharedModel } from '../support/paths';
import {
  expectConsistentMeasurements, expectGoldenOutputs, goldenInputs, goldenOutput, killer, MCUNET_IN3, PERSON_DETECT, runBoard, removeScratchDirs,
  type BoardRun,
} from './hil-support';

jest.setTimeout(600_000);
afterAll(removeScratchDirs);

/** Sizes of the bench firmware's static buffers in an ELF (nm), 0 when the symbol is absent. */
function bufferSymbols(elf: string): { input: number; output: number } {
  const out = execFileSync('arm-none-eabi-nm', ['-S', elf], { encoding: 'utf8' });
  const size = (name: string): number => parseInt(new RegExp(`^[0-9a-f]+ ([0-9a-f]+) [bBdD] ${name}$`, 'm').exec(out)?.[1] ?? '0', 16);
  return { input: size('input_buffer'), output: size('output_buffer') };
}

function report(run: BoardRun, what: string): void {
  const s = run.results.sram!;
  process.stdout.write(`${what}: measured total ${s.measuredPeakBytes} B (static ${s.staticBytes} + stack ${s.stackPeakBytes} + arena ` +
    `${s.arenaPeakBytes}), planned arena ${s.plannedPeakBytes} B, input streamed ${s.inputStreamed}\n`);
}

/** Every golden input of mcunet-in3 (the .bin files beside the TFLM outputs). */
const MCUNET_GOLDEN = fs.readdirSync(path.join(SHARED_GOLDEN, MCUNET_IN3.golden)).filter((f) => f.endsWith('.bin')).map((f) => f.replace(/\.bin$/, '')).sort();

describe('mcunet-in3 under --schedule stream', () => {
  test('emu-f746: every golden input bit-exact with TFLM and the host; no input or output buffer in the firmware', async () => {
    expect(MCUNET_GOLDEN.length).toBeGreaterThanOrEqual(9);
    let elf = '';
    const run = await runBoard({
      board: 'emu-f746', model: MCUNET_IN3, inputsDir: goldenInputs(MCUNET_IN3, MCUNET_GOLDEN), schedule: { schedule: 'stream' },
      onOpen: (executor) => { elf = executor.firmware.elf; },
    });
    report(run, 'mcunet-in3 stream on emu-f746');
    expect(run.results.schedule.kind).toBe('stream');
    expectGoldenOutputs(run, MCUNET_IN3, MCUNET_GOLDEN);
    expectConsistentMeasurements(run);
    expect(run.results.sram!.inputStreamed).toBe(true);
    // The formula the fit check uses: no input buffer (streamed), no output buffer (read from the arena); the
    // linked firmware agrees symbol by symbol, and its static data stays within the formula's allowance.
    const graph = foldShapeOps(loadModel(sharedModel(MCUNET_IN3.model))).graph;
    const memory = benchMemory(packImage(graph, selectSchedule(graph, { schedule: 'stream' })).bytes);
    expect(memory).toMatchObject({ inputStreamed: true, inputBufferBytes: 0, outputBufferBytes: 0, staticBytes: BENCH_STATIC_BASE_BYTES });
    expect(bufferSymbols(elf)).toEqual({ input: 0, output: 0 });
    expect(run.results.sram!.staticBytes!).toBeLessThanOrEqual(memory.staticBytes);
    // 92,928 input bytes no longer sit in .bss: what is left is the link, the receive ring and the runtime's state.
    expect(run.results.sram!.staticBytes!).toBeLessThan(5 * 1024);
  });

  test('emu-f412 (256 KB): the same plan fits and runs bit-exact', async () => {
    const names = MCUNET_GOLDEN.slice(0, 2);
    const run = await runBoard({ board: 'emu-f412', model: MCUNET_IN3, inputsDir: goldenInputs(MCUNET_IN3, names), schedule: { schedule: 'stream' } });
    report(run, 'mcunet-in3 stream on emu-f412');
    expectGoldenOutputs(run, MCUNET_IN3, names);
    expectConsistentMeasurements(run);
    expect(run.results.sram!.inputStreamed).toBe(true);
  });
});

describe('person_detect on emu-f746', () => {
  const graph = foldShapeOps(loadModel(sharedModel(PERSON_DETECT.model))).graph;
  const names = ['no_person', 'person'];

  // Split 8 on 4×4, as emu-f746.test.ts runs it: the firmware build is shared.
  const request = { schedule: 'patch', split: 8, patches: 4 } as const;

  test('patch schedule: bit-exact; the board asks for exactly the window bytes the host executor reads', async () => {
    const schedule = selectSchedule(graph, request);
    if (schedule.kind !== 'patch') throw new Error(`--schedule patch gave a ${schedule.kind} schedule`);
    const image = packImage(graph, schedule).bytes;
    const host = new NativeModel(image, PERSON_DETECT.model);
    const executor = await BoardExecutor.open({ board: 'emu-f746', graph, modelName: PERSON_DETECT.model, schedule: request });
    try {
      expect(executor.inputStreamed).toBe(true);
      expect(executor.boardSession.hello).toMatchObject({ inputStreamed: true, inputCapacity: 0 });
      expect(bufferSymbols(executor.firmware.elf)).toEqual({ input: 0, output: 0 });
      const latencies: number[] = [];
      for (const name of names) {
        const input = fs.readFileSync(path.join(SHARED_GOLDEN, PERSON_DETECT.golden, `${name}.bin`));
        const before = executor.boardSession.linkCountersNow();
        const run = await executor.run(name, input);
        const after = executor.boardSession.linkCountersNow();
        const reference = host.run(input);
        expect(Buffer.from(run.output).equals(goldenOutput(PERSON_DETECT, name))).toBe(true);
        expect((run.extra as { matchesHost: boolean }).matchesHost).toBe(true);
        // One region per patch on the host; the board fetches the same windows (in frames of at most 1000 bytes).
        expect(reference).toMatchObject({ inputStreamed: true, inputRegions: schedule.plan.patches ** 2 });
        expect(after.regionBytes - before.regionBytes).toBe(reference.inputRegionBytes);
        expect(reference.inputRegionBytes).toBeGreaterThan(input.length); // the halos overlap
        expect(run.latency).toBeGreaterThan(0);
        latencies.push(run.latency!);
      }
      // The time spent waiting for the host is left out: the same input costs the same instructions again, however
      // long its 16 windows took to arrive (a millisecond of waiting is a million instructions at -icount shift 0).
      // What may differ is a timer or UART interrupt or two landing inside the computation (~100 instructions).
      const again = await executor.run(names[0], fs.readFileSync(path.join(SHARED_GOLDEN, PERSON_DETECT.golden, `${names[0]}.bin`)));
      expect(Math.abs(again.latency! - latencies[0])).toBeLessThan(1000);
    } finally {
      await executor.close();
    }
  });

  test('bytes corrupted and dropped both ways during the region requests: resends recover every sample bit-exact', async () => {
    const injected: FaultyTransport[] = [];
    const run = await runBoard({
      board: 'emu-f746', model: PERSON_DETECT, inputsDir: goldenInputs(PERSON_DETECT, names), schedule: request,
      client: { replyTimeoutMs: 150, runTimeoutMs: 3000 },
      wrapTransport: (t) => {
        const faulty = new FaultyTransport(t, { tx: { seed: 21, flip: 1e-4, drop: 1e-4 }, rx: { seed: 22, flip: 5e-4, drop: 5e-4, garbage: 5e-4 } });
        injected.push(faulty);
        return faulty;
      },
    });
    expect(injected.reduce((n, f) => n + (f.tx?.total ?? 0) + (f.rx?.total ?? 0), 0)).toBeGreaterThan(0);
    expect(run.restarts).toBe(0);
    expectGoldenOutputs(run, PERSON_DETECT, names);
    expect(run.results.sram!.inputStreamed).toBe(true);
  });

  test('QEMU killed in the middle of the second sample\'s region requests: restarted, the sample redone, nothing counted twice', async () => {
    // The host writes only INPUT_REGION answers (and small requests): die once about 1.5 samples' regions went out.
    const kill = killer([35_000]);
    const run = await runBoard({
      board: 'emu-f746', model: PERSON_DETECT, inputsDir: goldenInputs(PERSON_DETECT, names), schedule: request,
      wrapTransport: kill.wrap, onOpen: kill.bind,
    });
    expect(kill.kills).toBe(1);
    expect(run.restarts).toBe(1);
    expectGoldenOutputs(run, PERSON_DETECT, names);
  });
});
