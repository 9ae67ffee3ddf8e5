import { dateTimeFromDb, fieldTypes } from '@joinery/forms';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateFromText, instantFromText } from '../src/database/api-types.ts';

// The list reads date-times and dates as Postgres's text and answers them without a `Date`; the
// answer must be what pg's own parsers and the record conversion gave, in every session zone.
const raw = { getTypeParser: () => (text: string) => text } as unknown as pg.CustomTypesConfig;
const dateField = fieldTypes
  .get('date', 1)
  .bind({ id: 'f1', key: 'day', type: 'date', label: { 'zh-CN': '日期', en: 'Day' } });

/** The API's answer for a value, or how it fails (infinity has none). */
function shown(show: (value: unknown) => unknown, value: unknown): unknown {
  try {
    return show(value);
  } catch (error) {
    return `throws ${(error as Error).name}`;
  }
}

const INSTANTS = [
  '1000-01-01 00:00:00+00',
  '1899-12-31 23:59:59.9999+00',
  '1937-07-01 00:00:00.1+00',
  '1970-01-01 00:00:00+00',
  '1971-06-01 12:00:00.123456+00',
  '2024-02-29 23:30:00.5+00',
  '2024-03-10 10:30:00.999999+00',
  '2026-12-07 19:11:56.804309+00',
  '9999-12-31 23:59:59.999999+00',
  '0500-03-01 10:00:00+00',
  '0044-03-15 12:00:00+00 BC',
  'infinity',
  '-infinity',
];
const DATES = ['1000-01-01', '2024-02-29', '9999-12-31', '0500-06-01', '0044-03-15 BC', 'infinity'];
const ZONES = [
  'UTC',
  'Asia/Shanghai',
  'America/St_Johns', // -03:30
  'Asia/Kathmandu', // +05:45
  'Europe/Amsterdam', // +00:19:32 before 1937
  'Africa/Monrovia', // -00:44:30 until 1972
  'America/Los_Angeles',
];

let client: pg.Client;
beforeAll(async () => {
  client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
});
afterAll(() => client.end());

/** Postgres's text for `values` as `type` in the session's zone, and what pg parses it into. */
async function printed(type: 'timestamptz' | 'date', values: string[]) {
  const oid = type === 'date' ? pg.types.builtins.DATE : pg.types.builtins.TIMESTAMPTZ;
  // `type` is one of two constants; the values are a parameter.
  const result = await client.query({
    text: `select v from unnest($1::${type}[]) as v`,
    values: [values],
    types: raw,
  });
  return { texts: result.rows.map(({ v }) => v as string), byDate: pg.types.getTypeParser(oid) };
}

describe.each(ZONES)('date-times and dates read as text, session zone %s', (zone) => {
  it('answer what a Date read answers', async () => {
    await client.query(`select set_config('TimeZone', $1, false)`, [zone]);
    const instants = await printed('timestamptz', INSTANTS);
    for (const v of instants.texts) {
      expect(shown(dateTimeFromDb, instantFromText(v)), v).toBe(
        shown(dateTimeFromDb, instants.byDate(v)),
      );
    }
    // Local years 1000–9999 never make a Date: the API's text comes straight from Postgres's.
    const modern = instants.texts.slice(1, 8);
    expect(modern.map((v) => typeof instantFromText(v))).toEqual(modern.map(() => 'string'));

    const dates = await printed('date', DATES);
    for (const v of dates.texts) {
      expect(shown(dateField.fromDb, dateFromText(v)), v).toBe(
        shown(dateField.fromDb, dates.byDate(v)),
      );
    }
  });
});
