// `mcubench infer` end to end: real models and the TFLM golden vectors, single files and --batch, every
// schedule kind, and the errors a user meets first.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO_ROOT, SHARED_GOLDEN, sharedModel } from '../support/paths';
import { scheduleRequest } from '../../harness/cli/options';
import { ensureAddon } from './pack/addon-fixture';
import { goldenModels, goldenOutput, mismatchReport } from './pack/golden-vectors';
import { main } from '../../harness/cli/main';
import { loadModel } from '../../harness/model';
import { NativeModel } from '../../harness/native';
import { packImage } from '../../harness/pack';
import { planLayers } from '../../harness/plan';

beforeAll(ensureAddon, 300000);

let tmp: string;
beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcb-infer-')); });
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function mcubench(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'mcubench.js'), 'infer', ...args], { encoding: 'utf8', timeout: 120000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const golden = (name: string, file: string): string => path.join(SHARED_GOLDEN, name, file);

test('person_detect --batch: every golden vector bit-exact, model loaded once', () => {
  const r = mcubench(sharedModel('person_detect'), '--batch', path.join(SHARED_GOLDEN, 'person_detect'), '--out', tmp, '--threads', '2');
  expect(r.stderr).toMatch(/8 inputs/);
  expect(r.status).toBe(0);
  const vectors = goldenModels().find((m) => m.name === 'person_detect')!.vectors;
  for (const v of vectors) expect(fs.readFileSync(path.join(tmp, `${v}.out`)).equals(goldenOutput('person_detect', v))).toBe(true);
});

test('mcunet-in3, patch schedule (split 10, 3 patches): single input bit-exact', () => {
  const out = path.join(tmp, 'tench.out');
  const r = mcubench(sharedModel('mcunet-in3_320kb-1mb_imagenet'), golden('mcunet-in3_320kb-1mb_imagenet', 'in_n01440764_tench.bin'), out,
    '--schedule', 'patch', '--split', '10', '--patches', '3');
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(fs.readFileSync(out).equals(goldenOutput('mcunet-in3_320kb-1mb_imagenet', 'in_n01440764_tench'))).toBe(true);
});

test('tinyengine_vww (float32 boundary) with --schedule auto: bit-exact float outputs', () => {
  const r = mcubench(sharedModel('tinyengine_vww'), '--batch', path.join(SHARED_GOLDEN, 'tinyengine_vww'), '--out', tmp, '--schedule', 'auto');
  expect(r.status).toBe(0);
  for (const v of goldenModels().find((m) => m.name === 'tinyengine_vww')!.vectors) {
    const out = fs.readFileSync(path.join(tmp, `${v}.out`));
    expect(out.length).toBe(8); // [1,2] float32
    expect(out.equals(goldenOutput('tinyengine_vww', v))).toBe(true);
  }
});

test('a wrong input size names the expected and actual bytes and the input tensor', () => {
  const r = mcubench(sharedModel('person_detect'), golden('mlperf_tiny_kws_ref_model', 'random1.bin'), path.join(tmp, 'x.out'));
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/input is 490 bytes, the model expects 9216 bytes \(input 'input' int8 \[1,96,96,1\], 9216 bytes\)/);
  expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
});

test('an empty batch directory is a usage error, exit 1', () => {
  const r = mcubench(sharedModel('person_detect'), '--batch', tmp);
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/no \*\.bin input files/);
});

test('schedule flags: contradictions are usage errors, --split/--patches imply patch', () => {
  expect(scheduleRequest({ schedule: 'patch' })).toEqual({ schedule: 'patch' }); // the planner's choice
  expect(() => scheduleRequest({ schedule: 'patch', split: '8' })).toThrow(/--split and --patches go together/);
  expect(() => scheduleRequest({ schedule: 'diagonal' })).toThrow(/expected layer, patch, stream or auto/);
  expect(() => scheduleRequest({ schedule: 'layer', split: '3', patches: '2' })).toThrow(/only apply with --schedule patch/);
  expect(() => scheduleRequest({ split: '0', patches: '2' })).toThrow(/--split 0: expected a positive integer/);
  expect(scheduleRequest({ split: '8', patches: '4' })).toEqual({ schedule: 'patch', split: 8, patches: 4 });
  expect(scheduleRequest({})).toEqual({ schedule: 'layer' });
});

describe('every golden model through the CLI entry point (in-process, first vector)', () => {
  test.each(goldenModels().map((m) => [m.name, m.vectors[0]]))('%s / %s', async (name, vector) => {
    const out = path.join(tmp, `${vector}.out`);
    const model = goldenModels().find((m) => m.name === name)!.model;
    const code = await main(['node', 'mcubench', 'infer', model, golden(name, `${vector}.bin`), out]);
    expect(code).toBe(0);
    if (!fs.readFileSync(out).equals(goldenOutput(name, vector))) {
      const graph = loadModel(model);
      const native = new NativeModel(packImage(graph, { kind: 'layer', plan: planLayers(graph) }).bytes, name);
      throw new Error(mismatchReport(name, native, graph, vector));
    }
  });
});

test('--schedule patch alone takes the planner\'s choice: yolo-fastest split 33, 3x3, bit-exact with its golden', () => {
  const golden = path.join(SHARED_GOLDEN, 'yolo-fastest-1.1-int8');
  const out = path.join(tmp, 'yolo.out');
  const r = mcubench(sharedModel('yolo-fastest-1.1-int8'), path.join(golden, 'voc_2007_000256.bin'), out, '--schedule', 'patch');
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(fs.readFileSync(out).equals(fs.readFileSync(path.join(golden, 'voc_2007_000256.out')))).toBe(true);
  const none = mcubench(sharedModel('mlperf_tiny_ad01_int8'), path.join(golden, 'voc_2007_000256.bin'), out, '--schedule', 'patch');
  expect(none.status).toBe(1);
  expect(none.stderr).toMatch(/no patch-based plan exists .*FULLY_CONNECTED.*use --schedule layer/);
});

test('an output path in a missing folder, or a folder, is refused before the run, without a stack trace', () => {
  const input = golden('person_detect', 'person.bin');
  const missing = mcubench(sharedModel('person_detect'), input, path.join(tmp, 'no', 'such', 'x.out'));
  expect(missing.status).toBe(1);
  expect(missing.stderr).toBe(`mcubench: ${path.join(tmp, 'no', 'such', 'x.out')}: the folder ${path.join(tmp, 'no', 'such')} does not exist; create it first or write the output elsewhere\n`);
  const folder = mcubench(sharedModel('person_detect'), input, tmp);
  expect(folder.status).toBe(1);
  expect(folder.stderr).toBe(`mcubench: ${tmp}: is a folder; give a file path for the output bytes (or use --batch <dir> --out <dir>)\n`);
  const file = path.join(tmp, 'a-file');
  fs.writeFileSync(file, '');
  const batch = mcubench(sharedModel('person_detect'), '--batch', path.join(SHARED_GOLDEN, 'person_detect'), '--out', file);
  expect(batch.status).toBe(1);
  expect(batch.stderr).toBe(`mcubench: --out ${file}: is a file; give a folder for the .out files\n`);
});
