// The gate's limits as a user writes them, on the command line (`--max-latency-increase 5%`) or in a suite
// file's `gate` section (`maxLatencyIncrease: 5%`): one table of names, units and parsers for both.
import { DEFAULT_LIMITS, type CompareLimits } from './compare';
import { UserError } from '../errors';

/** A limit that does not parse; the message names the option and an example. */
export class GateLimitError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'GateLimitError';
  }
}

type NumericLimit = Exclude<keyof CompareLimits, 'allowMissing' | 'allowIncomparable'>;
type Kind = 'points' | 'fraction' | 'bytes' | 'count';

interface LimitSpec { key: NumericLimit; flag: string; kind: Kind; help: string; }

export const LIMIT_SPECS: readonly LimitSpec[] = [
  { key: 'maxAccuracyDropPoints', flag: '--max-accuracy-drop', kind: 'points', help: 'largest allowed drop of top-1/top-5/mAP, in percentage points' },
  { key: 'maxAgreementDropPoints', flag: '--max-agreement-drop', kind: 'points', help: 'largest allowed drop of the bit-exact rate and top-1 agreement with the reference, in percentage points' },
  { key: 'maxLatencyIncrease', flag: '--max-latency-increase', kind: 'fraction', help: "largest allowed latency (p50, p90) increase: '5%' or '0.05'" },
  { key: 'latencySlack', flag: '--latency-slack', kind: 'count', help: 'latency increase (in the run\'s unit) that always passes: absorbs QEMU -icount jitter' },
  { key: 'maxLayerLatencyIncrease', flag: '--max-layer-latency-increase', kind: 'fraction', help: "largest allowed latency increase of any single operator: '10%'" },
  { key: 'layerLatencySlack', flag: '--layer-latency-slack', kind: 'count', help: 'per-operator latency increase that always passes' },
  { key: 'maxSramIncreaseBytes', flag: '--max-sram-increase', kind: 'bytes', help: 'largest allowed SRAM peak increase (measured, planned), in bytes' },
  { key: 'maxCodeIncreaseBytes', flag: '--max-code-increase', kind: 'bytes', help: 'largest allowed firmware code (flash) increase, in bytes' },
  { key: 'maxModelIncreaseBytes', flag: '--max-model-increase', kind: 'bytes', help: 'largest allowed model image (flash) increase, in bytes' },
  { key: 'maxSkippedIncrease', flag: '--max-skipped-increase', kind: 'count', help: 'largest allowed increase of skipped inputs' },
];

const NUMBER = /^[+]?(\d+(\.\d*)?|\.\d+)$/;

/** Parses one limit given as text (command line, YAML string) or a number (JSON, YAML number). */
export function parseLimit(spec: LimitSpec, value: string | number): number {
  const text = String(value).trim();
  const where = spec.flag;
  if (spec.kind === 'fraction') {
    if (text.endsWith('%')) {
      const body = text.slice(0, -1).trim();
      if (!NUMBER.test(body)) throw new GateLimitError(`${where} '${value}' is not a percentage (e.g. 5%)`);
      return Number(body) / 100;
    }
    if (!NUMBER.test(text)) throw new GateLimitError(`${where} '${value}' is not a percentage (5%) or a fraction (0.05)`);
    const n = Number(text);
    if (n >= 1) throw new GateLimitError(`${where} '${value}' is ambiguous: write '${n}%' for ${n} percent or '${n * 100}%' for ${n * 100} percent`);
    return n;
  }
  if (spec.kind === 'points') {
    if (!NUMBER.test(text)) throw new GateLimitError(`${where} '${value}' is not a number of percentage points (e.g. 0.5)`);
    return Number(text);
  }
  if (!/^\+?\d+$/.test(text)) {
    throw new GateLimitError(`${where} '${value}' is not a whole number${spec.kind === 'bytes' ? ' of bytes (e.g. 0 or 1024)' : ' (e.g. 0 or 100)'}`);
  }
  return Number(text);
}

/** camelCase suite-file key of a limit (`maxLatencyIncrease`), from its flag. */
export function limitKeyOf(spec: LimitSpec): string {
  return spec.flag.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Limits from a suite file's `gate` section: keys as `limitKeyOf`, plus allowMissing / allowIncomparable. */
export function limitsFromGate(gate: Record<string, unknown>): CompareLimits {
  const limits: CompareLimits = { ...DEFAULT_LIMITS };
  for (const spec of LIMIT_SPECS) {
    const value = gate[limitKeyOf(spec)];
    if (value !== undefined) (limits as unknown as Record<string, number>)[spec.key] = parseLimit({ ...spec, flag: `gate.${limitKeyOf(spec)}` }, value as string | number);
  }
  if (gate.allowMissing !== undefined) limits.allowMissing = gate.allowMissing === true;
  if (gate.allowIncomparable !== undefined) limits.allowIncomparable = gate.allowIncomparable === true;
  return limits;
}

/** The default of a limit as the user would write it. */
export function defaultText(spec: LimitSpec): string {
  const v = DEFAULT_LIMITS[spec.key];
  return spec.kind === 'fraction' ? `${Number((v * 100).toFixed(6))}%` : String(v);
}
