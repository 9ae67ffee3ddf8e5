import { type RawBuilder, sql } from 'kysely';
import type { ColumnKind } from '../definition/prepared-report.ts';

/**
 * A result value cast so that it reaches JavaScript the same way whatever type parsers the
 * connection has: decimals as text (never a float), numbers as float8 (a JavaScript number),
 * dates as `YYYY-MM-DD`, datetimes as ISO 8601 UTC text.
 */
export function outputSql(raw: RawBuilder<unknown>, kind: ColumnKind): RawBuilder<unknown> {
  switch (kind) {
    case 'number':
      return sql`(${raw})::float8`;
    case 'decimal':
      return sql`(${raw})::numeric::text`;
    case 'range':
      return sql`(${raw})::int`;
    case 'date':
      return sql`to_char(${raw}, 'YYYY-MM-DD')`;
    case 'datetime':
      return sql`to_char((${raw}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
    case 'text':
    case 'boolean':
      return raw;
  }
}
