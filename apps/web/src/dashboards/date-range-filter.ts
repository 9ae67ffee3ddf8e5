import type { GlobalField } from '@joinery/shared';

/** A chosen range of calendar days, both ends included (`YYYY-MM-DD`). */
export interface DayRange {
  readonly from: string;
  readonly to: string;
}

/** The day after `day` (`YYYY-MM-DD`), in the calendar, not by adding 24 hours of a clock. */
function nextDay(day: string): string {
  const [y = 0, m = 1, d = 1] = day.split('-').map(Number);
  const next = new Date(Date.UTC(y, m - 1, d + 1));
  return next.toISOString().slice(0, 10);
}

/**
 * Midnight starting `day` on the server's business day (`utcOffsetMinutes` east of UTC), as the
 * canonical UTC instant records hold datetimes in (`2026-03-31T16:00:00.000Z`): the rule engine
 * compares a datetime with any other string as text, so `…T00:00:00+08:00` would not do.
 */
function midnight(day: string, utcOffsetMinutes: number): string {
  const [y = 0, m = 1, d = 1] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d) - utcOffsetMinutes * 60_000).toISOString();
}

/**
 * The dashboard's global filters for a range of days over `field` (JSON-logic over the global
 * field's name, which every report binds to its own field). A date field takes the days as they
 * are; a datetime field runs from the first day's midnight to the midnight after the last day,
 * on the server's business day (`utcOffsetMinutes`, from `GET /api/meta`), the calendar the
 * server groups dates by and decides `today` in.
 */
export function dateRangeFilters(
  field: GlobalField,
  range: DayRange | undefined,
  utcOffsetMinutes: number,
): unknown[] {
  if (!range) return [];
  const value = { var: field.key };
  if (field.type === 'date') {
    return [{ '>=': [value, range.from] }, { '<=': [value, range.to] }];
  }
  return [
    { '>=': [value, midnight(range.from, utcOffsetMinutes)] },
    { '<': [value, midnight(nextDay(range.to), utcOffsetMinutes)] },
  ];
}
