// Checks a JSON value against the subset of JSON Schema (2020-12) our board and chip schemas use.
// Hand-written because the subset is small and a full validator would be the project's only use of one.

export interface SchemaIssue {
  /** JSON pointer-ish path of the offending field, e.g. `uart.base`. */
  field: string;
  message: string;
}

type Schema = Record<string, unknown>;

const SUPPORTED = new Set([
  '$schema', '$id', '$defs', '$ref', 'title', 'description', 'type', 'required', 'properties',
  'additionalProperties', 'enum', 'pattern', 'minimum', 'maximum', 'items', 'minItems',
]);

export function validateAgainstSchema(value: unknown, schema: Schema): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  check(value, schema, schema, '', issues);
  return issues;
}

function check(value: unknown, schema: Schema, root: Schema, field: string, issues: SchemaIssue[]): void {
  for (const key of Object.keys(schema)) {
    // An unsupported keyword would silently pass everything: refuse it so the schema and validator stay in step.
    if (!SUPPORTED.has(key)) throw new Error(`schema keyword '${key}' at '${field || '(root)'}' is not supported by schema-validator.ts`);
  }
  if (typeof schema.$ref === 'string') {
    check(value, resolveRef(schema.$ref, root), root, field, issues);
    return;
  }
  const at = field || '(root)';
  if (Array.isArray(schema.enum) && !schema.enum.some((allowed) => allowed === value)) {
    issues.push({ field: at, message: `must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}, got ${JSON.stringify(value)}` });
    return;
  }
  if (typeof schema.type === 'string' && !hasType(value, schema.type)) {
    issues.push({ field: at, message: `must be ${schema.type === 'integer' ? 'an integer' : `of type ${schema.type}`}, got ${describe(value)}` });
    return;
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) issues.push({ field: at, message: `must be >= ${schema.minimum}, got ${value}` });
    if (typeof schema.maximum === 'number' && value > schema.maximum) issues.push({ field: at, message: `must be <= ${schema.maximum}, got ${value}` });
  }
  if (typeof value === 'string' && typeof schema.pattern === 'string' && !new RegExp(schema.pattern).test(value)) {
    issues.push({ field: at, message: `must match ${schema.pattern}, got ${JSON.stringify(value)}` });
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) issues.push({ field: at, message: `needs at least ${schema.minItems} item(s)` });
    if (schema.items && typeof schema.items === 'object') {
      value.forEach((item, i) => check(item, schema.items as Schema, root, `${field}[${i}]`, issues));
    }
  }
  if (isObject(value)) checkObject(value, schema, root, field, issues);
}

function checkObject(value: Record<string, unknown>, schema: Schema, root: Schema, field: string, issues: SchemaIssue[]): void {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  for (const name of (schema.required ?? []) as string[]) {
    if (!(name in value)) issues.push({ field: join(field, name), message: 'is required but missing' });
  }
  for (const [name, child] of Object.entries(value)) {
    if (name in properties) check(child, properties[name], root, join(field, name), issues);
    else if (schema.additionalProperties === false) issues.push({ field: join(field, name), message: 'is not a known field (typo?)' });
  }
}

function resolveRef(ref: string, root: Schema): Schema {
  const match = /^#\/\$defs\/([A-Za-z0-9_-]+)$/.exec(ref);
  const defs = root.$defs as Record<string, Schema> | undefined;
  if (!match || !defs || !defs[match[1]]) throw new Error(`schema $ref '${ref}' cannot be resolved (only '#/$defs/<name>' is supported)`);
  return defs[match[1]];
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object': return isObject(value);
    case 'array': return Array.isArray(value);
    case 'integer': return Number.isInteger(value);
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'string': return typeof value === 'string';
    case 'boolean': return typeof value === 'boolean';
    default: throw new Error(`schema type '${type}' is not supported by schema-validator.ts`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `the string ${JSON.stringify(value)}` : `${typeof value} ${JSON.stringify(value)}`;
}

function join(parent: string, name: string): string {
  return parent ? `${parent}.${name}` : name;
}
