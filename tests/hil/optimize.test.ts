// `--optimize speed|size` on `mcubench build` and `mcubench run`: the firmware's compiler goal (-O2 by default,
// -Os on request). Both builds are different ELFs and both run bit-exact with TFLM's golden output on emu-f746.
import * as fs from 'fs';
import * as path from 'path';
import type { Results } from '../../harness/report/results';
import { cliInProcess as cli } from '../support/cli-in-process';
import { REPO_ROOT } from '../support/paths';
import { goldenInputs, goldenOutput, PERSON_DETECT, removeScratchDirs, scratchDir, sha256 } from './hil-support';

jest.setTimeout(300_000);
afterAll(removeScratchDirs);

const PERSON_MODEL = path.join(REPO_ROOT, 'demo', 'models', 'person_detect.tflite');
const readResults = (dir: string): Results => JSON.parse(fs.readFileSync(path.join(dir, 'results.json'), 'utf8')) as Results;

describe('--optimize: a clear error on a bad value, before anything is built', () => {
  const inputs = goldenInputs(PERSON_DETECT, ['person']);
  test.each([
    ['build', ['build', '--board', 'emu-f746', '--model', PERSON_MODEL, '--optimize', 'fast', '--out', '/tmp/never.elf']],
    ['run', ['run', '--model', PERSON_MODEL, '--inputs', inputs, '--optimize', 'O3']],
  ])('%s', async (_command, args) => {
    const { status, stderr } = await cli(args);
    expect(status).not.toBe(0);
    expect(stderr).toMatch(/--optimize <goal>.*argument '(fast|O3)' is invalid\. Allowed choices are speed, size/);
  });

  test('run --dut runs a given firmware: --optimize is refused, naming where it belongs', async () => {
    const { status, stderr } = await cli(['run', '--dut', 'mlperf-tiny', '--port', '/dev/null', '--model', PERSON_MODEL, '--inputs', inputs, '--optimize', 'size']);
    expect(status).toBe(1);
    expect(stderr).toMatch(/--optimize applies to the firmware mcubench builds; with --dut .*mcubench build --dut mlperf-tiny --optimize/);
  });
});

test('build --optimize size and speed: two ELFs; run --optimize size and the default both bit-exact', async () => {
  const dir = scratchDir('optimize');
  const built: Record<string, { text: number; sha: string }> = {};
  for (const goal of ['size', 'speed']) {
    const elf = path.join(dir, `${goal}.elf`);
    const { status, stdout, stderr } = await cli(['build', '--board', 'emu-f746', '--model', PERSON_MODEL, '--optimize', goal, '--out', elf]);
    expect(stderr).not.toMatch(/mcubench:/);
    expect(status).toBe(0);
    expect(stdout).toContain(`(emu-f746, ${goal === 'size' ? '-Os' : '-O2'}`);
    built[goal] = { text: Number(/text (\d+)/.exec(stdout)![1]), sha: sha256(fs.readFileSync(elf)) };
  }
  expect(built.size.sha).not.toBe(built.speed.sha);
  expect(built.size.text).toBeLessThan(built.speed.text);
  process.stdout.write(`person_detect emu-f746 firmware .text: -Os ${built.size.text} B, -O2 ${built.speed.text} B\n`);

  const inputs = goldenInputs(PERSON_DETECT, ['person']);
  const golden = sha256(goldenOutput(PERSON_DETECT, 'person'));
  const latency: Record<string, number> = {};
  for (const goal of ['size', 'default']) {
    const out = path.join(dir, `run-${goal}`);
    const { status, stderr } = await cli(['run', '--model', PERSON_MODEL, '--inputs', inputs, '--out', out, ...(goal === 'size' ? ['--optimize', 'size'] : [])]);
    expect(stderr).not.toMatch(/mcubench:/);
    expect(status).toBe(0);
    const r = readResults(out);
    expect(r.agreement).toBe(1);
    expect(r.samples[0].outputSha256).toBe(golden);
    expect(r.environment?.compilerFlags).toContain(goal === 'size' ? ' -Os ' : ' -O2 ');
    // The very ELF `build` wrote for that goal (the default is speed): run took it from the firmware cache.
    expect(r.samples[0].run?.firmwareSha256).toBe(built[goal === 'size' ? 'size' : 'speed'].sha);
    latency[goal] = r.latency!.mean;
  }
  process.stdout.write(`person_detect emu-f746 instructions per inference: -Os ${latency.size}, -O2 ${latency.default}\n`);
  expect(latency.size).not.toBe(latency.default);
});
