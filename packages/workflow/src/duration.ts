import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc.js';

dayjs.extend(utc);

const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;

/** A parsed duration: calendar part (years, months) and an exact part in milliseconds. */
interface DurationParts {
  readonly years: number;
  readonly months: number;
  readonly millis: number;
}

/** Durations come from a handful of definitions; parse each text once. */
const parsed = new Map<string, DurationParts>();

function partsOf(text: string): DurationParts {
  let parts = parsed.get(text);
  if (parts === undefined) {
    // dayjs durations approximate months as days and do not separate weeks reliably, so the
    // fields are read from the ISO text itself; calendar arithmetic is left to dayjs below.
    const m = ISO_DURATION.exec(text);
    if (m === null) throw new RangeError(`Not an ISO-8601 duration: ${text}`);
    const n = (group: string | undefined): number =>
      group === undefined ? 0 : Number.parseInt(group, 10);
    const days = 7 * n(m[3]) + n(m[4]);
    parts = {
      years: n(m[1]),
      months: n(m[2]),
      millis: (((days * 24 + n(m[6])) * 60 + n(m[7])) * 60 + n(m[8])) * 1000,
    };
    parsed.set(text, parts);
  }
  return parts;
}

/** Whether `text` is an ISO-8601 duration such as `P2D`, `PT4H` or `P1DT12H`. */
export function isIsoDuration(text: string): boolean {
  return ISO_DURATION.test(text);
}

/** Whether `text` is an ISO-8601 instant the engine accepts (`2026-11-23T09:00:00Z`, a date…). */
export function isIsoInstant(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}/.test(text) && !Number.isNaN(Date.parse(text));
}

/**
 * `instant + duration` (or `- duration` with sign -1), as an ISO instant in UTC. All engine
 * time is computed from the runtime's clock value in `env.now`, never from the system clock.
 * Years and months are calendar arithmetic (dayjs: Jan 31 + 1 month = Feb 28); days and
 * shorter are exact (UTC has no daylight saving).
 */
export function addDuration(instant: string, duration: string, sign: 1 | -1 = 1): string {
  const parts = partsOf(duration);
  let base = Date.parse(instant);
  if (parts.years !== 0 || parts.months !== 0) {
    const shifted = dayjs
      .utc(base)
      .add(sign * parts.years, 'year')
      .add(sign * parts.months, 'month');
    base = shifted.valueOf();
  }
  return new Date(base + sign * parts.millis).toISOString();
}

/** Milliseconds from `from` to `to` (negative if `to` is earlier). */
export function millisBetween(from: string, to: string): number {
  return Date.parse(to) - Date.parse(from);
}

/** Normalises an ISO instant or date (a date alone is midnight UTC) to a UTC ISO instant. */
export function toInstant(text: string): string {
  return new Date(Date.parse(text)).toISOString();
}
