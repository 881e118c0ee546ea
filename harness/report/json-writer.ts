// Writes results in one canonical form: schema key order (docs/results.md), unknown keys after them in
// alphabetical order, two-space indentation, trailing newline; so two files diff cleanly line by line.
import type { Results } from './results';

const STATS = ['mean', 'p50', 'p90', 'p99', 'min', 'max'];
const PLAN = ['split', 'patches', 'peakBytes', 'ops'];

/** Key order per position in the document; `[]` stands for "any element of this array". */
const KEY_ORDER: Record<string, readonly string[]> = {
  '': ['model', 'board', 'dataset', 'schedule', 'count', 'skipped', 'accuracy', 'detection', 'agreement', 'fidelity',
    'sram', 'flash', 'latency', 'ops', 'plan', 'thresholds', 'samples', 'environment', 'createdAt', 'tool'],
  schedule: ['kind', 'split', 'patches'],
  'skipped[]': ['file', 'reason'],
  accuracy: ['top1', 'top5'],
  detection: ['map07', 'map12', 'perClass'],
  fidelity: ['bitExactRate', 'maxAbsError', 'rmse', 'cosine', 'l2Relative', 'mae', 'samples', 'bitExactSamples', 'top1Agreement', 'reference', 'mismatches'],
  'fidelity.mismatches[]': ['name', 'mismatched', 'elements', 'outputs'],
  'fidelity.mismatches[].outputs[]': ['output', 'maxAbsError', 'mae', 'rmse', 'cosine', 'l2Relative'],
  'ops[]': ['index', 'type', 'macs', 'latency'],
  environment: ['modelSha256', 'imageHash', 'firmwareHash', 'firmwareProtocol', 'coreClockHz', 'compiler', 'compilerFlags', 'qemuVersion', 'gitCommit', 'host', 'node'],
  sram: ['staticBytes', 'stackPeakBytes', 'arenaPeakBytes', 'measuredPeakBytes', 'plannedPeakBytes', 'boardBytes', 'inputStreamed'],
  flash: ['codeBytes', 'modelBytes', 'boardBytes'],
  latency: ['unit', ...STATS, 'clockHz', 'ms'],
  'latency.ms': STATS,
  plan: ['layerBased', 'patchBased'],
  'plan.layerBased': PLAN,
  'plan.patchBased': PLAN,
  'plan.layerBased.ops[]': ['index', 'type', 'liveBytes'],
  'plan.patchBased.ops[]': ['index', 'type', 'liveBytes'],
  thresholds: ['minTop1', 'minTop5', 'minMap07', 'minMap12', 'minBitExactRate', 'maxSramBytes', 'maxFlashBytes', 'maxLatency',
    'maxLatencyMs', 'latencyStatistic'],
  'samples[]': ['name', 'outputSha256', 'matchesHost', 'cycles', 'instructions', 'label', 'predicted', 'hostPredicted'],
  tool: ['name', 'version'],
};

function orderedKeys(obj: Record<string, unknown>, at: string): string[] {
  const known = KEY_ORDER[at] ?? [];
  const present = Object.keys(obj).filter((k) => obj[k] !== undefined);
  const first = known.filter((k) => present.includes(k));
  const rest = present.filter((k) => !known.includes(k)).sort();
  return [...first, ...rest];
}

function normalise(value: unknown, at: string): unknown {
  if (Array.isArray(value)) return value.map((v) => normalise(v, `${at}[]`));
  if (typeof value === 'number' && Object.is(value, -0)) return 0;
  if (typeof value !== 'object' || value === null) return value;
  const obj = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of orderedKeys(obj, at)) out[key] = normalise(obj[key], at === '' ? key : `${at}.${key}`);
  return out;
}

/** A deep copy of `results` with keys in canonical order and undefined fields dropped. */
export function normaliseResults(results: Results): Results {
  return normalise(results, '') as Results;
}

export function writeJsonReport(results: Results): string {
  return `${JSON.stringify(normaliseResults(results), null, 2)}\n`;
}
