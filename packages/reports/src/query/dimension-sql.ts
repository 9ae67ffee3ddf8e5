import { type RawBuilder, sql } from 'kysely';
import { bucketZone } from '../definition/prepare-dimensions.ts';
import type { PreparedDimension, ResolvedField } from '../definition/prepared-report.ts';
import type { DateBucket } from '../definition/report-definition.ts';

/** Turns a resolved field into its column reference in a source's query. */
export type FieldSql = (field: ResolvedField) => RawBuilder<unknown>;

/**
 * The grouping value of a dimension in one source's aggregate: the value itself, the start of
 * its date bucket (a `timestamp` in the dimension's time zone, or at the business day's
 * `utcOffsetMinutes`), the index of its number range (`width_bucket`: 0 below the first
 * boundary), or the whole buckets since another date.
 */
export function dimensionSql(
  dimension: PreparedDimension,
  sourceIndex: number,
  fieldSql: FieldSql,
  utcOffsetMinutes?: number,
): RawBuilder<unknown> {
  const field = dimension.fields[sourceIndex];
  if (!field) throw new Error(`Dimension ${dimension.key} is not bound in source ${sourceIndex}`);
  const value = fieldSql(field);
  const since = dimension.since?.[sourceIndex];
  const zone = bucketZone(dimension, utcOffsetMinutes);
  if (dimension.bucket && since) {
    const start = localTime(fieldSql(since), since, zone);
    return bucketsBetween(start, localTime(value, field, zone), dimension.bucket);
  }
  if (dimension.bucket) {
    return sql`date_trunc(${dimension.bucket}, ${localTime(value, field, zone)})`;
  }
  if (dimension.boundaries) {
    return sql`width_bucket((${value})::numeric, ${[...dimension.boundaries]}::numeric[])`;
  }
  return value;
}

/**
 * A date or datetime as a local `timestamp` in a time zone or at a fixed offset in minutes east
 * of UTC (an interval: `at time zone` reads it east-positive, unlike a POSIX string); dates are
 * already local.
 */
function localTime(value: RawBuilder<unknown>, field: ResolvedField, zone: string | number) {
  if (field.field.type !== 'datetime') return sql`(${value})::timestamp`;
  return typeof zone === 'number'
    ? sql`(${value} at time zone make_interval(mins => ${zone}::int))`
    : sql`(${value} at time zone ${zone})`;
}

/** Whole calendar buckets from `start` to `end` (months on book and the like). */
function bucketsBetween(
  start: RawBuilder<unknown>,
  end: RawBuilder<unknown>,
  bucket: DateBucket,
): RawBuilder<number> {
  switch (bucket) {
    case 'day':
      return sql<number>`((${end})::date - (${start})::date)`;
    case 'week':
      return sql<number>`((date_trunc('week', ${end})::date - date_trunc('week', ${start})::date) / 7)`;
    case 'month':
      return sql<number>`((date_part('year', ${end}) - date_part('year', ${start})) * 12 + date_part('month', ${end}) - date_part('month', ${start}))::int`;
    case 'quarter':
      return sql<number>`((date_part('year', ${end}) - date_part('year', ${start})) * 4 + date_part('quarter', ${end}) - date_part('quarter', ${start}))::int`;
    case 'year':
      return sql<number>`(date_part('year', ${end}) - date_part('year', ${start}))::int`;
  }
}

/** One bucket as an interval, to find the previous period of a bucket. */
export const BUCKET_INTERVAL: Readonly<Record<DateBucket, string>> = {
  day: '1 day',
  week: '7 days',
  month: '1 month',
  quarter: '3 months',
  year: '1 year',
};
