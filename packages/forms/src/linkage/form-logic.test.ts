import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FieldDefinition, FormDefinition } from '../schema/app-definition.ts';
import { validateFormDefinition } from '../schema/validate-app-definition.ts';
import { field, label } from '../testing/lending-app.fixture.ts';
import { computedDependents } from './form-logic.ts';

/** A form with number fields `n0…` and formulas `f0…`, formula i adding the fields it reads. */
function formWith(numbers: number, reads: readonly (readonly string[])[]): FormDefinition {
  const fields: FieldDefinition[] = [];
  for (let i = 0; i < numbers; i += 1) fields.push(field(`n${i}`, `n${i}`, 'number'));
  reads.forEach((inputs, i) => {
    const logic = { '+': [0, ...inputs.map((key) => ({ var: key }))] };
    fields.push(field(`f${i}`, `f${i}`, 'formula', { config: { resultType: 'number', logic } }));
  });
  const result = validateFormDefinition({
    key: 'calc',
    label: label('算', 'Calc'),
    version: 1,
    fields,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value;
}

const keysOf = (form: FormDefinition, changed: readonly string[]) => [
  ...computedDependents(form, new Set(changed)),
];

describe('computedDependents', () => {
  it('finds formulas reading a field, directly and through other formulas, in compute order', () => {
    // f0 = n0, f1 = f0 + n1, f2 = n1, f3 = f1
    const form = formWith(2, [['n0'], ['f0', 'n1'], ['n1'], ['f1']]);
    expect(keysOf(form, ['n0'])).toEqual(['f0', 'f1', 'f3']);
    expect(keysOf(form, ['n1'])).toEqual(['f1', 'f2', 'f3']);
    expect(keysOf(form, ['f1'])).toEqual(['f3']);
    expect(keysOf(form, [])).toEqual([]);
  });

  it('is closed: every formula reading a reached field is reached, and nothing else', () => {
    // Formula i may read number fields and formulas j < i (an acyclic form).
    const reads = fc
      .integer({ min: 1, max: 8 })
      .chain((count) =>
        fc.tuple(
          ...Array.from({ length: count }, (_, i) =>
            fc.subarray([...['n0', 'n1', 'n2'], ...Array.from({ length: i }, (_, j) => `f${j}`)]),
          ),
        ),
      );
    fc.assert(
      fc.property(reads, fc.subarray(['n0', 'n1', 'n2']), (formulaReads, changed) => {
        const form = formWith(3, formulaReads);
        const found = new Set(keysOf(form, changed));
        const reached = new Set<string>(changed);
        formulaReads.forEach((inputs, i) => {
          if (inputs.some((key) => reached.has(key))) reached.add(`f${i}`);
        });
        expect(found).toEqual(new Set([...reached].filter((key) => key.startsWith('f'))));
      }),
    );
  });
});
