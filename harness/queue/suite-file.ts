// The suite file `mcubench submit` reads (YAML or JSON): a list of cells, each one model on one kind of board over
// one set of inputs. Minimal on purpose, until the suite format of `mcubench suite` lands; paths are relative to
// the suite file.
//
//   out: runs/nightly            # optional: the results folder (one subfolder per cell)
//   cells:
//     - name: pd-f746            # optional: default <model>-<board>-<schedule>
//       model: person_detect     # a .tflite path, or a name in demo/models
//       board: emu-f746
//       inputs: inputs/vww       # a folder of raw *.bin input tensors, or `dataset:` (any layout eval reads)
//       schedule: layer          # layer | patch (with split, patches) | auto
//       limit: 40
import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { loadBoard } from '../boards';
import { UsageError } from '../errors';
import type { ScheduleRequest } from '../pack/select-schedule';
import { REPO_ROOT } from '../tool-info';

export interface SuiteCell {
  name: string;
  modelFile: string;
  board: string;
  datasetDir: string;
  schedule: ScheduleRequest;
  limit?: number;
  preset?: string;
  int8Pixels?: boolean;
}

export interface Suite {
  file: string;
  out?: string;
  cells: SuiteCell[];
}

type Raw = Record<string, unknown>;

export function readSuite(file: string): Suite {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`suite ${file}: cannot read it (${(err as Error).message})`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new UsageError(`suite ${file}: not valid YAML or JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  const fail = (where: string, what: string): never => { throw new UsageError(`suite ${file}: ${where}: ${what}`); };
  if (typeof doc !== 'object' || doc === null || !Array.isArray((doc as Raw).cells) || (doc as { cells: unknown[] }).cells.length === 0) {
    return fail('top level', 'expected a mapping with a non-empty `cells:` list');
  }
  const base = path.dirname(path.resolve(file));
  const within = (p: string): string => (path.isAbsolute(p) ? p : path.join(base, p));
  const names = new Set<string>();
  const cells = ((doc as Raw).cells as unknown[]).map((raw, i): SuiteCell => {
    const where = `cells[${i}]`;
    if (typeof raw !== 'object' || raw === null) return fail(where, 'expected a mapping');
    const c = raw as Raw;
    const text = (key: string, required: boolean): string | undefined => {
      const v = c[key];
      if (v === undefined && !required) return undefined;
      if (typeof v !== 'string' || v.trim() === '') return fail(`${where}.${key}`, v === undefined ? 'is missing' : 'expected a non-empty string');
      return v;
    };
    const count = (key: string): number | undefined => {
      const v = c[key];
      if (v === undefined) return undefined;
      if (!Number.isInteger(v) || (v as number) < 1) return fail(`${where}.${key}`, `expected a positive integer (got ${JSON.stringify(v)})`);
      return v as number;
    };
    const board = text('board', true)!;
    try {
      loadBoard(board);
    } catch (err) {
      fail(`${where}.board`, (err as Error).message);
    }
    const model = text('model', true)!;
    const bundled = path.join(REPO_ROOT, 'demo', 'models', model.endsWith('.tflite') ? model : `${model}.tflite`);
    const modelFile = fs.existsSync(within(model)) ? within(model) : fs.existsSync(bundled) ? bundled : fail(`${where}.model`, `${model}: no such file (nor demo/models/${path.basename(bundled)})`);
    const inputs = text('inputs', false);
    const dataset = text('dataset', false);
    if ((inputs === undefined) === (dataset === undefined)) fail(where, 'give exactly one of `inputs:` (a folder of *.bin tensors) and `dataset:`');
    const datasetDir = within((inputs ?? dataset)!);
    if (!fs.existsSync(datasetDir)) fail(`${where}.${inputs ? 'inputs' : 'dataset'}`, `${datasetDir} does not exist`);
    const kind = text('schedule', false) ?? 'layer';
    let schedule: ScheduleRequest;
    if (kind === 'patch') {
      schedule = { schedule: 'patch', split: count('split') ?? fail(`${where}.split`, 'a patch schedule needs split and patches'), patches: count('patches') ?? fail(`${where}.patches`, 'a patch schedule needs split and patches') };
    } else if (kind === 'layer' || kind === 'auto') {
      schedule = { schedule: kind };
    } else {
      return fail(`${where}.schedule`, `expected layer, patch or auto (got ${kind})`);
    }
    const modelName = path.basename(modelFile).replace(/\.tflite$/, '');
    const name = text('name', false) ?? `${modelName}-${board}-${kind}${kind === 'patch' ? `-${c.split}x${c.patches}` : ''}`;
    if (!/^[\w.@+-]+$/.test(name)) fail(`${where}.name`, `'${name}' must be usable as a folder name (letters, digits, . _ - + @)`);
    if (names.has(name)) fail(`${where}.name`, `'${name}' names two cells; give each a distinct name`);
    names.add(name);
    return {
      name, modelFile, board, datasetDir, schedule, limit: count('limit'), preset: text('preset', false),
      int8Pixels: c.int8Pixels === true,
    };
  });
  const out = (doc as Raw).out;
  return { file, cells, ...(typeof out === 'string' ? { out: within(out) } : {}) };
}
