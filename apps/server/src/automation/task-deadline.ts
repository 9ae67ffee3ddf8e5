import {
  addDays,
  DEFAULT_TIME_ZONE,
  type LogicContext,
  localInstant,
  type TaskDeadline,
} from '@joinery/rules';
import { JoineryError } from '@joinery/shared';
import { evaluate } from './evaluate-logic.ts';

const HOUR_MS = 3_600_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function amount(expression: unknown, data: unknown, logic: LogicContext): number | null {
  if (expression === undefined) return 0;
  const value = evaluate(expression, data, logic);
  if (value === null) return null;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || Math.abs(number) > 36_500) {
    throw new JoineryError('JNY_AUTOMATION_DEADLINE_INVALID', { value: JSON.stringify(value) });
  }
  return number;
}

/**
 * When a task opened by a rule is due, or null for none: `days` or `hours` evaluating to null
 * (e.g. "grade D: no deadline"), or an empty base field. After now, or after the record's date
 * (from its local midnight, counted in calendar days) or datetime field.
 */
export function deadlineOf(
  deadline: TaskDeadline,
  data: unknown,
  logic: LogicContext,
  now: Date,
): Date | null {
  const days = amount(deadline.days, data, logic);
  const hours = amount(deadline.hours, data, logic);
  if (days === null || hours === null) return null;
  if (deadline.field === undefined) {
    return new Date(now.getTime() + (days * 24 + hours) * HOUR_MS);
  }
  const base = evaluate({ var: deadline.field }, data, logic);
  if (base === null || base === undefined || base === '') return null;
  if (typeof base === 'string' && DATE.test(base)) {
    const whole = Math.trunc(days);
    const day = addDays(base, whole);
    const midnight = localInstant(day, '00:00', deadline.timeZone ?? DEFAULT_TIME_ZONE);
    return new Date(midnight.getTime() + ((days - whole) * 24 + hours) * HOUR_MS);
  }
  const instant = typeof base === 'string' ? Date.parse(base) : Number.NaN;
  if (Number.isNaN(instant)) {
    throw new JoineryError('JNY_AUTOMATION_DEADLINE_INVALID', { value: JSON.stringify(base) });
  }
  return new Date(instant + (days * 24 + hours) * HOUR_MS);
}
