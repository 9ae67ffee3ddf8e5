import { createTestDatabase, type TestDatabase } from '@joinery/postgres';
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ReportAccess } from './index.ts';
import {
  type ApplicationRow,
  generateLending,
  LENDING_DDL,
  lendingCatalog,
  lendingInserts,
  STATUSES,
} from './testing/lending-fixture.ts';
import { bucketOf, closeTo, decimalSum, groupBy, shanghaiDate } from './testing/reference.ts';
import { records, reportRunner } from './testing/report-runner.ts';

// Property: for random reports (dimensions, aggregates with and without filters, a source
// filter) under random viewer scopes, the database's groups equal a TypeScript computation
// over the same rows.

const fixture = generateLending(47, 160, 500);
const customersById = new Map(fixture.customers.map((c) => [c.id, c]));
let database: TestDatabase;
let pool: pg.Pool;
const run = reportRunner(
  lendingCatalog,
  async (text, values) => (await pool.query(text, [...values])).rows,
);

beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  await pool.query(LENDING_DDL);
  for (const statement of lendingInserts(fixture))
    await pool.query(statement.text, statement.values);
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

type App = ApplicationRow;
interface Dimension {
  readonly definition: Record<string, unknown>;
  readonly value: (app: App, owners: ReadonlySet<number>) => unknown;
}

const rangeLabel = (amount: string | null) => {
  if (amount === null) return null;
  const value = new Decimal(amount);
  return value.lt(50000) ? '< 50000' : value.lt(150000) ? '50000 – 150000' : '≥ 150000';
};

const DIMENSIONS: Record<string, Dimension> = {
  status: { definition: { field: 'status' }, value: (a) => a.status },
  owner: { definition: { field: 'owner' }, value: (a) => a.owner },
  channel: {
    definition: { field: 'customer.channel' },
    value: (a, owners) => {
      const customer = a.customerId === null ? undefined : customersById.get(a.customerId);
      return customer && owners.has(customer.owner) ? customer.channel : null;
    },
  },
  month: {
    definition: { field: 'submitted', bucket: 'month' },
    value: (a) => bucketOf(shanghaiDate(a.submittedAt), 'month'),
  },
  decided: {
    definition: { field: 'decided', bucket: 'quarter' },
    value: (a) => (a.decidedOn === null ? null : bucketOf(a.decidedOn, 'quarter')),
  },
  size: {
    definition: { field: 'amount', boundaries: [50000, 150000] },
    value: (a) => rangeLabel(a.amount),
  },
};

interface Measure {
  readonly definition: Record<string, unknown>;
  readonly expected: (rows: readonly App[]) => Decimal | number | string | null;
}

const amounts = (rows: readonly App[]) =>
  rows.flatMap((a) => (a.amount === null ? [] : [a.amount]));
const MEASURES: Record<string, Measure> = {
  count: { definition: { op: 'count' }, expected: (rows) => rows.length },
  count_amount: {
    definition: { op: 'count', field: 'amount' },
    expected: (rows) => amounts(rows).length,
  },
  distinct_status: {
    definition: { op: 'count_distinct', field: 'status' },
    expected: (rows) => new Set(rows.map((a) => a.status)).size,
  },
  sum_amount: {
    definition: { op: 'sum', field: 'amount' },
    expected: (rows) => decimalSum(amounts(rows)),
  },
  avg_amount: {
    definition: { op: 'avg', field: 'amount' },
    expected: (rows) => decimalSum(amounts(rows))?.div(amounts(rows).length) ?? null,
  },
  min_amount: {
    definition: { op: 'min', field: 'amount' },
    expected: (rows) => Decimal.min(...(amounts(rows).length ? amounts(rows) : ['NaN'])).toFixed(2),
  },
  max_term: {
    definition: { op: 'max', field: 'term' },
    expected: (rows) => (rows.length ? Math.max(...rows.map((a) => a.term)) : null),
  },
  sum_term: {
    definition: { op: 'sum', field: 'term' },
    expected: (rows) => (rows.length ? rows.reduce((s, a) => s + a.term, 0) : null),
  },
};

const scenario = fc.record({
  dimensions: fc.uniqueArray(fc.constantFrom(...Object.keys(DIMENSIONS)), { maxLength: 2 }),
  measures: fc.uniqueArray(fc.constantFrom(...Object.keys(MEASURES)), {
    minLength: 1,
    maxLength: 4,
  }),
  measureFilter: fc.option(fc.subarray([...STATUSES], { minLength: 1 }), { nil: undefined }),
  longTermsOnly: fc.boolean(),
  owners: fc.option(fc.subarray([1, 2, 3, 4]), { nil: undefined }),
});

it('random reports under random scopes equal the TypeScript computation', async () => {
  await fc.assert(
    fc.asyncProperty(scenario, async (s) => {
      const owners = new Set(s.owners ?? [1, 2, 3, 4]);
      const scope = s.owners ? { in: [{ var: 'owner' }, s.owners] } : true;
      const access: ReportAccess = {
        applications: { scope, readableColumns: 'all' },
        customers: { scope, readableColumns: 'all' },
      };
      const statusFilter: readonly string[] | undefined = s.measureFilter;
      const definition = {
        version: 1,
        chart: { type: 'table', version: 1 },
        sources: [
          {
            key: 'a',
            dataset: 'applications',
            ...(s.longTermsOnly ? { filter: { '>=': [{ var: 'term' }, 24] } } : {}),
          },
        ],
        dimensions: s.dimensions.map((key) => ({ key, ...DIMENSIONS[key]?.definition })),
        measures: s.measures.map((key) => ({
          key,
          ...MEASURES[key]?.definition,
          ...(statusFilter ? { filter: { in: [{ var: 'status' }, statusFilter] } } : {}),
        })),
      };
      const data = await run(definition, access);
      const visible = fixture.applications.filter(
        (a) => owners.has(a.owner) && (!s.longTermsOnly || a.term >= 24),
      );
      const groups = groupBy(visible, (a) =>
        s.dimensions.map((key) => DIMENSIONS[key]?.value(a, owners)),
      );
      const rows = records(data);
      expect(rows).toHaveLength(s.dimensions.length === 0 ? 1 : groups.size);
      for (const row of rows) {
        const key = JSON.stringify(s.dimensions.map((d) => row[d]));
        const group = s.dimensions.length === 0 ? visible : (groups.get(key) ?? []);
        expect(group.length > 0 || s.dimensions.length === 0).toBe(true);
        const counted = statusFilter ? group.filter((a) => statusFilter.includes(a.status)) : group;
        for (const measure of s.measures) {
          const expected = MEASURES[measure]?.expected(counted) ?? null;
          const actual = row[measure];
          if (expected instanceof Decimal)
            expect(closeTo(actual, expected), `${measure} ${actual} ${expected}`).toBe(true);
          else if (expected === 'NaN') expect(actual).toBeNull();
          else expect(actual, measure).toBe(expected);
        }
      }
    }),
    { numRuns: 40, seed: 20261123 },
  );
});
