import { createTestDatabase } from '@joinery/postgres';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectTo, type Database } from '../src/database/connect.ts';
import { executeShaped } from '../src/database/prepared.ts';

// A shaped statement is built by kysely once per shape; later runs only place their values.
let database: Database;

beforeAll(async () => {
  const testDb = await createTestDatabase();
  database = await connectTo(testDb.url, pino({ level: 'silent' }), testDb.drop);
});
afterAll(() => database.close());

/** `x * 10 + 1` (the 10 a constant of the shape), with `y` when the shape says so. */
function run(shape: string, values: { x: number; y: string }, withY: boolean) {
  return executeShaped<{ v: number; y: string | null }, typeof values>(
    database.db,
    shape,
    values,
    (v) =>
      sql`SELECT ${v.x}::int * ${10}::int + 1 AS v, ${withY ? sql`${v.y}::text` : sql`NULL::text`} AS y`,
  );
}

describe('a shaped statement', () => {
  it('answers for the values of each run, building only the first time of a shape', async () => {
    const build = vi.fn((v: { n: number }) => sql`SELECT ${v.n}::int + 1 AS v`);
    for (const n of [1, 2, 41]) {
      const rows = await executeShaped<{ v: number }, { n: number }>(
        database.db,
        'counted',
        { n },
        build,
      );
      expect(rows).toEqual([{ v: n + 1 }]);
    }
    // Built once with placeholders; the check the tests run with builds each run's anew too.
    const withPlaceholders = build.mock.calls.filter(([v]) => typeof v.n !== 'number');
    expect(withPlaceholders).toHaveLength(1);
    expect(build.mock.calls.map(([v]) => v.n).filter((n) => typeof n === 'number')).toEqual([
      1, 2, 41,
    ]);
  });

  it('keeps constants and values apart, and each shape its own text', async () => {
    expect(await run('xy', { x: 1, y: 'a' }, true)).toEqual([{ v: 11, y: 'a' }]);
    expect(await run('xy', { x: 4, y: 'b' }, true)).toEqual([{ v: 41, y: 'b' }]);
    expect(await run('x', { x: 5, y: 'c' }, false)).toEqual([{ v: 51, y: null }]);
  });

  it('fails, under the check the tests run with, when a value was taken for a constant', async () => {
    expect(process.env.JOINERY_CHECK_SHAPES).toBeTruthy();
    const baked = (n: number) =>
      executeShaped<{ v: number }, { n: number }>(
        database.db,
        'baked',
        { n },
        () => sql`SELECT ${n}::int AS v`,
      );
    expect(await baked(1)).toEqual([{ v: 1 }]);
    await expect(baked(2)).rejects.toThrow(/shaped statement "baked" differs/);
  });
});
