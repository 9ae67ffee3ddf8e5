import { describe, expect, it } from 'vitest';
import { logicReferences, readsContext } from './logic-references.ts';

describe('logic references', () => {
  const logic = {
    if: [
      { '==': [{ var: '$user.id' }, { var: 'owner' }] },
      { var: ['guarantors.0.amount', 0] },
      { var: { cat: ['a', 'b'] } },
    ],
  };

  it('names the record fields read, skipping context roots, with * for a dynamic path', () => {
    expect(logicReferences(logic)).toEqual(new Set(['owner', 'guarantors', '*']));
  });

  it('tells whether a context root is read', () => {
    expect(readsContext(logic, '$user')).toBe(true);
    expect(readsContext(logic, '$now')).toBe(false);
    expect(readsContext({ '+': [{ var: 'amount' }, 1] }, '$user')).toBe(false);
  });
});
