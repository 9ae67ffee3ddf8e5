/**
 * Calendar arithmetic in UTC without a library, identical in the browser and on the server.
 * Dates are JSON strings: `YYYY-MM-DD` (a calendar date) or ISO 8601 datetimes; a datetime
 * without an offset is read as UTC, never as the machine's local time.
 */

/** A parsed date value: milliseconds since the epoch, and whether it was a calendar date. */
export interface Instant {
  readonly ms: number;
  readonly dateOnly: boolean;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const MS_PER_DAY = 86_400_000;

/** Reads a date value (string or Date); anything else, or an impossible date, gives null. */
export function parseInstant(value: unknown): Instant | null {
  if (value instanceof Date) {
    const ms = value.getTime();
    return Number.isNaN(ms) ? null : { ms, dateOnly: false };
  }
  if (typeof value !== 'string') return null;
  const date = DATE_ONLY.exec(value);
  if (date) {
    const ms = utcDate(Number(date[1]), Number(date[2]), Number(date[3]));
    return ms === null ? null : { ms, dateOnly: true };
  }
  const time = DATE_TIME.exec(value);
  if (!time) return null;
  const text = value.replace(' ', 'T');
  const ms = Date.parse(time[3] ? text : `${text}Z`);
  if (Number.isNaN(ms)) return null;
  const day = utcDate(
    Number(value.slice(0, 4)),
    Number(value.slice(5, 7)),
    Number(value.slice(8, 10)),
  );
  return day === null ? null : { ms, dateOnly: false };
}

/** Midnight UTC of a calendar date, or null when the date does not exist (e.g. 2023-02-29). */
export function utcDate(year: number, month: number, day: number): number | null {
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  return check.getUTCFullYear() === year &&
    check.getUTCMonth() === month - 1 &&
    check.getUTCDate() === day
    ? ms
    : null;
}

/** Formats back in the input's kind: `YYYY-MM-DD` for dates, ISO 8601 UTC for datetimes. */
export function formatInstant(instant: Instant): string {
  const iso = new Date(instant.ms).toISOString();
  return instant.dateOnly ? iso.slice(0, 10) : iso;
}

/** Adds whole months, clamping to the month's last day (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(ms: number, months: number): number {
  const date = new Date(ms);
  const target = new Date(ms);
  target.setUTCDate(1);
  target.setUTCMonth(date.getUTCMonth() + months);
  const lastDay = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return target.getTime();
}

/** Adds days; days are exact 24-hour steps in UTC. */
export function addDays(ms: number, days: number): number {
  return ms + days * MS_PER_DAY;
}

/** Whole days from `from` to `to`, truncated toward zero (negative when `to` is earlier). */
export function diffDays(from: number, to: number): number {
  return Math.trunc((to - from) / MS_PER_DAY);
}

/**
 * Whole calendar months from `from` to `to`, truncated toward zero: 2024-01-31 → 2024-02-29 is
 * one month (the clamped anniversary), 2024-01-15 → 2024-02-14 is none.
 */
export function diffMonths(from: number, to: number): number {
  const a = new Date(from);
  const b = new Date(to);
  let months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
  const anchor = addMonths(from, months);
  if (to >= from && anchor > to) months -= 1;
  else if (to < from && anchor < to) months += 1;
  return months === 0 ? 0 : months;
}

/** The calendar date (`YYYY-MM-DD`) of an instant seen at a UTC offset in minutes. */
export function calendarDate(ms: number, utcOffsetMinutes: number): string {
  return new Date(ms + utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
}
