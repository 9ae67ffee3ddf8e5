import { describe, expect, it } from 'vitest';
import {
  array,
  boolean,
  literal,
  number,
  object,
  optional,
  record,
  type SchemaProblem,
  string,
  variant,
} from './schema.ts';

function check<T>(
  schema: { parse(v: unknown, p: string, out: SchemaProblem[]): T | undefined },
  value: unknown,
) {
  const problems: SchemaProblem[] = [];
  return { value: schema.parse(value, '', problems), problems };
}

describe('schema', () => {
  const s = object({
    name: string(),
    count: optional(number({ min: 1, integer: true })),
    flags: optional(array(boolean())),
    tags: optional(record(literal('a', 'b'))),
    who: optional(variant({ user: object({ id: string() }), role: object({ role: string() }) })),
  });
  it('returns typed values for valid input', () => {
    expect(
      check(s, {
        name: 'x',
        count: 2,
        flags: [true],
        tags: { k: 'a' },
        who: { kind: 'user', id: 'u' },
      }),
    ).toEqual({
      value: {
        name: 'x',
        count: 2,
        flags: [true],
        tags: { k: 'a' },
        who: { kind: 'user', id: 'u' },
      },
      problems: [],
    });
  });
  it('collects every problem with its pointer', () => {
    expect(
      check(s, { count: 1.5, flags: [1], tags: { k: 'c' }, who: { kind: 'team' }, extra: 1 })
        .problems,
    ).toEqual([
      { path: '/extra', message: 'unknown property' },
      { path: '/name', message: 'required' },
      { path: '/count', message: 'expected an integer >= 1' },
      { path: '/flags/0', message: 'expected true or false' },
      { path: '/tags/k', message: 'expected one of "a", "b"' },
      { path: '/who/kind', message: 'expected one of user, role' },
    ]);
  });
});
