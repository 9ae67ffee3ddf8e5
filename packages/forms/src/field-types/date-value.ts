import type { Normalised } from './define-field-type.ts';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:\d{2})$/;

/** True when year, month and day name a real calendar day between years 1000 and 9999. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Checks a `YYYY-MM-DD` date (a real calendar day); the value stays that string. */
export function normaliseDate(value: unknown): Normalised {
  if (typeof value !== 'string') return { ok: false, rule: 'type', params: { expected: 'date' } };
  const match = DATE.exec(value.trim());
  if (!match || !isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]))) {
    return { ok: false, rule: 'format', params: { format: 'YYYY-MM-DD' } };
  }
  return { ok: true, value: value.trim() };
}

/**
 * Checks an ISO 8601 date-time with an explicit offset (`Z` or `+08:00`: a time without one is
 * ambiguous on a server in another zone) and returns it in UTC, millisecond precision.
 */
export function normaliseDateTime(value: unknown): Normalised {
  if (typeof value !== 'string') {
    return { ok: false, rule: 'type', params: { expected: 'datetime' } };
  }
  const match = DATE_TIME.exec(value.trim());
  const invalid = { ok: false, rule: 'format', params: { format: 'ISO 8601' } } as const;
  if (!match) return invalid;
  const [, year, month, day, hour, minute, second = '0'] = match;
  if (!isCalendarDate(Number(year), Number(month), Number(day))) return invalid;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return invalid;
  const time = Date.parse(value.trim().replace(' ', 'T'));
  if (Number.isNaN(time)) return invalid;
  return { ok: true, value: new Date(time).toISOString() };
}

/** Two digits: month and day of a date. */
function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Formats what `pg` returns for a `date` column (a Date at local midnight, or a string). */
export function dateFromDb(value: unknown): string {
  if (value instanceof Date) {
    return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
  }
  return String(value).slice(0, 10);
}

/**
 * UTC ISO 8601 exactly as `toISOString` prints it, on a day every month has (29 and 30 but
 * February, 31 in the long months): such text is already what {@link dateTimeFromDb} answers.
 */
const ISO_INSTANT =
  /^\d{4}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/**
 * Formats what `pg` returns for a `timestamptz` column as UTC ISO 8601: a `Date`, or text (which
 * a query's own type parser may already have made the answer).
 */
export function dateTimeFromDb(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  const text = String(value);
  return ISO_INSTANT.test(text) ? text : new Date(text).toISOString();
}
