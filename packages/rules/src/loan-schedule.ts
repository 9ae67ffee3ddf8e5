import type { Decimal } from 'decimal.js';
import { addMonths, formatInstant, parseInstant } from './calendar.ts';
import { Money, toMoney } from './decimal-value.ts';

/** How a loan is repaid: 等额本息, 等额本金 or 先息后本. */
export type RepaymentMethod = 'equal_instalment' | 'equal_principal' | 'interest_first';

/** Every repayment method, as `loan_schedule` names them. */
export const REPAYMENT_METHODS = [
  'equal_instalment',
  'equal_principal',
  'interest_first',
] as const satisfies readonly RepaymentMethod[];

/** The longest schedule `loan_schedule` builds (50 years of monthly instalments). */
export const MAX_LOAN_TERM = 600;

/** A loan to schedule. Amounts are numbers or numeric strings. */
export interface LoanTerms {
  readonly principal: unknown;
  /** Annual rate in percent (`18` = 18 % a year); the monthly rate is a twelfth of it. */
  readonly apr: unknown;
  /** Number of monthly instalments, 1 to `MAX_LOAN_TERM`. */
  readonly term: unknown;
  readonly method: unknown;
  /**
   * The first due date (`YYYY-MM-DD`); instalment k falls k − 1 calendar months later (the day of
   * the month kept, clamped to the month's end: Jan 31 → Feb 28 → Mar 31).
   */
  readonly firstDue: unknown;
}

/** One instalment: money as numbers with at most two decimals, the date as `YYYY-MM-DD`. */
export interface LoanScheduleRow {
  readonly period: number;
  readonly due_date: string;
  readonly principal: number;
  readonly interest: number;
  /** Principal plus interest. */
  readonly payment: number;
  /** Principal still owed after this instalment. */
  readonly balance: number;
}

const cents = (value: Decimal): Decimal => value.toDecimalPlaces(2, Money.ROUND_HALF_UP);

function isMethod(value: unknown): value is RepaymentMethod {
  return REPAYMENT_METHODS.includes(value as RepaymentMethod);
}

/** The level monthly payment of an annuity, `P·r·(1+r)^n / ((1+r)^n − 1)`, in cents. */
function levelPayment(principal: Decimal, rate: Decimal, n: number): Decimal {
  if (rate.isZero()) return cents(principal.div(n));
  const growth = rate.plus(1).pow(n);
  return cents(principal.mul(rate).mul(growth).div(growth.minus(1)));
}

/**
 * The repayment schedule of a loan, exact to the cent (decimal arithmetic, half-up), or null for
 * invalid terms (a negative or non-numeric amount or rate, a term that is not a whole number from
 * 1 to `MAX_LOAN_TERM`, an unknown method, a first due date that is not a `YYYY-MM-DD` date). The principal is
 * first rounded to the cent. Each instalment's interest is the monthly rate (APR ÷ 12) on the
 * principal still owed, rounded to the cent; the last instalment takes whatever principal is
 * left, so the principal parts add up to the loan exactly.
 * - equal instalment (等额本息): the same payment every month (the annuity payment rounded to the
 *   cent), principal = payment − interest;
 * - equal principal (等额本金): principal ÷ term (rounded to the cent) each month, plus interest;
 * - interest first (先息后本): interest only, the whole principal with the last instalment.
 */
export function loanSchedule(terms: LoanTerms): LoanScheduleRow[] | null {
  const amount = toMoney(terms.principal);
  const apr = toMoney(terms.apr);
  const n = typeof terms.term === 'string' ? Number(terms.term) : terms.term;
  const first = parseInstant(terms.firstDue);
  if (!amount || !apr || amount.isNegative() || apr.isNegative()) return null;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_LOAN_TERM) return null;
  if (!isMethod(terms.method) || !first?.dateOnly) return null;
  const principal = cents(amount);
  const rate = apr.div(1200);
  const level =
    terms.method === 'equal_instalment'
      ? levelPayment(principal, rate, n)
      : cents(principal.div(n));
  const rows: LoanScheduleRow[] = [];
  let left = principal;
  for (let period = 1; period <= n; period++) {
    const interest = cents(left.mul(rate));
    let part: Decimal;
    if (period === n) part = left;
    else if (terms.method === 'equal_instalment') {
      part = Money.max(0, Money.min(left, level.minus(interest)));
    } else if (terms.method === 'equal_principal') part = Money.min(left, level);
    else part = new Money(0);
    left = left.minus(part);
    rows.push({
      period,
      due_date: formatInstant({ ms: addMonths(first.ms, period - 1), dateOnly: true }),
      principal: part.toNumber(),
      interest: interest.toNumber(),
      payment: part.plus(interest).toNumber(),
      balance: left.toNumber(),
    });
  }
  return rows;
}
