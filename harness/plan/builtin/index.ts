// `builtin:NAME?key=value&...` → Graph. Unknown names, keys and bad values are PlanErrors naming the fix.
import { Graph } from '../../model/graph';
import { PlanError } from '../plan-error';
import { MCUNET_IN3_BLOCKS, mcuNet } from './mcunet';
import { mobileNetV2 } from './mobilenetv2';

export const BUILTIN_PREFIX = 'builtin:';

type Params = Map<string, string>;

interface BuiltinDef { keys: Record<string, string>; build: (p: Params, spec: string) => Graph }

function positiveNumber(spec: string, p: Params, key: string, fallback: number, integer: boolean): number {
  const raw = p.get(key);
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) {
    throw new PlanError(`${spec}: ${key}=${raw} is not a positive ${integer ? 'integer' : 'number'}`);
  }
  return v;
}

function perBlockList(spec: string, p: Params, key: string, fallback: number[], allowed: (v: number) => boolean): number[] {
  const raw = p.get(key);
  if (raw === undefined) return fallback;
  const values = raw.split(',').map(Number);
  if (values.some((v) => !Number.isInteger(v) || !allowed(v))) throw new PlanError(`${spec}: ${key}=${raw} has an invalid entry`);
  if (values.length === 1) return fallback.map(() => values[0]);
  if (values.length !== fallback.length) {
    throw new PlanError(`${spec}: ${key} needs 1 or ${fallback.length} comma-separated values (one per MBConv block), got ${values.length}`);
  }
  return values;
}

const BUILTINS: Record<string, BuiltinDef> = {
  mobilenetv2: {
    keys: { width: 'width multiplier (default 1.0)', resolution: 'input side in pixels (default 224)', classes: 'classifier outputs (default 1000)' },
    build: (p, spec) => mobileNetV2({
      width: positiveNumber(spec, p, 'width', 1.0, false),
      resolution: minimumResolution(spec, positiveNumber(spec, p, 'resolution', 224, true)),
      classes: positiveNumber(spec, p, 'classes', 1000, true),
    }, spec),
  },
  mcunet: {
    keys: {
      resolution: 'input side (default 176)', width: 'channel multiplier (default 1.0)', classes: 'classes (default 1000)',
      kernels: 'depthwise kernel per MBConv block, odd, comma list or one value (default mcunet-in3)',
      expansions: 'expansion ratio per MBConv block (default mcunet-in3)',
    },
    build: (p, spec) => mcuNet({
      resolution: minimumResolution(spec, positiveNumber(spec, p, 'resolution', 176, true)),
      width: positiveNumber(spec, p, 'width', 1.0, false),
      classes: positiveNumber(spec, p, 'classes', 1000, true),
      kernels: perBlockList(spec, p, 'kernels', MCUNET_IN3_BLOCKS.map((b) => b.kernel), (v) => v >= 1 && v % 2 === 1),
      expansions: perBlockList(spec, p, 'expansions', MCUNET_IN3_BLOCKS.map((b) => b.expansion), (v) => v >= 1),
    }, spec),
  },
};

/** Both networks down-sample 32×; below 32 px the last stages would be empty. */
function minimumResolution(spec: string, r: number): number {
  if (r < 32) throw new PlanError(`${spec}: resolution=${r} is too small; use at least 32`);
  return r;
}

export function isBuiltinSpec(spec: string): boolean {
  return spec.startsWith(BUILTIN_PREFIX);
}

export function builtinNames(): string[] {
  return Object.keys(BUILTINS);
}

export function loadBuiltin(spec: string): Graph {
  const body = spec.slice(BUILTIN_PREFIX.length);
  const [name, query = ''] = body.split('?', 2);
  const def = BUILTINS[name];
  if (!def) throw new PlanError(`${spec}: unknown built-in architecture '${name}'; known: ${builtinNames().join(', ')}`);
  const params: Params = new Map();
  for (const [key, value] of new URLSearchParams(query)) {
    if (!(key in def.keys)) {
      const known = Object.entries(def.keys).map(([k, d]) => `${k} (${d})`).join('; ');
      throw new PlanError(`${spec}: unknown option '${key}' for ${name}; options: ${known}`);
    }
    if (params.has(key)) throw new PlanError(`${spec}: option '${key}' given twice`);
    params.set(key, value);
  }
  return def.build(params, spec);
}
