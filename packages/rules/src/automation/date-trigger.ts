import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import type { DateRelativeTrigger } from './automation-rule.ts';

dayjs.extend(utc);
dayjs.extend(timezone);

/** The zone of date triggers and task deadlines that name none (the lending companies' zone). */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** The local time a date trigger fires at when it names none. */
export const DEFAULT_FIRE_TIME = '09:00';

/**
 * How many days a scan looks back at most: a runtime that was stopped longer than this fires
 * only the occurrences of the last year, not every date since it stopped.
 */
export const MAX_CATCH_UP_DAYS = 366;

const DAY_MS = 86_400_000;

/** Whether `name` is an IANA time zone this runtime knows. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** `YYYY-MM-DD` plus whole days, on the calendar (no time zone involved). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The calendar date of an instant in a zone. */
export function localDate(instant: Date, timeZone: string): string {
  return dayjs(instant).tz(timeZone).format('YYYY-MM-DD');
}

/** The instant of a local date and `HH:MM` time in a zone. */
export function localInstant(date: string, time: string, timeZone: string): Date {
  return dayjs.tz(`${date} ${time}:00`, timeZone).toDate();
}

function zoneOf(trigger: DateRelativeTrigger): string {
  return trigger.timeZone ?? DEFAULT_TIME_ZONE;
}

/** When the trigger fires for a record whose field holds `fieldDate` (`YYYY-MM-DD`). */
export function fireInstant(trigger: DateRelativeTrigger, fieldDate: string): Date {
  const day = addDays(fieldDate, trigger.offsetDays);
  return localInstant(day, trigger.at ?? DEFAULT_FIRE_TIME, zoneOf(trigger));
}

/**
 * The field dates whose firing falls in `(after, until]`, oldest first: the dates a scan at
 * `until` must look for, when the previous scan covered everything up to `after`. At most the
 * last `MAX_CATCH_UP_DAYS` days.
 */
export function dueFieldDates(trigger: DateRelativeTrigger, after: Date, until: Date): string[] {
  const zone = zoneOf(trigger);
  const time = trigger.at ?? DEFAULT_FIRE_TIME;
  const earliest = new Date(
    Math.max(after.getTime(), until.getTime() - MAX_CATCH_UP_DAYS * DAY_MS),
  );
  const dates: string[] = [];
  // A day before the local date of `earliest` covers zones whose offset moved (DST).
  for (let day = addDays(localDate(earliest, zone), -1); ; day = addDays(day, 1)) {
    const fires = localInstant(day, time, zone);
    if (fires > until) return dates;
    if (fires > after) dates.push(addDays(day, -trigger.offsetDays));
  }
}

/** The first instant strictly after `after` at which the trigger fires for some date. */
export function nextFireTime(trigger: DateRelativeTrigger, after: Date): Date {
  const zone = zoneOf(trigger);
  const time = trigger.at ?? DEFAULT_FIRE_TIME;
  for (let day = addDays(localDate(after, zone), -1); ; day = addDays(day, 1)) {
    const fires = localInstant(day, time, zone);
    if (fires > after) return fires;
  }
}
