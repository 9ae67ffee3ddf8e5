import { createTestDatabase, type TestDatabase } from '@joinery/postgres';
import { logicToSql, type SqlSchema } from '@joinery/rules';
import { isJoineryError } from '@joinery/shared';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChartData, drillDown, fullAccess, prepareReport } from './index.ts';
import {
  generateLending,
  LENDING_DDL,
  lendingCatalog,
  lendingInserts,
} from './testing/lending-fixture.ts';
import { records, reportRunner } from './testing/report-runner.ts';

// The drill-down contract: the JSON-logic filter of a data point selects exactly the records it
// aggregates. Checked by running every point's filter through the rule engine's SQL translation
// (as the record list will) and comparing the count with the point's value.

const fixture = generateLending(31);
const everyone = fullAccess(Object.keys(lendingCatalog));
let database: TestDatabase;
let pool: pg.Pool;
let db: Kysely<Record<string, never>>;
const run = reportRunner(
  lendingCatalog,
  async (text, values) => (await pool.query(text, [...values])).rows,
);

/** The schema the record list would use for a dataset. */
function recordListSchema(name: string): SqlSchema {
  const dataset = lendingCatalog[name];
  if (!dataset) throw new Error(name);
  const relations = Object.fromEntries(
    Object.entries(dataset.relations ?? {}).map(([key, relation]) => {
      const target = lendingCatalog[relation.dataset];
      if (!target) throw new Error(relation.dataset);
      return [key, { ...relation, table: target.table, fields: target.fields }];
    }),
  );
  return { table: dataset.table, fields: dataset.fields, relations };
}

async function countRecords(dataset: string, filter: unknown): Promise<number> {
  const schema = recordListSchema(dataset);
  const where = logicToSql(filter, schema);
  const result = await sql<{
    n: number;
  }>`select count(*)::int as n from ${sql.id(schema.table)} where ${where}`.execute(db);
  return result.rows[0]?.n ?? -1;
}

beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  await pool.query(LENDING_DDL);
  for (const statement of lendingInserts(fixture))
    await pool.query(statement.text, statement.values);
});

afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

async function checkEveryPoint(
  definition: unknown,
  measure: string,
  globalFilters: unknown[] = [],
) {
  const report = prepareReport(definition, lendingCatalog);
  const data: ChartData = await run(definition, everyone, globalFilters);
  const dimensionKeys = report.dimensions.map((d) => d.key);
  const rows = records(data);
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) {
    const point = Object.fromEntries(dimensionKeys.map((key) => [key, row[key] ?? null]));
    const target = drillDown(report, { dimensions: point, measure }, { globalFilters });
    const count = await countRecords(target.dataset, target.filter);
    expect(count).toBe(row[measure]);
  }
  return rows.length;
}

describe('drill-down', () => {
  it('date buckets in Shanghai (datetime) and by quarter (date), with a second dimension', async () => {
    await checkEveryPoint(
      {
        version: 1,
        chart: { type: 'bar', version: 1 },
        sources: [{ key: 'a', dataset: 'applications' }],
        dimensions: [
          { key: 'week', field: 'submitted', bucket: 'week' },
          { key: 'status', field: 'status' },
        ],
        measures: [{ key: 'n', op: 'count' }],
      },
      'n',
    );
    await checkEveryPoint(
      {
        version: 1,
        chart: { type: 'line', version: 1 },
        sources: [{ key: 'a', dataset: 'applications' }],
        dimensions: [{ key: 'quarter', field: 'decided', bucket: 'quarter' }],
        measures: [{ key: 'n', op: 'count' }],
      },
      'n',
    );
  });

  it('number ranges, relation fields with nulls, and a measure filter', async () => {
    const points = await checkEveryPoint(
      {
        version: 1,
        chart: { type: 'table', version: 1 },
        sources: [{ key: 'a', dataset: 'applications' }],
        dimensions: [
          { key: 'size', field: 'amount', boundaries: [20000, 100000] },
          { key: 'channel', field: 'customer.channel' },
        ],
        measures: [
          { key: 'n', op: 'count' },
          {
            key: 'approved',
            op: 'count',
            filter: { in: [{ var: 'status' }, ['approved', 'signed']] },
          },
          { key: 'rate', op: 'ratio', numerator: 'approved', denominator: 'n' },
        ],
      },
      'approved',
    );
    expect(points).toBeGreaterThan(8);
  });

  it('the step of a cross-form funnel opens the records of its own form, under the global filters', async () => {
    const definition = {
      version: 1,
      chart: { type: 'funnel', version: 1 },
      sources: [
        { key: 'c', dataset: 'customers' },
        { key: 'a', dataset: 'applications' },
      ],
      dimensions: [{ key: 'channel', field: { c: 'channel', a: 'customer.channel' } }],
      globalFields: { period: { c: 'created', a: 'submitted' } },
      measures: [
        { key: 'customers', op: 'count', source: 'c' },
        { key: 'applications', op: 'count', source: 'a' },
      ],
    };
    const filters = [{ '<': [{ var: 'period' }, '2026-02-01T00:00:00.000Z'] }];
    await checkEveryPoint(definition, 'customers', filters);
    await checkEveryPoint(definition, 'applications', filters);
    const report = prepareReport(definition, lendingCatalog);
    expect(
      drillDown(report, { dimensions: { channel: 'online' }, measure: 'applications' }),
    ).toEqual({
      source: 'a',
      dataset: 'applications',
      filter: { '==': [{ var: 'customer.channel' }, 'online'] },
    });
  });

  it('refuses unknown dimensions and values, and age dimensions', () => {
    const report = prepareReport(
      {
        version: 1,
        chart: { type: 'cohort', version: 1 },
        sources: [{ key: 'a', dataset: 'applications' }],
        dimensions: [
          { key: 'cohort', field: 'submitted', bucket: 'month' },
          { key: 'age', field: 'decided', since: 'submitted', bucket: 'month' },
        ],
        measures: [{ key: 'n', op: 'count' }],
      },
      lendingCatalog,
    );
    const code = (action: () => unknown) => {
      try {
        action();
      } catch (error) {
        return isJoineryError(error) ? error.code : 'other';
      }
      return 'none';
    };
    expect(code(() => drillDown(report, { dimensions: { nope: 1 } }))).toBe(
      'JNY_REPORT_DRILL_INVALID',
    );
    expect(code(() => drillDown(report, { dimensions: { cohort: 'May' } }))).toBe(
      'JNY_REPORT_DRILL_INVALID',
    );
    expect(code(() => drillDown(report, { dimensions: { age: 2 } }))).toBe(
      'JNY_REPORT_DRILL_INVALID',
    );
    expect(drillDown(report, { dimensions: { cohort: '2026-01-01' } }).filter).toEqual({
      and: [
        { '>=': [{ var: 'submitted' }, '2025-12-31T16:00:00.000Z'] },
        { '<': [{ var: 'submitted' }, '2026-01-31T16:00:00.000Z'] },
      ],
    });
  });
});
