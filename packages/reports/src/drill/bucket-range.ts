import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import type { DateBucket } from '../definition/report-definition.ts';

dayjs.extend(utc);
dayjs.extend(timezone);

const STEP: Readonly<Record<DateBucket, [number, 'day' | 'month' | 'year']>> = {
  day: [1, 'day'],
  week: [7, 'day'],
  month: [1, 'month'],
  quarter: [3, 'month'],
  year: [1, 'year'],
};

/**
 * The half-open range `[start, end)` of the bucket starting on `start` (`YYYY-MM-DD`): as dates
 * for a date field, as UTC instants (ISO 8601, milliseconds) of local midnights in `zone` (an
 * IANA time zone, or minutes east of UTC) for a datetime field — the same bucket `date_trunc`
 * formed in SQL.
 */
export function bucketRange(
  start: string,
  bucket: DateBucket,
  type: 'date' | 'datetime',
  zone: string | number,
): { from: string; to: string } {
  const [amount, unit] = STEP[bucket];
  const end = dayjs.utc(start).add(amount, unit).format('YYYY-MM-DD');
  if (type === 'date') return { from: start, to: end };
  const midnight = (day: string) =>
    typeof zone === 'number'
      ? dayjs.utc(day).subtract(zone, 'minute').toISOString()
      : dayjs.tz(day, zone).toISOString();
  return { from: midnight(start), to: midnight(end) };
}
