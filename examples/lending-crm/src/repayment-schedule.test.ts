import { compileLogic, type LoanScheduleRow } from '@joinery/rules';
import { describe, expect, it } from 'vitest';
import { addMonths, repaymentSchedule } from './repayment-schedule.ts';

describe('demo repayment schedules', () => {
  it('are what the template rule computes with loan_schedule, as money strings', () => {
    const terms = {
      principal: '12345.67',
      apr: '23.99',
      term: 7,
      method: 'equal_instalment',
      firstDue: '2025-08-31',
    } as const;
    const rule = compileLogic({
      loan_schedule: [terms.principal, terms.apr, terms.term, terms.method, terms.firstDue],
    })({}) as LoanScheduleRow[];
    expect(repaymentSchedule(terms)).toEqual(
      rule.map((row) => ({
        period: row.period,
        dueDate: row.due_date,
        principal: row.principal.toFixed(2),
        interest: row.interest.toFixed(2),
      })),
    );
    expect(repaymentSchedule(terms)[0]?.interest).toBe('246.81');
  });

  it('refuses terms the engine cannot schedule', () => {
    expect(() =>
      repaymentSchedule({
        principal: '1000.00',
        apr: '12',
        term: 0,
        method: 'equal_principal',
        firstDue: '2025-08-31',
      }),
    ).toThrow(RangeError);
  });

  it('moves due dates by calendar months, clamping month ends', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2025-11-30', 3)).toBe('2026-02-28');
    expect(addMonths('2025-12-15', 1)).toBe('2026-01-15');
  });
});
