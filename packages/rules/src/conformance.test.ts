import { readFileSync } from 'node:fs';
import jsonLogic from 'json-logic-js';
import { describe, expect, it } from 'vitest';
import { compileLogic } from './index.ts';

type Case = readonly [logic: unknown, data: unknown, expected: unknown];

const corpus = JSON.parse(
  readFileSync(new URL('../test-data/jsonlogic-tests.json', import.meta.url), 'utf8'),
) as readonly (string | Case)[];
const cases = corpus.filter((entry): entry is Case => typeof entry !== 'string');

describe('official JSON-logic test suite', () => {
  it('holds all the cases of jsonlogic.com', () => {
    expect(cases.length).toBeGreaterThan(250);
  });

  it.each(cases.map((entry, index) => [index, ...entry] as const))(
    'case %i: %j with %j',
    (_index, logic, data, expected) => {
      const reference = jsonLogic.apply(logic, data);
      expect(reference).toEqual(expected);
      for (const backend of ['closures', 'generated'] as const) {
        const ours = compileLogic(logic, { backend })(data);
        expect(ours).toEqual(expected);
        expect(ours).toEqual(reference);
      }
    },
  );
});
