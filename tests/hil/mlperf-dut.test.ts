// The MLPerf Tiny DUT protocol both ways, in QEMU: our bench firmware built with --dut mlperf-tiny answers the
// command set (name%, profile%, db load N%, db <hex>%, infer N W%, results%) and our runner (`run --dut
// mlperf-tiny`) drives it; the outputs equal, bit for bit, what our own protocol's firmware gives for the same
// inputs (and TFLM's golden outputs). A DUT that stays silent gets a clear error.
import * as fs from 'fs';
import * as path from 'path';
import { loadBoard } from '../../harness/boards';
import { prepareBoardFirmware } from '../../harness/build/board-firmware';
import { outputCodecs, valuesToBytes } from '../../harness/dut/dut-executor';
import { DutProtocolError, MlperfDut, parseResults } from '../../harness/dut/mlperf-tiny';
import { planImage } from '../../harness/pack/image-for-model';
import { readImage } from '../../harness/pack/read-image';
import { runDut } from '../../harness/index';
import { SerialTransport } from '../../harness/link/serial-transport';
import { loadModel } from '../../harness/model';
import { launchTarget, type Target } from '../../harness/targets';
import { PtyConsole } from '../harness/targets/device/pty-console';
import { sharedModel } from '../support/paths';
import { expectGoldenOutputs, goldenInputs, goldenOutput, PERSON_DETECT, removeScratchDirs, runBoard, scratchDir } from './hil-support';

jest.setTimeout(300_000);
afterAll(removeScratchDirs);

const NAMES = ['no_person', 'person', 'random1'];
const inputs = goldenInputs(PERSON_DETECT, NAMES);
let elf: string;

beforeAll(async () => {
  const built = await prepareBoardFirmware({
    board: loadBoard('emu-f746'), graph: loadModel(sharedModel(PERSON_DETECT.model)), modelName: PERSON_DETECT.model,
    schedule: { schedule: 'layer' }, dut: 'mlperf-tiny',
  });
  elf = built.firmware.elf;
});

test('run --dut mlperf-tiny on our firmware gives the outputs of our own protocol, bit for bit', async () => {
  const outDir = scratchDir('dut');
  const dut = await runDut({ modelFile: sharedModel(PERSON_DETECT.model), datasetDir: inputs, schedule: { schedule: 'layer' }, outDir, board: 'emu-f746', elf, progress: false });
  const ours = await runBoard({ board: 'emu-f746', model: PERSON_DETECT, inputsDir: inputs, schedule: { schedule: 'layer' } });
  expectGoldenOutputs(ours, PERSON_DETECT, NAMES);
  expect(dut.results.count).toBe(NAMES.length);
  for (const name of NAMES) {
    const viaDut = fs.readFileSync(path.join(outDir, 'outputs', `${name}.out`));
    expect(viaDut.equals(fs.readFileSync(path.join(ours.outDir, 'outputs', `${name}.out`)))).toBe(true);
    expect(viaDut.equals(goldenOutput(PERSON_DETECT, name))).toBe(true);
  }
  expect(dut.results.agreement).toBe(1);
  expect(dut.results.board).toBe('emu-f746');
});

describe('our firmware as an MLPerf Tiny DUT', () => {
  let target: Target;
  let transport: SerialTransport;
  let dut: MlperfDut;
  beforeAll(async () => {
    target = await launchTarget(loadBoard('emu-f746'), elf, { paused: true });
    transport = new SerialTransport({ path: target.consolePath });
    await transport.open();
    await target.resume();
    dut = new MlperfDut(transport);
    await dut.waitReady();
  });
  afterAll(async () => {
    dut.dispose();
    await transport.close();
    await target.stop();
  });

  test('answers name% and profile% in the command set\'s m- line format', async () => {
    expect(await dut.name()).toBe('mcubench');
    expect(await dut.profile()).toEqual(['m-profile-[mcubench MLPerf Tiny DUT 1]', 'm-model-[emu-f746]', 'm-input-bytes-[9216]', 'm-output-bytes-[2]']);
    expect(dut.transcript[0]).toBe('m-init-done');
  });

  test('db load, db <hex>, infer N W and results%: the results line and two lap marks', async () => {
    const input = fs.readFileSync(path.join(inputs, 'person.bin'));
    await dut.load(input);
    const inference = await dut.infer(2, 1);
    const golden = goldenOutput(PERSON_DETECT, 'person');
    // The int8 outputs dequantized with the output tensor's scale and zero point, printed to 6 decimals; they map
    // back to exactly TFLM's bytes.
    const [codec] = outputCodecs(readImage(planImage(loadModel(sharedModel(PERSON_DETECT.model)), { schedule: 'layer' }).image.bytes));
    expect(inference.results).toEqual([...golden].map((b) => Number((((b << 24) >> 24) - codec.zeroPoint) * codec.scale).toFixed(6)).map(Number));
    expect(Buffer.from(valuesToBytes(inference.results, [codec])).equals(golden)).toBe(true);
    expect(inference.count).toBe(2);
    expect(inference.micros).toBeGreaterThan(0);
    const again = await dut.command('results');
    expect(parseResults(again[0])).toEqual(inference.results);
    const lines = dut.transcript.slice(-12);
    expect(lines).toEqual(expect.arrayContaining(['m-warmup-start-1', 'm-warmup-done', 'm-infer-start-2', 'm-infer-done']));
  });

  test('answers `infer 1%` in the shape of a transcript of the MLPerf Tiny runner driving a reference DUT', async () => {
    // The runner's log: db load 490% → m-[Expecting 490 bytes]; db <hex>% → m-load-done once full; infer 1% →
    // m-warmup-start-10, m-warmup-done, m-infer-start-1, m-lap-us-<t>, m-lap-us-<t>, m-infer-done, m-results-[…].
    await dut.load(fs.readFileSync(path.join(inputs, 'no_person.bin')));
    const answer = await dut.command('infer 1', 60_000);
    expect(answer.map((l) => l.replace(/\d+$/, 'N').replace(/\[.*\]$/, '[…]'))).toEqual([
      'm-warmup-start-N', 'm-warmup-done', 'm-infer-start-N', 'm-lap-us-N', 'm-lap-us-N', 'm-infer-done', 'm-results-[…]',
    ]);
    expect(answer[0]).toBe('m-warmup-start-10');
    expect(answer[2]).toBe('m-infer-start-1');
  });

  test('refuses what the protocol does not allow, naming it, and keeps answering', async () => {
    await expect(dut.command('db load 5')).rejects.toThrow(new DutProtocolError(`DUT on ${transport.name} refused 'db load 5%': e-[db load N: N must be the model's input size]`));
    await expect(dut.command('db zz')).rejects.toThrow(/e-\[bad hex\]/);
    await expect(dut.command('warp 9')).rejects.toThrow(/e-\[unknown command\]/);
    await expect(dut.command('x'.repeat(300))).rejects.toThrow(/e-\[command too long\]/);
    expect(await dut.name()).toBe('mcubench');
  });
});

test('a silent DUT: a clear error naming the port and the command, no results written', async () => {
  const pty = await PtyConsole.open();
  const outDir = scratchDir('silent');
  try {
    const err = await runDut({ modelFile: sharedModel(PERSON_DETECT.model), datasetDir: inputs, schedule: { schedule: 'layer' }, outDir, port: pty.path, progress: false })
      .then(() => undefined, (e: Error) => e);
    expect(err).toBeInstanceOf(DutProtocolError);
    expect(err!.message).toBe(`DUT on ${pty.path} sent no line for 5000 ms during 'name%' (last heard: nothing at all); is it an MLPerf Tiny DUT at this baud rate?`);
    expect(fs.existsSync(path.join(outDir, 'results.json'))).toBe(false);
  } finally {
    pty.close();
  }
});

/** A scripted DUT on a pty: answers the command set, garbling the results of the inference numbered `garble`. */
function scriptedDut(pty: PtyConsole, garble: number): () => void {
  let seen = 0;
  let expected = 0;
  let loaded = 0;
  let inferences = 0;
  const timer = setInterval(() => {
    const text = pty.received.slice(seen);
    const end = text.indexOf('%');
    if (end < 0) return;
    seen += end + 1;
    const command = text.slice(0, end).trim();
    let answer = '';
    if (command === 'name') answer = 'm-name-dut-[scripted]\r\n';
    else if (command === 'profile') answer = 'm-profile-[ULPMark for tinyML Firmware V0.0.1]\r\nm-model-[vww01]\r\n';
    else if (command.startsWith('db load ')) { expected = Number(command.slice(8)); loaded = 0; answer = `m-[Expecting ${expected} bytes]\r\n`; }
    else if (command.startsWith('db ')) { loaded += (command.length - 3) / 2; if (loaded >= expected) answer = 'm-load-done\r\n'; }
    else if (command.startsWith('infer ')) {
      const values = inferences++ === garble ? '0.5,zz' : '0.5,0.25';
      answer = `m-warmup-start-1\r\nm-warmup-done\r\nm-infer-start-1\r\nm-lap-us-100\r\nm-lap-us-300\r\nm-infer-done\r\nm-results-[${values}]\r\n`;
    } else answer = `e-[Unknown command: ${command}]\r\n`;
    pty.send(`${answer}m-ready\r\n`);
  }, 5);
  return () => clearInterval(timer);
}

test('a DUT that garbles a result: a clear error naming the value, the finished samples kept, and --resume completes the run', async () => {
  const outDir = scratchDir('garbled');
  const request = { modelFile: sharedModel(PERSON_DETECT.model), datasetDir: inputs, schedule: { schedule: 'layer' as const }, outDir, progress: false as const };
  const first = await PtyConsole.open();
  const stopFirst = scriptedDut(first, 1);
  try {
    const err = await runDut({ ...request, port: first.path }).then(() => undefined, (e: Error) => e);
    expect(err).toBeInstanceOf(DutProtocolError);
    expect(err!.message).toMatch(/m-results value 'zz' is not a number/);
    expect(fs.existsSync(path.join(outDir, 'results.json'))).toBe(false);
    expect(fs.readFileSync(path.join(outDir, 'journal.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
  } finally {
    stopFirst();
    first.close();
  }
  const second = await PtyConsole.open();
  const stopSecond = scriptedDut(second, -1);
  try {
    const outcome = await runDut({ ...request, port: second.path, resume: true });
    expect(outcome.results.samples.map((s) => s.name).sort()).toEqual([...NAMES].sort());
    expect(fs.readFileSync(path.join(outDir, 'journal.jsonl'), 'utf8').trim().split('\n')).toHaveLength(NAMES.length);
  } finally {
    stopSecond();
    second.close();
  }
});
