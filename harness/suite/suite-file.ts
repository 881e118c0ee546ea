// A suite file: the matrix a nightly job runs (models × boards × schedules × datasets) and its gate, in JSON or
// YAML, validated against docs/suite.schema.json. Parsing and expansion only: running the cells is
// run-suite.ts's job, so a job queue (`mcubench submit`) can read the same file and enqueue the same cells.
import Ajv, { type ErrorObject } from 'ajv';
import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import type { DatasetOptions, LimitOrder } from '../data';
import type { ScheduleRequest } from '../pack/select-schedule';
import suiteSchema from '../../docs/suite.schema.json';
import { UserError } from '../errors';

/** A suite file that cannot be read, parsed or validated; the message names the file and every problem. */
export class SuiteFileError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'SuiteFileError';
  }
}

export interface SuiteModel {
  file: string; name: string; datasets?: string[]; preset?: string; preprocess?: string;
  /** This model's plan for a named suite schedule (the suite-wide plan does not suit every model). */
  schedules?: Record<string, ScheduleRequest>;
}
export interface SuiteDataset {
  path: string; name: string; limit?: number; limitOrder?: LimitOrder; seed?: number; int8Pixels?: boolean; synsets?: string; imageSet?: string;
}
export interface SuiteSchedule { name: string; request: ScheduleRequest; }

export interface SuiteExclude { model?: string; dataset?: string; board?: string; schedule?: string; reason?: string; }

export interface Suite {
  /** The suite file (absolute). */
  file: string;
  name: string;
  models: SuiteModel[];
  boards: string[];
  schedules: SuiteSchedule[];
  datasets: SuiteDataset[];
  exclude: SuiteExclude[];
  baseline?: string;
  /** The raw `gate` section (limits parsed by report/gate-limits.ts). */
  gate: Record<string, unknown>;
}

/** One run of the matrix: its id is its results folder name under `<out>/cells/`. */
export interface SuiteCell {
  id: string;
  model: SuiteModel;
  board: string;
  schedule: SuiteSchedule;
  dataset: SuiteDataset;
}

type RawSchedule = { kind: 'layer' | 'patch' | 'stream' | 'auto'; split?: number; patches?: number; name?: string };
type RawSuite = {
  name?: string;
  models: (string | { file: string; name?: string; datasets?: string[]; preset?: string; preprocess?: string; schedules?: Record<string, RawSchedule> })[];
  boards: string[];
  schedules?: (string | RawSchedule)[];
  datasets: (string | Omit<SuiteDataset, 'name'> & { name?: string })[];
  limit?: number;
  exclude?: SuiteExclude[];
  baseline?: string;
  gate?: Record<string, unknown>;
};

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile<RawSuite>(suiteSchema);

function describeError(e: ErrorObject): string {
  const at = e.instancePath || '(top level)';
  if (e.keyword === 'additionalProperties') return `${at}: unknown key '${(e.params as { additionalProperty: string }).additionalProperty}'`;
  if (e.keyword === 'enum') return `${at}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  return `${at}: ${e.message ?? e.keyword}`;
}

/** Schema errors, with the noise of oneOf branches left out when a more specific error exists. */
function schemaErrors(errors: readonly ErrorObject[]): string[] {
  const specific = errors.filter((e) => !['oneOf', 'if', 'anyOf', 'not'].includes(e.keyword));
  return [...new Set((specific.length ? specific : errors).map(describeError))];
}

export function parseSuite(text: string, file: string): Suite {
  let raw: unknown;
  try {
    raw = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new SuiteFileError(`${file}: not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!validate(raw)) {
    throw new SuiteFileError(`${file}: not a valid suite file (schema docs/suite.schema.json):\n${schemaErrors(validate.errors ?? []).map((e) => `  - ${e}`).join('\n')}`);
  }
  const base = path.dirname(path.resolve(file));
  const at = (p: string): string => path.resolve(base, p);
  const request = (o: RawSchedule): ScheduleRequest => {
    // The schema lets split and patches come only together (patch) or split alone (stream).
    if (o.kind === 'patch') return o.split !== undefined ? { schedule: 'patch', split: o.split, patches: o.patches! } : { schedule: 'patch' };
    if (o.kind === 'stream') return o.split !== undefined ? { schedule: 'stream', split: o.split } : { schedule: 'stream' };
    return { schedule: o.kind };
  };
  const models = raw.models.map((m): SuiteModel => {
    const { schedules: planned, ...o } = typeof m === 'string' ? { file: m, schedules: undefined } : m;
    const overrides = planned ? Object.fromEntries(Object.entries(planned).map(([k, v]) => [k, request(v)])) : undefined;
    return { ...o, file: at(o.file), name: o.name ?? path.basename(o.file).replace(/\.tflite$/, ''), ...(overrides ? { schedules: overrides } : {}) };
  });
  const datasets = raw.datasets.map((d): SuiteDataset => {
    const o = typeof d === 'string' ? { path: d } : d;
    const limit = o.limit ?? raw.limit;
    return { ...o, path: at(o.path), name: o.name ?? path.basename(path.resolve(base, o.path)), ...(limit !== undefined ? { limit } : {}), ...(o.synsets ? { synsets: at(o.synsets) } : {}) };
  });
  const schedules = (raw.schedules ?? ['layer']).map((s): SuiteSchedule => {
    const o: RawSchedule = typeof s === 'string' ? { kind: s as RawSchedule['kind'] } : s;
    return { name: o.name ?? (o.kind === 'patch' && o.split !== undefined ? `patch${o.split}x${o.patches}` : o.kind), request: request(o) };
  });
  const problems: string[] = [];
  const unique = (what: string, names: string[]): void => {
    const dup = names.filter((n, i) => names.indexOf(n) !== i);
    if (dup.length) problems.push(`two ${what} share the name '${dup[0]}'; give one a "name"`);
  };
  unique('models', models.map((m) => m.name));
  unique('datasets', datasets.map((d) => d.name));
  unique('schedules', schedules.map((s) => s.name));
  unique('boards', raw.boards);
  for (const m of models) {
    if (!fs.existsSync(m.file)) problems.push(`model ${m.file} does not exist`);
    for (const d of m.datasets ?? []) if (!datasets.some((x) => x.name === d)) problems.push(`model ${m.name} names dataset '${d}', which the suite does not define`);
    if (m.preset && m.preprocess) problems.push(`model ${m.name}: give preset or preprocess, not both`);
    for (const k of Object.keys(m.schedules ?? {})) if (!schedules.some((s) => s.name === k)) problems.push(`model ${m.name} plans schedule '${k}', which the suite does not define`);
  }
  for (const d of datasets) if (!fs.existsSync(d.path)) problems.push(`dataset ${d.path} does not exist`);
  for (const [i, x] of (raw.exclude ?? []).entries()) {
    const unknown = ([['model', models.map((m) => m.name)], ['dataset', datasets.map((d) => d.name)], ['board', raw.boards], ['schedule', schedules.map((s) => s.name)]] as const)
      .filter(([key, names]) => x[key] !== undefined && !names.includes(x[key]!)).map(([key]) => `${key} '${x[key]}'`);
    if (unknown.length) problems.push(`exclude[${i}] names ${unknown.join(' and ')}, not in the suite`);
  }
  if (problems.length) throw new SuiteFileError(`${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return {
    file: path.resolve(file), name: raw.name ?? path.basename(file).replace(/\.(json|ya?ml)$/i, ''), models, boards: raw.boards, schedules, datasets,
    exclude: raw.exclude ?? [],
    ...(raw.baseline ? { baseline: at(raw.baseline) } : {}), gate: raw.gate ?? {},
  };
}

export function loadSuite(file: string): Suite {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new SuiteFileError(`${file}: cannot read the suite file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseSuite(text, file);
}

function excluded(suite: Suite, cell: Omit<SuiteCell, 'id'>): boolean {
  return suite.exclude.some((x) => (x.model === undefined || x.model === cell.model.name) && (x.dataset === undefined || x.dataset === cell.dataset.name)
    && (x.board === undefined || x.board === cell.board) && (x.schedule === undefined || x.schedule === cell.schedule.name));
}

/**
 * The matrix in a stable order: model, dataset, board, schedule; a model runs only on the datasets it names, and
 * excluded combinations are left out.
 */
export function expandCells(suite: Suite): SuiteCell[] {
  const cells: SuiteCell[] = [];
  for (const model of suite.models) {
    for (const dataset of suite.datasets.filter((d) => !model.datasets || model.datasets.includes(d.name))) {
      for (const board of suite.boards) {
        for (const schedule of suite.schedules) {
          if (excluded(suite, { model, board, schedule, dataset })) continue;
          const planned = model.schedules?.[schedule.name];
          cells.push({ id: `${model.name}__${dataset.name}__${board}__${schedule.name}`, model, board, schedule: planned ? { ...schedule, request: planned } : schedule, dataset });
        }
      }
    }
  }
  return cells;
}

/** What one cell asks of a board run, the same for `mcubench suite` (here) and `mcubench submit` (a lab queue). */
export interface CellRunSettings {
  board: string;
  modelFile: string;
  datasetDir: string;
  schedule: ScheduleRequest;
  /** A preset name, or `custom:<spec>` for the model's own preprocessing. */
  preset?: string;
  int8Pixels?: boolean;
  limit?: number;
  limitOrder?: LimitOrder;
  seed?: number;
  datasetOptions: DatasetOptions;
}

export function cellRunSettings(cell: SuiteCell): CellRunSettings {
  const { model, dataset } = cell;
  return {
    board: cell.board, modelFile: model.file, datasetDir: dataset.path, schedule: cell.schedule.request,
    preset: model.preprocess !== undefined ? `custom:${model.preprocess}` : model.preset,
    int8Pixels: dataset.int8Pixels, limit: dataset.limit, limitOrder: dataset.limitOrder, seed: dataset.seed,
    datasetOptions: { synsetFile: dataset.synsets, imageSet: dataset.imageSet },
  };
}
