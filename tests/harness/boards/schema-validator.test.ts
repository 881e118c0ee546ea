import { validateAgainstSchema } from '../../../harness/boards/schema-validator';

const schema = {
  type: 'object',
  required: ['n', 'tags'],
  additionalProperties: false,
  properties: {
    n: { type: 'integer', minimum: 1, maximum: 9 },
    tags: { type: 'array', minItems: 1, items: { $ref: '#/$defs/tag' } },
    kind: { enum: ['a', 'b'] },
  },
  $defs: { tag: { type: 'string', pattern: '^[a-z]+$' } },
};

describe('validateAgainstSchema', () => {
  it('accepts a value that follows every rule', () => {
    expect(validateAgainstSchema({ n: 3, tags: ['x', 'yz'], kind: 'b' }, schema)).toEqual([]);
  });

  it('reports each broken rule at its field', () => {
    const issues = validateAgainstSchema({ n: 1.5, tags: ['ok', 'Bad'], kind: 'c', extra: 1 }, schema);
    expect(issues).toEqual([
      { field: 'n', message: 'must be an integer, got number 1.5' },
      { field: 'tags[1]', message: 'must match ^[a-z]+$, got "Bad"' },
      { field: 'kind', message: 'must be one of "a", "b", got "c"' },
      { field: 'extra', message: 'is not a known field (typo?)' },
    ]);
  });

  it('checks bounds, missing fields and array length', () => {
    expect(validateAgainstSchema({ n: 10, tags: [] }, schema)).toEqual([
      { field: 'n', message: 'must be <= 9, got 10' },
      { field: 'tags', message: 'needs at least 1 item(s)' },
    ]);
    expect(validateAgainstSchema({}, schema).map((i) => i.field)).toEqual(['n', 'tags']);
    expect(validateAgainstSchema([], schema)).toEqual([{ field: '(root)', message: 'must be of type object, got an array' }]);
  });

  it('refuses a schema keyword it does not implement instead of ignoring it', () => {
    expect(() => validateAgainstSchema(1, { oneOf: [] })).toThrow(/keyword 'oneOf'.*not supported/);
  });
});
