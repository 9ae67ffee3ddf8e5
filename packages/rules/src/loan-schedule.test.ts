import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileLogic,
  type LoanScheduleRow,
  loanSchedule,
  REPAYMENT_METHODS,
  RULE_LIMITS,
} from './index.ts';

const schedule = (...args: unknown[]) =>
  compileLogic({ loan_schedule: args })({}) as LoanScheduleRow[] | null;
const total = (rows: readonly LoanScheduleRow[], key: 'principal' | 'interest') =>
  rows.reduce((sum, row) => sum.plus(String(row[key])), new Decimal(0)).toFixed(2);
const cents = (value: Decimal) => value.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);

describe('loan_schedule', () => {
  it('equal instalment (等额本息): 100,000 at 12% over 12 months, the textbook numbers', () => {
    const rows = schedule(100000, 12, 12, 'equal_instalment', '2026-01-31') ?? [];
    expect(rows[0]).toEqual({
      period: 1,
      due_date: '2026-01-31',
      principal: 7884.88,
      interest: 1000,
      payment: 8884.88,
      balance: 92115.12,
    });
    expect(rows.map((r) => r.due_date).slice(1, 4)).toEqual([
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
    ]);
    expect(rows.slice(0, -1).every((r) => r.payment === 8884.88)).toBe(true);
    expect(total(rows, 'principal')).toBe('100000.00');
    expect(total(rows, 'interest')).toBe('6618.53');
    expect(rows.at(-1)?.balance).toBe(0);
  });

  it('equal principal (等额本金): the same principal each month, falling interest', () => {
    const rows = schedule('10000.00', '18', 3, 'equal_principal', '2026-03-15') ?? [];
    expect(rows.map((r) => [r.principal, r.interest, r.due_date])).toEqual([
      [3333.33, 150, '2026-03-15'],
      [3333.33, 100, '2026-04-15'],
      [3333.34, 50, '2026-05-15'],
    ]);
  });

  it('interest first (先息后本): interest only, then the whole principal', () => {
    const rows = schedule(50000, 9.6, 6, 'interest_first', '2026-01-10') ?? [];
    expect(rows.map((r) => r.interest)).toEqual(Array(6).fill(400));
    expect(rows.map((r) => r.principal)).toEqual([0, 0, 0, 0, 0, 50000]);
  });

  it('reads its terms from the record', () => {
    const logic = {
      loan_schedule: [
        { var: 'principal' },
        { var: 'apr' },
        { var: 'term' },
        { var: 'method' },
        { date_add: [{ var: 'disbursed_on' }, 1, 'month'] },
      ],
    };
    const record = {
      principal: '12000.00',
      apr: '18',
      term: '3',
      method: 'equal_principal',
      disbursed_on: '2026-01-15',
    };
    for (const backend of ['closures', 'generated'] as const) {
      const rows = compileLogic(logic, { backend })(record) as LoanScheduleRow[];
      expect(rows.map((r) => [r.due_date, r.principal, r.interest])).toEqual([
        ['2026-02-15', 4000, 180],
        ['2026-03-15', 4000, 120],
        ['2026-04-15', 4000, 60],
      ]);
    }
  });

  it('gives null for terms it cannot schedule', () => {
    expect(schedule(-1, 12, 12, 'equal_instalment', '2026-01-31')).toBeNull();
    expect(schedule(1000, 'x', 12, 'equal_instalment', '2026-01-31')).toBeNull();
    expect(schedule(1000, 12, 0, 'equal_instalment', '2026-01-31')).toBeNull();
    expect(schedule(1000, 12, 1.5, 'equal_instalment', '2026-01-31')).toBeNull();
    expect(schedule(1000, 12, 601, 'equal_instalment', '2026-01-31')).toBeNull();
    expect(schedule(1000, 12, 12, 'balloon', '2026-01-31')).toBeNull();
    expect(schedule(1000, 12, 12, 'equal_instalment', '2026-02-30')).toBeNull();
    expect(schedule(1000, 12, 12, 'equal_instalment', '2026-01-31T00:00:00Z')).toBeNull();
  });

  it('counts each row against the evaluation budget', () => {
    const many = compileLogic({
      map: [
        { var: 'loans' },
        { loan_schedule: [{ var: '' }, 12, 600, 'equal_principal', '2026-01-01'] },
      ],
    });
    const loans = Array(Math.ceil(RULE_LIMITS.maxSteps / 600) + 1).fill(1000);
    expect(() => many({ loans })).toThrow(
      expect.objectContaining({ code: 'JNY_RULE_BUDGET_EXCEEDED' }),
    );
  });
});

describe('loan_schedule, for any loan', () => {
  const loans = fc.record({
    principal: fc.integer({ min: 1, max: 10_000_000_000 }).map((c) => new Decimal(c).div(100)),
    apr: fc.integer({ min: 0, max: 3600 }).map((bp) => new Decimal(bp).div(100)),
    term: fc.integer({ min: 1, max: 120 }),
    method: fc.constantFrom(...REPAYMENT_METHODS),
    firstDue: fc
      .date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
  });

  it('repays the loan to the cent, with the interest its method defines, once a month', () => {
    fc.assert(
      fc.property(loans, (loan) => {
        const rows = loanSchedule({
          ...loan,
          principal: loan.principal.toFixed(2),
          apr: loan.apr.toString(),
        });
        expect(rows).toHaveLength(loan.term);
        if (!rows) return;
        expect(total(rows, 'principal')).toBe(loan.principal.toFixed(2));
        const rate = loan.apr.div(1200);
        let owed = loan.principal;
        const firstPayment = new Decimal(String(rows[0]?.payment));
        for (const [index, row] of rows.entries()) {
          const last = index === rows.length - 1;
          expect(row.period).toBe(index + 1);
          expect(new Decimal(String(row.interest)).toFixed(2)).toBe(
            cents(owed.mul(rate)).toFixed(2),
          );
          expect(row.principal).toBeGreaterThanOrEqual(0);
          owed = owed.minus(String(row.principal));
          expect(new Decimal(String(row.balance)).toFixed(2)).toBe(owed.toFixed(2));
          if (loan.method === 'interest_first' && !last) expect(row.principal).toBe(0);
          if (loan.method === 'equal_principal' && !last && owed.greaterThan(0)) {
            expect(row.principal).toBe(cents(loan.principal.div(loan.term)).toNumber());
          }
          if (loan.method === 'equal_instalment' && !last && owed.greaterThan(0)) {
            expect(new Decimal(String(row.payment)).toFixed(2)).toBe(firstPayment.toFixed(2));
          }
          if (index > 0) expect(row.due_date > (rows[index - 1]?.due_date ?? '')).toBe(true);
        }
        expect(owed.isZero()).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
