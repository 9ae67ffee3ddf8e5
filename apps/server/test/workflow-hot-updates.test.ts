import { createTestDatabase } from '@joinery/postgres';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTo, type Database } from '../src/database/connect.ts';
import { migrateToLatest } from '../src/database/migrate.ts';
import { executePrepared } from '../src/database/prepared.ts';

// A workflow step's writes stay cheap: the instance row's update can be HOT (no index covers a
// column every step changes), and the statements of the locking path, which runs inside a
// transaction, are prepared on the transaction's connection like those outside one.
let database: Database;

beforeAll(async () => {
  const testDb = await createTestDatabase();
  database = await connectTo(testDb.url, pino({ level: 'silent' }), testDb.drop);
  await migrateToLatest(database.db);
});
afterAll(() => database.close());

describe('workflow step writes', () => {
  it('index no instance column a step changes (status changes only when an instance ends)', async () => {
    const indexes = await sql<{ name: string; columns: string[]; expressions: string | null }>`
      SELECT c.relname AS name,
        array(SELECT a.attname::text FROM pg_attribute a
          WHERE a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)) AS columns,
        concat_ws(' ', pg_get_expr(i.indexprs, i.indrelid), pg_get_expr(i.indpred, i.indrelid))
          AS expressions
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = 'joinery.workflow_instances'::regclass`.execute(database.db);
    expect(indexes.rows.length).toBeGreaterThan(1);
    const perStep = ['state', 'version', 'updated_at', 'outcome', 'finished_at'];
    for (const index of indexes.rows) {
      const used = [...index.columns, ...(index.expressions ?? '').split(/\W+/)];
      expect(
        perStep.filter((column) => used.includes(column)),
        index.name,
      ).toEqual([]);
    }
  });

  it('prepare a statement inside a transaction on the transaction’s connection', async () => {
    const query = sql`SELECT count(*)::int AS n FROM joinery.workflow_instances WHERE status = ${'x'}`;
    const compiled = query.compile(database.db).sql;
    const preparedHere = await database.db.transaction().execute(async (trx) => {
      const [row] = await executePrepared<{ n: number }>(trx, query);
      expect(row).toEqual({ n: 0 });
      const found = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_prepared_statements
        WHERE statement = ${compiled}`.execute(trx);
      return found.rows[0]?.n;
    });
    expect(preparedHere).toBe(1);
  });
});
