import { describe, expect, it } from 'vitest';
import { compileLogic } from './index.ts';
import { HOT_AFTER_CALLS } from './tiered-logic.ts';

// STYLE rule 11: the generated source is built only from templates. Whatever the expression
// holds (field names, literals, operator arguments), the source must consist of the fixed
// vocabulary below, and no string literal at all: user text can only reach it through `c` (`c<n>` = `c[<n>]`).
const VOCABULARY = new Set([
  'use strict',
  'return',
  'function',
  'let',
  'const',
  'undefined',
  'null',
  'try',
  'catch',
  'throw',
  'context',
  'steps',
  'error',
  'data',
  'env',
  'c',
  'current',
  'accumulator',
  'length',
  'push',
  'for',
  'if',
  'i',
  'items',
  'out',
  'true',
  'false',
  'chargeSteps',
  'initial',
  'typeof',
  'indexOf',
  'hasOwn',
  'isArray',
  'toFloat',
  'mathMax',
  'mathMin',
]);

function sourceOf(logic: unknown): string {
  let captured = '';
  const original = globalThis.Function;
  // Observe the one constructor call without changing what it builds.
  globalThis.Function = new Proxy(original, {
    construct(target, args: string[]) {
      captured = args[args.length - 1] ?? '';
      return Reflect.construct(target, args);
    },
    apply(target, self, args: string[]) {
      captured = args[args.length - 1] ?? '';
      return Reflect.apply(target, self, args);
    },
  });
  try {
    compileLogic(logic, { backend: 'generated' });
  } finally {
    globalThis.Function = original;
  }
  return captured;
}

const hostile = [
  '"); process.exit(1); ("',
  "'); globalThis.pwned = 1; ('",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the hostile text is the point
  '`${globalThis.pwned = 1}`',
  '*/ globalThis.pwned = 1 /*',
  '\u2028globalThis.pwned = 1',
  'constructor.constructor("return process")()',
  '__proto__',
];

describe('generated code', () => {
  it('contains only template tokens whatever the expression holds', () => {
    for (const text of hostile) {
      const logic = {
        and: [
          { '==': [{ var: text }, text] },
          { in: [text, { var: [`${text}.x`, text] }] },
          {
            reduce: [
              { var: text },
              { '+': [{ var: 'accumulator' }, { var: `current.${text}` }] },
              0,
            ],
          },
          { some: [{ var: 'rows' }, { '>': [{ var: text }, { cat: [text, { var: text }] }] }] },
          {
            if: [{ '!': { var: text } }, { '-': [{ var: text }, 1] }, { max: [1, { var: text }] }],
          },
          { missing_some: [1, [text, `${text}.y`]] },
          { missing: [text, 'a'] },
          {
            all: [
              { var: text },
              { none: [{ var: text }, { filter: [{ var: text }, { map: [{ var: '' }, text] }] }] },
            ],
          },
        ],
      };
      const source = sourceOf(logic);
      expect(source.length).toBeGreaterThan(0);
      expect(source).not.toMatch(/'|`|\\/);
      const withoutHeader = source.replace('"use strict";', '');
      expect(withoutHeader).not.toContain('"');
      const identifiers = withoutHeader.match(/[A-Za-z_$][\w$]*/g) ?? [];
      for (const identifier of identifiers) {
        expect(VOCABULARY.has(identifier) || /^[tfc]\d+$/.test(identifier), identifier).toBe(true);
      }
      expect(compileLogic(logic)({ rows: [{}] })).toBeDefined();
      expect((globalThis as Record<string, unknown>).pwned).toBeUndefined();
    }
  });

  it('gives every rule a source of its own, even rules of the same shape', () => {
    // V8 shares one feedback vector between functions built from the same source text, so two
    // rules over different fields would share (and pollute) each other's property-read caches.
    const sources = ['amount', 'income', 'amount'].map((field) =>
      sourceOf({ '>': [{ var: field }, 1] }),
    );
    expect(new Set(sources).size).toBe(sources.length);
  });

  it('tests the truthiness of known booleans without an array check', () => {
    const compare = { '>': [{ var: 'a' }, 1] };
    for (const logic of [
      { if: [compare, 'x', 'y'] },
      { and: [compare, { '!': compare }] },
      { or: [compare, { '!!': { '==': [{ var: 'b' }, 'x'] } }] },
      { if: [{ and: [compare, compare] }, 'x', 'y'] },
    ]) {
      expect(sourceOf(logic)).not.toContain('isArray');
    }
    expect(sourceOf({ if: [{ var: 'a' }, 'x', 'y'] })).toContain('isArray');
  });

  it('gives the same results as the closures', () => {
    const logic = {
      reduce: [{ var: 'rows' }, { '+': [{ var: 'accumulator' }, { var: 'current.amount' }] }, 0],
    };
    const rows = [{ amount: 1 }, { amount: '2.5' }, { amount: null }];
    expect(compileLogic(logic, { backend: 'generated' })({ rows })).toBe(
      compileLogic(logic, { backend: 'closures' })({ rows }),
    );
  });

  it("gives the closures' results on every call of the default backend", () => {
    const logic = {
      if: [{ '>': [{ var: 'n' }, 20] }, { cat: ['big ', { var: 'n' }] }, { var: 'n' }],
    };
    const auto = compileLogic(logic);
    const closures = compileLogic(logic, { backend: 'closures' });
    for (let n = 0; n < 2 * HOT_AFTER_CALLS; n += 1) expect(auto({ n })).toEqual(closures({ n }));
  });
});
