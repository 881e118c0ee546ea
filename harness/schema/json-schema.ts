// Checks JSON documents (boards, chips, the hardware map, results.json) against their published JSON Schemas with
// ajv, and turns ajv's errors into one line per field that says what the field must be and what it holds.
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import * as fs from 'fs';
import * as path from 'path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The published schemas, by what they describe; paths from the repository root (error messages cite them). */
export const SCHEMA_FILES = {
  board: 'boards/board.schema.json',
  chip: 'boards/chip.schema.json',
  lab: 'docs/lab.schema.json',
  results: 'docs/results.schema.json',
} as const;
export type SchemaName = keyof typeof SCHEMA_FILES;

export interface SchemaIssue {
  /** Dotted path of the offending field, e.g. `uart.base`, `boards[0].boardId`; `(root)` for the document. */
  field: string;
  message: string;
}

export type SchemaCheck = (value: unknown) => SchemaIssue[];

const compiled = new Map<SchemaName, ValidateFunction>();
const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictRequired: false });

/** A checker for one published schema (compiled once per process). */
export function schemaCheck(name: SchemaName): SchemaCheck {
  let validate = compiled.get(name);
  if (!validate) {
    validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, SCHEMA_FILES[name]), 'utf8')) as object);
    compiled.set(name, validate);
  }
  const checker = validate;
  return (value) => (checker(value) ? [] : toIssues(checker.errors ?? []));
}

/** The issues as indented `field 'x': …` lines, at most `limit` of them. */
export function issueLines(issues: SchemaIssue[], limit = 25): string {
  const lines = issues.slice(0, limit).map((issue) => `  field '${issue.field}': ${issue.message}`);
  if (issues.length > limit) lines.push(`  ... and ${issues.length - limit} more`);
  return lines.join('\n');
}

function toIssues(errors: ErrorObject[]): SchemaIssue[] {
  // An anyOf failure explains itself; the failures of its branches would only repeat it.
  const alternatives = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => `${e.schemaPath}/`);
  const issues: SchemaIssue[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (error.keyword === 'if' || alternatives.some((prefix) => error.schemaPath.startsWith(prefix))) continue;
    const issue = toIssue(error);
    // The schema's own words for the field tell the reader what belongs there.
    const description = (error.parentSchema as { description?: unknown } | undefined)?.description;
    if (typeof description === 'string' && !['required', 'additionalProperties', 'anyOf', 'oneOf'].includes(error.keyword)) {
      issue.message += ` (${description})`;
    }
    // One complaint per field: a value of the wrong type also fails its enum, bounds and pattern.
    if (seen.has(issue.field)) continue;
    seen.add(issue.field);
    issues.push(issue);
  }
  return issues;
}

function toIssue(error: ErrorObject): SchemaIssue {
  const parent = fieldOf(error.instancePath);
  const at = parent || '(root)';
  const params = error.params as Record<string, unknown>;
  const got = describe(error.data);
  switch (error.keyword) {
    case 'required': return { field: join(parent, String(params.missingProperty)), message: 'is required but missing' };
    case 'additionalProperties': return { field: join(parent, String(params.additionalProperty)), message: 'is not a known field (typo?)' };
    case 'type': {
      const type = String(params.type);
      const expected = type === 'integer' ? 'an integer' : type.includes(',') ? type.split(',').join(' or ') : `of type ${type}`;
      return { field: at, message: `must be ${expected}, got ${got}` };
    }
    case 'enum': return { field: at, message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(error.data)}` };
    case 'const': return { field: at, message: `must be ${JSON.stringify(params.allowedValue)}, got ${JSON.stringify(error.data)}` };
    case 'pattern': return { field: at, message: `must match ${String(params.pattern)}, got ${JSON.stringify(error.data)}` };
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
      return { field: at, message: `must be ${String(params.comparison)} ${String(params.limit)}, got ${JSON.stringify(error.data)}` };
    case 'minItems': return { field: at, message: `needs at least ${String(params.limit)} item(s)` };
    case 'minLength': return { field: at, message: params.limit === 1 ? 'must not be empty' : `needs at least ${String(params.limit)} characters` };
    case 'anyOf': case 'oneOf': {
      const description = (error.parentSchema as { description?: string } | undefined)?.description;
      return { field: at, message: `must be ${description ?? 'one of the allowed forms'}, got ${got}` };
    }
    default: return { field: at, message: `${error.message ?? 'is invalid'} (${error.keyword})` };
  }
}

/** `/boards/0/boardId` → `boards[0].boardId`. */
function fieldOf(pointer: string): string {
  let field = '';
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    field = /^\d+$/.test(part) ? `${field}[${part}]` : join(field, part);
  }
  return field;
}

function join(parent: string, name: string): string {
  return parent ? `${parent}.${name}` : name;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}
