// Suite files: JSON and YAML, checked against docs/suite.schema.json with every problem named; the matrix
// expansion with dataset pairing, per-model plans and exclusions; gate limits as a nightly job writes them.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { limitsFromGate } from '../../../harness/report/gate-limits';
import { expandCells, loadSuite, parseSuite } from '../../../harness/suite/suite-file';
import { REPO_ROOT } from '../../support/paths';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcubench-suitefile-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
fs.mkdirSync(path.join(dir, 'data'));
fs.copyFileSync(path.join(REPO_ROOT, 'demo', 'models', 'person_detect.tflite'), path.join(dir, 'pd.tflite'));

const base = { models: ['pd.tflite'], boards: ['emu-f746', 'emu-f412'], schedules: ['layer', { kind: 'patch', split: 6, patches: 2 }], datasets: ['data'] };
const write = (name: string, text: string): string => { fs.writeFileSync(path.join(dir, name), text); return path.join(dir, name); };

describe('suite files', () => {
  it('reads JSON and YAML alike, paths relative to the file', () => {
    const fromJson = loadSuite(write('a.json', JSON.stringify(base)));
    const fromYaml = loadSuite(write('a.yaml', stringify(base)));
    expect({ ...fromYaml, file: '' }).toEqual({ ...fromJson, file: '' });
    expect(fromJson.models[0]).toMatchObject({ file: path.join(dir, 'pd.tflite'), name: 'pd' });
    expect(expandCells(fromJson).map((c) => c.id)).toEqual([
      'pd__data__emu-f746__layer', 'pd__data__emu-f746__patch6x2', 'pd__data__emu-f412__layer', 'pd__data__emu-f412__patch6x2']);
  });

  it('takes the planner\'s patch and stream plans when a schedule names no split', () => {
    const suite = loadSuite(write('planner.json', JSON.stringify({ ...base, schedules: ['patch', 'stream', { kind: 'stream', split: 9, name: 's9' }] })));
    expect(suite.schedules).toEqual([
      { name: 'patch', request: { schedule: 'patch' } }, { name: 'stream', request: { schedule: 'stream' } }, { name: 's9', request: { schedule: 'stream', split: 9 } },
    ]);
    expect(() => loadSuite(write('stream-patches.json', JSON.stringify({ ...base, schedules: [{ kind: 'stream', patches: 2 }] })))).toThrow(/\/schedules\/0/);
  });

  it('names every schema problem, with its place', () => {
    const bad = { ...base, boards: [], schedules: [{ kind: 'patch', split: 6 }], colour: 'red' };
    expect(() => loadSuite(write('bad.json', JSON.stringify(bad)))).toThrow(
      /not a valid suite file[\s\S]*\(top level\): unknown key 'colour'[\s\S]*\/boards: must NOT have fewer than 1 items[\s\S]*\/schedules\/0: must have property patches when property split is present/);
    expect(() => loadSuite(write('broken.yaml', 'models: [a\n'))).toThrow(/broken\.yaml: not valid YAML/);
    expect(() => loadSuite(path.join(dir, 'none.yaml'))).toThrow(/cannot read the suite file \(ENOENT\)/);
  });

  it('checks names and files the schema cannot', () => {
    const text = JSON.stringify({ ...base, models: ['pd.tflite', 'missing.tflite', { file: 'pd.tflite', datasets: ['nope'] }], exclude: [{ board: 'emu-f999' }] });
    expect(() => parseSuite(text, path.join(dir, 'x.json'))).toThrow(
      /two models share the name 'pd'[\s\S]*missing\.tflite does not exist[\s\S]*names dataset 'nope'[\s\S]*exclude\[0\] names board 'emu-f999'/);
  });

  it('pairs models with their datasets, applies per-model plans and exclusions (the demo suite)', () => {
    const suite = loadSuite(path.join(REPO_ROOT, 'demo', 'suite.yaml'));
    const cells = expandCells(suite);
    expect(cells.map((c) => [c.id, c.schedule.request])).toEqual([
      ['person_detect__vww__emu-f746__layer', { schedule: 'layer' }],
      ['person_detect__vww__emu-f746__patch', { schedule: 'patch' }],
      ['person_detect__vww__emu-f412__layer', { schedule: 'layer' }],
      ['person_detect__vww__emu-f412__patch', { schedule: 'patch' }],
      ['mcunet-in3__imagenet__emu-f746__layer', { schedule: 'layer' }],
      ['mcunet-in3__imagenet__emu-f746__patch', { schedule: 'patch', split: 21, patches: 2 }],
      ['mcunet-in3__imagenet__emu-f412__patch', { schedule: 'patch', split: 21, patches: 2 }],
    ]);
    expect(new Set(cells.map((c) => c.model.name))).toEqual(new Set(['person_detect', 'mcunet-in3']));
    expect(new Set(cells.map((c) => c.board))).toEqual(new Set(['emu-f746', 'emu-f412']));
    expect(limitsFromGate(suite.gate)).toMatchObject({ maxLatencyIncrease: 0.02, latencySlack: 1000, maxAgreementDropPoints: 0, maxCodeIncreaseBytes: 1024 });
  });

  it('refuses a gate limit that does not parse, naming the key', () => {
    expect(() => limitsFromGate({ maxLatencyIncrease: '5' })).toThrow(/gate\.maxLatencyIncrease '5' is ambiguous/);
    expect(() => limitsFromGate({ maxSramIncrease: '1.5' })).toThrow(/gate\.maxSramIncrease '1\.5' is not a whole number of bytes/);
  });
});
