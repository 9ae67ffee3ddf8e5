import { describe, expect, it } from 'vitest';
import { compileCondition } from './condition.ts';

describe('compileCondition', () => {
  it('evaluates JSON-logic over the record with the engine clock and the submitter', () => {
    const big = compileCondition({ '>': [{ var: 'amount' }, 100] });
    if (typeof big === 'string') throw new Error(big);
    expect(big({ amount: 101 }, '2026-01-01T00:00:00Z', 'u')).toBe(true);
    expect(big({ amount: 100 }, '2026-01-01T00:00:00Z', 'u')).toBe(false);
    const mine = compileCondition({ '==': [{ var: '$user.id' }, { var: 'owner' }] });
    if (typeof mine === 'string') throw new Error(mine);
    expect(mine({ owner: 'u' }, '2026-01-01T00:00:00Z', 'u')).toBe(true);
    const now = compileCondition({ '==': [{ var: '$now' }, '2026-01-01T00:00:00.000Z'] });
    if (typeof now === 'string') throw new Error(now);
    expect(now({}, '2026-01-01T00:00:00Z', 'u')).toBe(true);
  });
  it('reports an invalid expression as a message', () => {
    expect(compileCondition({ nope: [] })).toEqual(expect.stringMatching(/^invalid condition/));
  });
});
