// The `mcubench run` and `mcubench demo` commands through the CLI entry point, on the emulated emu-f746.
// With --dataset a board run goes through the evaluation pipeline: its task fields equal `mcubench eval`'s on the
// host, plus the board's own (host agreement, measured SRAM, instruction counts).
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../harness/cli/main';
import type { Results } from '../../harness/report/results';
import { REPO_ROOT } from '../support/paths';
import { goldenInputs, PERSON_DETECT, scratchDir, removeScratchDirs } from './hil-support';

jest.setTimeout(300_000);
afterAll(removeScratchDirs);

const PERSON_MODEL = path.join(REPO_ROOT, 'demo', 'models', 'person_detect.tflite');

async function cli(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const so = jest.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => { out.push(String(c)); return true; });
  const se = jest.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => { err.push(String(c)); return true; });
  const before = process.exitCode;
  try {
    const status = await main(['node', 'mcubench', ...args]);
    return { status, stdout: out.join(''), stderr: err.join('') };
  } finally {
    so.mockRestore();
    se.mockRestore();
    process.exitCode = before;
  }
}

const readResults = (dir: string): Results => JSON.parse(fs.readFileSync(path.join(dir, 'results.json'), 'utf8')) as Results;

/** The TFLM VWW BMPs as class folders: no_person = class 0, person = class 1 (person_detect's output order). */
function vwwFolders(): string {
  const root = scratchDir('vww');
  for (const name of ['no_person', 'person']) {
    fs.mkdirSync(path.join(root, name));
    fs.copyFileSync(path.join(REPO_ROOT, 'demo', 'vww', `${name}.bmp`), path.join(root, name, `${name}.bmp`));
  }
  return root;
}

describe('mcubench run: usage errors, before any board starts', () => {
  const inputs = goldenInputs(PERSON_DETECT, ['person']);
  test.each([
    ['no --model', ['run', '--inputs', inputs], /--model <model> is required/],
    ['neither --inputs nor --dataset', ['run', '--model', PERSON_MODEL], /give exactly one of --inputs <dir of \.bin> and --dataset <dir>/],
    ['--inputs without .bin files', ['run', '--model', PERSON_MODEL, '--inputs', REPO_ROOT], /--inputs .*: not a folder with \*\.bin input tensors/],
    ['unknown model', ['run', '--model', 'no-such-model', '--inputs', inputs], /--model no-such-model: no such file/],
    ['split without patches', ['run', '--model', PERSON_MODEL, '--inputs', inputs, '--schedule', 'patch', '--split', '8'], /--split and --patches go together/],
    ['unknown board', ['run', '--board', 'no-such-board', '--model', PERSON_MODEL, '--inputs', inputs], /no-such-board/],
  ])('%s', async (_what, args, message) => {
    const { status, stderr } = await cli(args);
    expect(status).toBe(1);
    expect(stderr).toMatch(message);
  });
});

test('run --dataset: the same task fields as mcubench eval, plus the board\'s', async () => {
  const data = vwwFolders();
  const boardOut = scratchDir('run-ds');
  const hostOut = scratchDir('eval-ds');
  const run = await cli(['run', '--model', PERSON_MODEL, '--dataset', data, '--int8-pixels', '--out', boardOut]);
  expect(run.stderr).toMatch(/no --board given, using emu-f746/);
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/outputs equal to the host reference: 2\/2\./);
  expect(run.stdout).toMatch(/SRAM: measured peak \d+ B \(static \d+ \+ stack \d+ \+ arena \d+\), planned arena peak 55296 B, board 327680 B/);
  // Where the time goes: the three slowest operators with their share of the operators' sum.
  expect(run.stdout).toMatch(/^latency: mean [\d,]+ instructions; slowest operators: (op \d+ [A-Z_0-9]+ \d+\.\d %(, )?){3}$/m);
  const host = await cli(['eval', PERSON_MODEL, '--dataset', data, '--int8-pixels', '--out', hostOut]);
  expect(host.status).toBe(0);

  const board = readResults(boardOut);
  const reference = readResults(hostOut);
  expect(board.board).toBe('emu-f746');
  expect(board.dataset).toBe(reference.dataset);
  expect(board.accuracy).toEqual(reference.accuracy);
  const task = (r: Results) => r.samples.map(({ name, outputSha256, label, predicted }) => ({ name, outputSha256, label, predicted }));
  expect(task(board)).toEqual(task(reference));
  // TFLM's own test images: the model must call person "person" and no_person "no person".
  expect(board.accuracy!.top1).toBe(1);
  expect(board.agreement).toBe(1);
  expect(board.samples.every((s) => s.matchesHost === true && s.instructions! > 0)).toBe(true);
  expect(board.sram!.measuredPeakBytes).toBe(board.sram!.staticBytes! + board.sram!.stackPeakBytes! + board.sram!.arenaPeakBytes!);
  expect(fs.readFileSync(path.join(boardOut, 'outputs', 'person', 'person.out')).equals(fs.readFileSync(path.join(hostOut, 'outputs', 'person', 'person.out')))).toBe(true);
});

test('demo: three markdown reports on emu-f746, every output bit-exact with the host', async () => {
  const out = scratchDir('demo');
  const { status, stdout, stderr } = await cli(['demo', '--out', out, '--limit', '1']);
  expect(stderr).not.toMatch(/differ from the host reference/);
  expect(status).toBe(0);
  const titles = stdout.match(/^# mcubench results: .*$/gm) ?? [];
  expect(titles).toEqual([
    '# mcubench results: person_detect on emu-f746',
    '# mcubench results: person_detect on emu-f746',
    '# mcubench results: mcunet-in3_320kb-1mb_imagenet on emu-f746',
  ]);
  expect(stdout.match(/\| bit-exact with host \| 100\.00 % \|/g)).toHaveLength(3);
  const mcunet = readResults(path.join(out, 'mcunet-in3-patch'));
  expect(mcunet.schedule).toEqual({ kind: 'patch', split: 21, patches: 2 });
  expect(mcunet.count).toBe(1);
  const layer = readResults(path.join(out, 'person_detect-layer')).sram!;
  const patch = readResults(path.join(out, 'person_detect-patch')).sram!;
  expect(patch.measuredPeakBytes!).toBeLessThan(layer.measuredPeakBytes!);
});
