import type { Kysely, RawBuilder } from 'kysely';
import pg from 'pg';
import { poolOf } from './connect.ts';
import type { JoineryDatabase } from './schema.ts';

/**
 * A `timestamptz` as Postgres prints it (DateStyle ISO), for years 1000–9999: date, time,
 * microseconds, and the session time zone's offset (`+00`, `+08`, `-03:30`, `+05:53:28`).
 */
const TIMESTAMPTZ =
  /^([1-9]\d{3})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?([+-])(\d{2})(?::(\d{2}))?(?::(\d{2}))?$/;

/** The same in a session whose zone is UTC (`+00`): `YYYY-MM-DD HH:MM:SS`, a fraction, `+00`. */
const UTC_TIMESTAMPTZ = /^[1-9]\d{3}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,6})?\+00$/;

/** A `date` as Postgres prints it, for years 1000–9999 (the range date fields accept). */
const DATE = /^[1-9]\d{3}-\d{2}-\d{2}$/;

const parseTimestamptz = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ, 'text');
const parseDate = pg.types.getTypeParser(pg.types.builtins.DATE, 'text');

/** Milliseconds of a fraction of a second as Postgres prints it (`123456` → 123), truncated. */
function milliseconds(fraction: string | undefined): string {
  return fraction === undefined || fraction === '' ? '000' : `${fraction}00`.slice(0, 3);
}

/**
 * A `timestamptz` straight from Postgres's text to the API's UTC ISO 8601 (what `toISOString`
 * prints: milliseconds, `Z`) without pg's parse into a `Date`; in a UTC session by slicing the
 * text alone (a page of records holds a hundred of them). Anything else (years before 1000, BC,
 * infinity) gets pg's own parser: a `Date` as usual.
 */
export function instantFromText(text: string): string | Date | number {
  if (UTC_TIMESTAMPTZ.test(text)) {
    // `2024-01-01 05:33:18.123456+00`: the fraction, if any, between the seconds and `+00`.
    const ms = milliseconds(text.slice(20, text.length - 3));
    return `${text.slice(0, 10)}T${text.slice(11, 19)}.${ms}Z`;
  }
  const m = TIMESTAMPTZ.exec(text);
  if (!m) return parseTimestamptz(text) as Date | number;
  const [, year, month, day, hour, minute, second, fraction, sign, oh, om, os] = m;
  const offset = (Number(oh) * 3600 + Number(om ?? 0) * 60 + Number(os ?? 0)) * 1000;
  const local = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
    Number(milliseconds(fraction)),
  );
  return new Date(sign === '-' ? local + offset : local - offset).toISOString();
}

/** A `date` as its `YYYY-MM-DD` text (what a date field shows); other years as pg parses them. */
export function dateFromText(text: string): string | Date {
  return DATE.test(text) ? text : (parseDate(text) as Date);
}

/**
 * Type parsers for rows the API shows as records: date-times and dates arrive as the text the
 * API answers (see {@link instantFromText}), everything else as pg parses it by default. The
 * record conversion (`rowToRecord`) takes either form and answers the same.
 */
const API_TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (format !== 'binary' && oid === pg.types.builtins.TIMESTAMPTZ) return instantFromText;
    if (format !== 'binary' && oid === pg.types.builtins.DATE) return dateFromText;
    return pg.types.getTypeParser(oid, format ?? 'text');
  },
} as pg.CustomTypesConfig;

/**
 * Runs a query whose rows become API records with {@link API_TYPES}, on the pool of `db`. On a
 * kysely instance without its own pool (a transaction, `kyselyOnClient`) it runs as an ordinary
 * query, with `Date`s — which the record conversion answers the same.
 */
export async function selectForApi<Row>(
  db: Kysely<JoineryDatabase>,
  query: RawBuilder<Row>,
): Promise<Row[]> {
  const pool = poolOf(db);
  if (!pool) return (await query.execute(db)).rows;
  const compiled = query.compile(db);
  const result = await pool.query({
    text: compiled.sql,
    values: [...compiled.parameters],
    types: API_TYPES,
  });
  return result.rows as Row[];
}
