import { isJoineryError } from '@joinery/shared';
import { describe, expect, it } from 'vitest';
import { compileLogic } from '../index.ts';

const schedule = [
  { due: '2026-01-01', amount: 0.1, paid: true },
  { due: '2026-02-01', amount: '0.2', paid: false },
  { due: '2026-03-01', amount: null, paid: false },
  { due: '2026-04-01', amount: 3, nested: { fee: 5 } },
];
const run = (logic: unknown) => compileLogic(logic)({ schedule });

describe('subform aggregates', () => {
  it('sums exactly, skipping empty values', () => {
    expect(run({ rows_sum: [{ var: 'schedule' }, 'amount'] })).toBe(3.3);
    expect(run({ rows_sum: [{ var: 'schedule' }, 'nested.fee'] })).toBe(5);
    expect(run({ rows_sum: [{ var: 'missing' }, 'amount'] })).toBe(0);
  });

  it('counts rows, or rows with a value', () => {
    expect(run({ rows_count: [{ var: 'schedule' }] })).toBe(4);
    expect(run({ rows_count: [{ var: 'schedule' }, 'amount'] })).toBe(3);
    expect(run({ rows_count: [{ var: 'nothing' }] })).toBe(0);
  });

  it('averages and finds extremes', () => {
    expect(run({ rows_avg: [{ var: 'schedule' }, 'amount'] })).toBe(1.1);
    expect(run({ rows_min: [{ var: 'schedule' }, 'amount'] })).toBe(0.1);
    expect(run({ rows_max: [{ var: 'schedule' }, 'amount'] })).toBe(3);
    expect(run({ rows_avg: [[], 'amount'] })).toBeNull();
    expect(run({ rows_max: [{ var: 'schedule' }, 'due'] })).toBeNull();
  });

  it('composes with filter', () => {
    const unpaid = { filter: [{ var: 'schedule' }, { '!': { var: 'paid' } }] };
    expect(run({ rows_sum: [unpaid, 'amount'] })).toBe(3.2);
  });

  it('never reads prototypes of rows', () => {
    expect(run({ rows_count: [{ var: 'schedule' }, 'constructor'] })).toBe(0);
  });

  it('counts rows against the evaluation budget', () => {
    const rows = Array.from({ length: 300_000 }, () => ({ amount: 1 }));
    const sum = compileLogic({ rows_sum: [{ var: 'rows' }, 'amount'] });
    expect(() => sum({ rows })).toThrow(
      expect.objectContaining({ code: 'JNY_RULE_BUDGET_EXCEEDED' }),
    );
    try {
      sum({ rows });
    } catch (error) {
      expect(isJoineryError(error)).toBe(true);
    }
  });
});
