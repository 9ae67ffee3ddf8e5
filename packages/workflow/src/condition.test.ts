import { describe, expect, it } from 'vitest';
import { compileCondition } from './condition.ts';

describe('compileCondition', () => {
  it('evaluates JSON-logic over the record with the engine clock and the submitter', () => {
    const big = compileCondition({ '>': [{ var: 'amount' }, 100] });
    if (typeof big === 'string') throw new Error(big);
    expect(big({ amount: 101 }, { now: '2026-01-01T00:00:00Z' }, 'u')).toBe(true);
    expect(big({ amount: 100 }, { now: '2026-01-01T00:00:00Z' }, 'u')).toBe(false);
    const mine = compileCondition({ '==': [{ var: '$user.id' }, { var: 'owner' }] });
    if (typeof mine === 'string') throw new Error(mine);
    expect(mine({ owner: 'u' }, { now: '2026-01-01T00:00:00Z' }, 'u')).toBe(true);
    const now = compileCondition({ '==': [{ var: '$now' }, '2026-01-01T00:00:00.000Z'] });
    if (typeof now === 'string') throw new Error(now);
    expect(now({}, { now: '2026-01-01T00:00:00Z' }, 'u')).toBe(true);
  });
  it("counts `today` in the runtime's business day, not UTC or the machine's zone", () => {
    const april = compileCondition({ '==': [{ today: [] }, '2026-04-01'] });
    if (typeof april === 'string') throw new Error(april);
    // 2026-03-31T17:00Z is already April 1 in Beijing (UTC+8), still March 31 in UTC.
    const now = '2026-03-31T17:00:00.000Z';
    expect(april({}, { now, utcOffsetMinutes: 480 }, 'u')).toBe(true);
    expect(april({}, { now, utcOffsetMinutes: 0 }, 'u')).toBe(false);
    expect(april({}, { now: '2026-03-31T15:59:59.000Z', utcOffsetMinutes: 480 }, 'u')).toBe(false);
  });
  it('reports an invalid expression as a message', () => {
    expect(compileCondition({ nope: [] })).toEqual(expect.stringMatching(/^invalid condition/));
  });
});
