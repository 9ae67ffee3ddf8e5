import { loanSchedule, type RepaymentMethod } from '@joinery/rules';

export type { RepaymentMethod } from '@joinery/rules';

/** One instalment as the demo data stores it: money strings with exactly two decimals. */
export interface ScheduleRow {
  readonly period: number;
  /** `YYYY-MM-DD`. */
  readonly dueDate: string;
  readonly principal: string;
  readonly interest: string;
}

/** A loan to schedule. `apr` is a percent string (`"18"` = 18 % a year). */
export interface ScheduleTerms {
  readonly principal: string;
  readonly apr: string;
  readonly term: number;
  readonly method: RepaymentMethod;
  /** The first due date; each next one is a calendar month later (month ends clamp). */
  readonly firstDue: string;
}

/**
 * The repayment schedule the template's `repayment_schedule` rule writes on disbursement, for
 * the demo data: the rule engine's `loanSchedule` (the `loan_schedule` operator) itself, so
 * seeded schedules are exactly what the rule would have generated. Throws for terms the engine
 * refuses (the generator never makes such loans).
 */
export function repaymentSchedule(terms: ScheduleTerms): ScheduleRow[] {
  const rows = loanSchedule(terms);
  if (!rows) throw new RangeError(`no repayment schedule for ${JSON.stringify(terms)}`);
  return rows.map((row) => ({
    period: row.period,
    dueDate: row.due_date,
    principal: row.principal.toFixed(2),
    interest: row.interest.toFixed(2),
  }));
}

/** `date` plus `months` calendar months; the 31st becomes the month's last day when needed. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}
