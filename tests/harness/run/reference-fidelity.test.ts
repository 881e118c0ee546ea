// `mcubench eval --reference <run>`: fidelity against another run's outputs, on the real person_detect model and
// the TFLM VWW images. Layer and patch schedules are bit-exact with each other; a corrupted reference output is
// reported with its per-tensor errors, computed here independently from the bytes.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cliInProcess } from '../../support/cli-in-process';
import type { Results } from '../../../harness/report/results';
import { REPO_ROOT } from '../../support/paths';
import { schemaCheck } from '../../../harness/schema/json-schema';

jest.setTimeout(120_000);
const MODEL = path.join(REPO_ROOT, 'demo', 'models', 'person_detect.tflite');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcubench-reference-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const cli = cliInProcess;

function vww(): string {
  const root = path.join(tmp, 'vww');
  for (const name of ['no_person', 'person']) {
    fs.mkdirSync(path.join(root, name), { recursive: true });
    fs.copyFileSync(path.join(REPO_ROOT, 'demo', 'vww', `${name}.bmp`), path.join(root, name, `${name}.bmp`));
  }
  return root;
}

test('eval --reference: bit-exact across schedules; a changed reference byte shows up with its error', async () => {
  const dataset = vww();
  const layer = path.join(tmp, 'layer');
  const common = ['--dataset', dataset, '--int8-pixels', '--threads', '1'];
  expect((await cli(['eval', MODEL, ...common, '--out', layer])).status).toBe(0);
  const patch = path.join(tmp, 'patch');
  const r1 = await cli(['eval', MODEL, ...common, '--schedule', 'patch', '--split', '6', '--patches', '2', '--out', patch, '--reference', layer]);
  expect(r1.stderr).not.toMatch(/Error/);
  expect(r1.status).toBe(0);
  const exact = JSON.parse(fs.readFileSync(path.join(patch, 'results.json'), 'utf8')) as Results;
  expect(exact.fidelity).toMatchObject({ bitExactRate: 1, samples: 2, bitExactSamples: 2, maxAbsError: 0, top1Agreement: 1, reference: 'layer' });
  expect(exact.fidelity!.mismatches).toBeUndefined();

  // person_detect's output: int8 [1, 2], softmax scale 1/256, zero point −128. Flip the "person" score of one sample.
  const tampered = path.join(tmp, 'tampered');
  fs.cpSync(layer, tampered, { recursive: true });
  const file = path.join(tampered, 'outputs', 'person', 'person.out');
  const bytes = fs.readFileSync(file);
  const before = [(bytes[0] << 24) >> 24, (bytes[1] << 24) >> 24];
  bytes[1] = (bytes[1] - 10) & 0xff;
  fs.writeFileSync(file, bytes);
  const again = path.join(tmp, 'again');
  expect((await cli(['eval', MODEL, ...common, '--out', again, '--reference', tampered])).status).toBe(0);
  const written = JSON.parse(fs.readFileSync(path.join(again, 'results.json'), 'utf8')) as Results;
  expect(schemaCheck('results')(written)).toEqual([]);
  expect(schemaCheck('results')(exact)).toEqual([]);
  const f = written.fidelity!;
  expect(f).toMatchObject({ bitExactRate: 0.5, samples: 2, bitExactSamples: 1, reference: 'tampered' });
  const err = 10 / 256; // one element off by 10 quantization steps of 1/256
  expect(f.maxAbsError).toBeCloseTo(err, 12);
  expect(f.mae).toBeCloseTo(err / 2, 12);
  expect(f.rmse).toBeCloseTo(Math.sqrt((err * err) / 2), 12);
  expect(f.mismatches).toEqual([{ name: 'person/person', mismatched: 1, elements: 2, outputs: [expect.objectContaining({ output: 0, maxAbsError: f.maxAbsError })] }]);
  const real = before.map((q) => (q + 128) / 256);
  const changed = [real[0], real[1] - err];
  const cos = (real[0] * changed[0] + real[1] * changed[1]) / Math.hypot(...real) / Math.hypot(...changed);
  expect(f.cosine).toBeCloseTo(cos, 12);

  const bad = await cli(['eval', MODEL, ...common, '--out', path.join(tmp, 'bad'), '--reference', path.join(tmp, 'nowhere')]);
  expect(bad.status).toBe(1);
  expect(bad.stderr).toMatch(/^mcubench: --reference: .*nowhere: no such file or directory/);
  expect(fs.existsSync(path.join(tmp, 'bad'))).toBe(false);
  expect(bad.stderr).not.toMatch(/\n\s+at /);
});
