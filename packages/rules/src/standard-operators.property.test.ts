import { isJoineryError } from '@joinery/shared';
import fc from 'fast-check';
import jsonLogic from 'json-logic-js';
import { describe, expect, it } from 'vitest';
import { compileLogic } from './index.ts';

/** Scalars chosen to hit JSON-logic's coercion corners: "", "0", null, floats, booleans. */
const scalar = fc.oneof(
  fc.integer({ min: -5, max: 5 }),
  fc.constantFrom(0.5, -1.5, 1e3),
  fc.constantFrom('', '0', '1', '2.5', 'a', 'abc', 'B'),
  fc.boolean(),
  fc.constant(null),
);
const path = fc.constantFrom('a', 'b', 's', 'c.d', 'arr', 'arr.0', 'c', '', 'nope', 'c.nope');

const { expression } = fc.letrec<{ expression: unknown }>((tie) => {
  const sub = tie('expression');
  const args = (min: number, max: number) => fc.array(sub, { minLength: min, maxLength: max });
  const op = (name: string, min: number, max: number) =>
    args(min, max).map((values) => ({ [name]: values }));
  const scoped = (name: string) =>
    fc
      .tuple(fc.oneof(fc.constant({ var: 'arr' }), fc.constant({ var: 'rows' }), args(0, 3)), sub)
      .map(([source, logic]) => ({ [name]: [source, logic] }));
  return {
    expression: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalar,
      path.map((p) => ({ var: p })),
      fc.tuple(path, scalar).map(([p, fallback]) => ({ var: [p, fallback] })),
      ...['==', '===', '!=', '!==', '>', '>=', '%', '/', 'in'].map((name) => op(name, 2, 2)),
      op('<', 2, 3),
      op('<=', 2, 3),
      op('!', 1, 1),
      op('!!', 1, 1),
      op('-', 1, 2),
      op('and', 0, 3),
      op('or', 0, 3),
      op('if', 0, 5),
      op('?:', 3, 3),
      op('+', 0, 3),
      op('*', 1, 3),
      op('max', 0, 3),
      op('min', 0, 3),
      op('cat', 0, 3),
      op('substr', 2, 3),
      op('merge', 0, 3),
      // `missing` keys are paths: json-logic-js would evaluate a non-string key as logic (data
      // becoming code), which Joinery deliberately does not do.
      fc.array(path, { maxLength: 3 }).map((keys) => ({ missing: keys })),
      fc.tuple(sub, fc.array(path, { maxLength: 3 })).map(([need, keys]) => ({
        missing_some: [need, keys],
      })),
      ...['map', 'filter', 'all', 'some', 'none'].map(scoped),
      fc.tuple(sub, sub).map(([logic, initial]) => ({ reduce: [{ var: 'arr' }, logic, initial] })),
    ),
  };
});

const data = fc.record({
  a: scalar,
  b: scalar,
  s: fc.constantFrom('abc', '', 'x.y'),
  c: fc.record({ d: scalar }),
  arr: fc.array(scalar, { maxLength: 4 }),
  rows: fc.array(fc.record({ a: scalar }), { maxLength: 3 }),
});

function outcome(run: () => unknown): { value: unknown } | { threw: true } {
  try {
    return { value: run() };
  } catch {
    return { threw: true };
  }
}

describe.each(['closures', 'generated'] as const)(
  'standard operators (%s) agree with json-logic-js',
  (backend) => {
    it('on random expressions and data', () => {
      fc.assert(
        fc.property(expression, data, (logic, record) => {
          const compiled = compileLogic(logic, { backend });
          expect(outcome(() => compiled(record))).toEqual(
            outcome(() => jsonLogic.apply(logic, record)),
          );
        }),
        { numRuns: 1_500 },
      );
    });
  },
);

/** A call's value, or the catalogue error it threw (code and params). */
function result(run: () => unknown): { value: unknown } | { error: unknown } {
  try {
    return { value: run() };
  } catch (error) {
    return { error: isJoineryError(error) ? [error.code, error.params] : error };
  }
}

describe('the tiered default backend', () => {
  it('agrees with both backends on every call, before, at and after the switch', () => {
    fc.assert(
      fc.property(
        expression,
        fc.array(data, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 6 }),
        (logic, records, hotAfter) => {
          const closures = compileLogic(logic, { backend: 'closures' });
          const generated = compileLogic(logic, { backend: 'generated' });
          const tiered = compileLogic(logic, { hotAfter });
          for (const record of records) {
            const expected = result(() => closures(record));
            expect(result(() => generated(record))).toEqual(expected);
            expect(result(() => tiered(record))).toEqual(expected);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
