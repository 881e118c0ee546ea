// Link faults on a real emulated board (person_detect on emu-f746): bytes corrupted and dropped between the harness
// and QEMU's pty, and QEMU killed in the middle of a run. The run either recovers or stops with a clear LinkError;
// no finished sample is ever lost or counted twice (checked in the journal and the results).
import { FaultyTransport } from '../../harness/link/faulty-transport';
import { LinkError } from '../../harness/link/link-errors';
import { loadModel } from '../../harness/model';
import { BoardExecutor } from '../../harness/run/board-executor';
import { BoardSession } from '../../harness/run/board-session';
import { sharedModel } from '../support/paths';
import { expectGoldenOutputs, goldenInputs, journalSamples, killer, PERSON_DETECT, runBoard, scratchDir, removeScratchDirs } from './hil-support';

jest.setTimeout(300_000);
afterAll(removeScratchDirs);

const NAMES = ['no_person', 'person', 'random1'];
const INPUT_BYTES = 96 * 96;

describe('emu-f746 link faults: person_detect', () => {
  const inputs = goldenInputs(PERSON_DETECT, NAMES);

  test('corrupted and dropped bytes in both directions: retransmissions recover every sample bit-exact', async () => {
    const injected: FaultyTransport[] = [];
    const run = await runBoard({
      board: 'emu-f746', model: PERSON_DETECT, inputsDir: inputs, schedule: { schedule: 'layer' },
      // Short waits so the damaged requests are retransmitted quickly; person_detect runs in well under a second.
      client: { replyTimeoutMs: 150, runTimeoutMs: 3000 },
      wrapTransport: (t) => {
        const faulty = new FaultyTransport(t, { tx: { seed: 11, flip: 5e-5, drop: 5e-5 }, rx: { seed: 12, flip: 5e-4, drop: 5e-4, garbage: 5e-4 } });
        injected.push(faulty);
        return faulty;
      },
    });
    const damage = injected.reduce((n, f) => n + (f.tx?.total ?? 0) + (f.rx?.total ?? 0), 0);
    expect(damage).toBeGreaterThan(0);
    expect(run.retransmissions).toBeGreaterThan(0);
    expect(run.restarts).toBe(0);
    expectGoldenOutputs(run, PERSON_DETECT, NAMES);
  });

  test('QEMU killed while the second sample uploads: the board restarts, the sample is redone, nothing counted twice', async () => {
    // Boot 0 dies once the second input is half sent; boot 1 runs undisturbed.
    const kill = killer([INPUT_BYTES * 1.5]);
    const run = await runBoard({
      board: 'emu-f746', model: PERSON_DETECT, inputsDir: inputs, schedule: { schedule: 'layer' },
      wrapTransport: kill.wrap, onOpen: kill.bind,
    });
    expect(kill.kills).toBe(1);
    expect(run.restarts).toBe(1);
    expectGoldenOutputs(run, PERSON_DETECT, NAMES);
  });

  test('QEMU killed again during the retry: a clear LinkError, the finished sample kept; --resume completes the run', async () => {
    const outDir = scratchDir('faults-resume');
    const kill = killer([INPUT_BYTES * 1.5, INPUT_BYTES / 2]);
    const error = await runBoard({
      board: 'emu-f746', model: PERSON_DETECT, inputsDir: inputs, schedule: { schedule: 'layer' }, outDir,
      wrapTransport: kill.wrap, onOpen: kill.bind,
    }).then(() => undefined, (err: unknown) => err);
    expect(error).toBeInstanceOf(LinkError);
    expect((error as Error).message).toMatch(/^sample 'person' failed twice on board emu-f746, giving up: .*finished samples are kept \(rerun with --resume\)/);
    expect(kill.kills).toBe(2);
    expect(journalSamples(outDir)).toEqual(['no_person']);

    const resumed = await runBoard({ board: 'emu-f746', model: PERSON_DETECT, inputsDir: inputs, schedule: { schedule: 'layer' }, outDir, resume: true });
    expect(resumed.outcome.resumed).toBe(1);
    expect(resumed.outcome.ran).toBe(2);
    expectGoldenOutputs(resumed, PERSON_DETECT, NAMES);
  });

  test('a board holding another model is refused at hello, naming both model hashes', async () => {
    const executor = await BoardExecutor.open({ board: 'emu-f746', graph: loadModel(sharedModel(PERSON_DETECT.model)), modelName: PERSON_DETECT.model, schedule: { schedule: 'layer' } });
    const { board, firmware, modelHash } = executor;
    await executor.close();
    const other = 'f'.repeat(64);
    const error = await BoardSession.start({ board, elf: firmware.elf, modelHash: other, modelName: 'other-model' }).then(() => undefined, (err: unknown) => err);
    expect(error).toBeInstanceOf(LinkError);
    expect((error as Error).message).toBe(`board emu-f746 holds model ${modelHash.slice(0, 16)}, not other-model (${other.slice(0, 16)}); ` +
      'the firmware and the model image are out of step: rebuild');
  });
});
