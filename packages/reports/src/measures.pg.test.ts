import { createTestDatabase, type TestDatabase } from '@joinery/postgres';
import { Decimal } from 'decimal.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildReportQuery,
  type ChartData,
  fullAccess,
  prepareReport,
  type ReportAccess,
  shapeResult,
} from './index.ts';
import {
  generateLending,
  LENDING_DDL,
  lendingCatalog,
  lendingInserts,
} from './testing/lending-fixture.ts';
import { bucketOf, closeTo, decimalSum, groupBy, shanghaiDate } from './testing/reference.ts';

// Every measure, checked against plain TypeScript over the same generated rows.

const fixture = generateLending(7);
const apps = fixture.applications;
const everyone = fullAccess(Object.keys(lendingCatalog));
let database: TestDatabase;
let pool: pg.Pool;

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

async function run(
  definition: unknown,
  access: ReportAccess = everyone,
  globalFilters: readonly unknown[] = [],
): Promise<ChartData> {
  const report = prepareReport(definition, lendingCatalog);
  const query = buildReportQuery(report, { access, globalFilters });
  const result = await pool.query(query.compiled.sql, [...query.compiled.parameters]);
  return shapeResult(report, result.rows, { locale: 'en' });
}

/** The result rows as objects by column key. */
function records(data: ChartData): Record<string, unknown>[] {
  return data.table.rows.map((row) =>
    Object.fromEntries(data.table.columns.map((column, index) => [column.key, row[index]])),
  );
}

describe('aggregates', () => {
  it('count, distinct count, sum, avg, min and max over the whole dataset, money exact', async () => {
    const data = await run({
      version: 1,
      chart: { type: 'table', version: 1 },
      sources: [{ key: 'a', dataset: 'applications' }],
      measures: [
        { key: 'n', op: 'count' },
        { key: 'amounts', op: 'count', field: 'amount' },
        { key: 'statuses', op: 'count_distinct', field: 'status' },
        { key: 'total', op: 'sum', field: 'amount' },
        { key: 'mean', op: 'avg', field: 'amount' },
        { key: 'low', op: 'min', field: 'amount' },
        { key: 'high', op: 'max', field: 'amount' },
        { key: 'terms', op: 'sum', field: 'term' },
        { key: 'first_decided', op: 'min', field: 'decided' },
        { key: 'last_submitted', op: 'max', field: 'submitted' },
      ],
    });
    const [row] = records(data);
    const amounts = apps.map((a) => a.amount).filter((a): a is string => a !== null);
    const total = decimalSum(amounts);
    expect(row?.n).toBe(apps.length);
    expect(row?.amounts).toBe(amounts.length);
    expect(row?.statuses).toBe(new Set(apps.map((a) => a.status)).size);
    expect(row?.total).toBe(total?.toFixed(2));
    expect(closeTo(row?.mean, total?.div(amounts.length) ?? null)).toBe(true);
    const sorted = [...amounts].sort((x, y) => new Decimal(x).cmp(y));
    expect(row?.low).toBe(sorted[0]);
    expect(row?.high).toBe(sorted[sorted.length - 1]);
    expect(row?.terms).toBe(apps.reduce((sum, a) => sum + a.term, 0));
    expect(row?.first_decided).toBe(
      apps.flatMap((a) => (a.decidedOn ? [a.decidedOn] : [])).sort()[0],
    );
    expect(row?.last_submitted).toBe(
      apps
        .map((a) => a.submittedAt)
        .sort()
        .at(-1),
    );
    expect(typeof row?.total).toBe('string');
  });

  it('measure filters count only their rows (count(*) filter (where …))', async () => {
    const data = await run({
      version: 1,
      chart: { type: 'kpi', version: 1 },
      sources: [{ key: 'a', dataset: 'applications' }],
      measures: [
        { key: 'n', op: 'count' },
        {
          key: 'approved',
          op: 'count',
          filter: { in: [{ var: 'status' }, ['approved', 'signed', 'disbursed']] },
        },
        { key: 'big', op: 'sum', field: 'amount', filter: { '>=': [{ var: 'amount' }, 100000] } },
      ],
    });
    const [row] = records(data);
    const approved = apps.filter((a) => ['approved', 'signed', 'disbursed'].includes(a.status));
    const big = apps.filter((a) => a.amount !== null && new Decimal(a.amount).gte(100000));
    expect(row?.approved).toBe(approved.length);
    expect(row?.big).toBe(decimalSum(big.map((a) => a.amount))?.toFixed(2));
    expect(data.series).toEqual([]);
  });
});

describe('sorting', () => {
  it('sorts decimals as numbers, not as their text', async () => {
    const data = await run({
      version: 1,
      chart: { type: 'table', version: 1 },
      sources: [{ key: 'a', dataset: 'applications' }],
      dimensions: [{ key: 'size', field: 'amount', boundaries: [1000, 10000, 100000] }],
      measures: [{ key: 'high', op: 'max', field: 'amount' }],
      sort: [{ key: 'high', direction: 'desc' }],
    });
    const highs = records(data).map((row) => row.high);
    const numeric = highs.filter((value): value is string => typeof value === 'string');
    expect(numeric).toHaveLength(4);
    expect(numeric).toEqual([...numeric].sort((x, y) => new Decimal(y).cmp(x)));
    expect(numeric).not.toEqual([...numeric].sort().reverse());
    expect(highs.at(-1)).toBeNull();
  });
});

describe('durations', () => {
  it('average, longest and total time between two datetimes, in hours, days and minutes', async () => {
    const data = await run({
      version: 1,
      chart: { type: 'table', version: 1 },
      sources: [{ key: 'a', dataset: 'applications' }],
      dimensions: [{ key: 'status', field: 'status' }],
      measures: [
        { key: 'hours', op: 'avg', field: 'reviewed', since: 'submitted', unit: 'hour' },
        { key: 'days', op: 'max', field: 'reviewed', since: 'submitted' },
        { key: 'minutes', op: 'sum', field: 'reviewed', since: 'submitted', unit: 'minute' },
      ],
    });
    for (const row of records(data)) {
      const spans = apps
        .filter((a) => a.status === row.status && a.reviewedAt !== null)
        .map((a) => Date.parse(a.reviewedAt ?? '') - Date.parse(a.submittedAt));
      const sum = spans.reduce((total, ms) => total + ms, 0);
      expect(row.hours).toBeCloseTo(sum / spans.length / 3_600_000, 9);
      expect(row.days).toBeCloseTo(Math.max(...spans) / 86_400_000, 9);
      expect(row.minutes).toBeCloseTo(sum / 60_000, 6);
    }
  });
});

describe('derived and window measures', () => {
  it('ratio, share, running total and change vs the previous month in one statement', async () => {
    const data = await run({
      version: 1,
      chart: { type: 'bar', version: 1 },
      sources: [{ key: 'a', dataset: 'applications' }],
      dimensions: [{ key: 'month', field: 'submitted', bucket: 'month' }],
      measures: [
        { key: 'n', op: 'count' },
        { key: 'total', op: 'sum', field: 'amount' },
        { key: 'mean', op: 'ratio', numerator: 'total', denominator: 'n' },
        { key: 'share', op: 'share', of: 'n' },
        { key: 'running', op: 'running_total', of: 'total' },
        { key: 'delta', op: 'change', of: 'n' },
        { key: 'growth', op: 'change', of: 'total', mode: 'ratio' },
      ],
    });
    const groups = [...groupBy(apps, (a) => [bucketOf(shanghaiDate(a.submittedAt), 'month')])]
      .map(([key, rows]) => ({ month: JSON.parse(key)[0] as string, rows }))
      .sort((x, y) => (x.month < y.month ? -1 : 1));
    const rows = records(data);
    expect(rows.map((r) => r.month)).toEqual(groups.map((g) => g.month));
    let running = new Decimal(0);
    groups.forEach((group, index) => {
      const row = rows[index];
      const total = decimalSum(group.rows.map((a) => a.amount));
      running = running.plus(total ?? 0);
      expect(row?.n).toBe(group.rows.length);
      expect(row?.total).toBe(total?.toFixed(2));
      expect(closeTo(row?.mean, total ? total.div(group.rows.length) : null)).toBe(true);
      expect(closeTo(row?.share, new Decimal(group.rows.length).div(apps.length))).toBe(true);
      expect(closeTo(row?.running, running)).toBe(true);
      const previous = groups[index - 1];
      const expectedDelta = previous ? group.rows.length - previous.rows.length : null;
      expect(row?.delta).toBe(expectedDelta);
      const previousTotal = previous ? decimalSum(previous.rows.map((a) => a.amount)) : null;
      expect(
        closeTo(
          row?.growth,
          previousTotal && total ? total.minus(previousTotal).div(previousTotal) : null,
        ),
      ).toBe(true);
    });
    expect(data.series.map((s) => s.encode)).toContainEqual({ x: 'month', y: 'n' });
  });

  it('change is null when the previous calendar bucket has no group (not the previous row)', async () => {
    const data = await run({
      version: 1,
      chart: { type: 'line', version: 1 },
      sources: [{ key: 's', dataset: 'spend', filter: { '!=': [{ var: 'month' }, '2025-12-01'] } }],
      dimensions: [{ key: 'month', field: 'month', bucket: 'month' }],
      measures: [
        { key: 'spend', op: 'sum', field: 'spend' },
        { key: 'delta', op: 'change', of: 'spend' },
      ],
    });
    const rows = records(data);
    expect(rows.map((r) => r.month)).toEqual([
      '2025-11-01',
      '2026-01-01',
      '2026-02-01',
      '2026-03-01',
    ]);
    expect(rows[1]?.delta).toBeNull();
    const sums = new Map(
      [...groupBy(fixture.spend, (s) => [s.month])].map(([k, v]) => [
        JSON.parse(k)[0] as string,
        decimalSum(v.map((s) => s.spend)) ?? new Decimal(0),
      ]),
    );
    expect(rows[2]?.delta).toBe(
      (sums.get('2026-02-01') ?? new Decimal(0)).minus(sums.get('2026-01-01') ?? 0).toFixed(2),
    );
  });

  it('share per dimension value (per) and running totals per series', async () => {
    const data = await run({
      version: 1,
      chart: { type: 'table', version: 1 },
      sources: [{ key: 'a', dataset: 'applications' }],
      dimensions: [
        { key: 'quarter', field: 'submitted', bucket: 'quarter' },
        { key: 'status', field: 'status' },
      ],
      measures: [
        { key: 'n', op: 'count' },
        { key: 'share', op: 'share', of: 'n', per: ['quarter'] },
        { key: 'running', op: 'running_total', of: 'n', along: 'quarter' },
      ],
    });
    const quarterOf = (a: (typeof apps)[number]) =>
      bucketOf(shanghaiDate(a.submittedAt), 'quarter');
    const byQuarter = groupBy(apps, (a) => [quarterOf(a)]);
    for (const row of records(data)) {
      const inQuarter = byQuarter.get(JSON.stringify([row.quarter])) ?? [];
      const count = inQuarter.filter((a) => a.status === row.status).length;
      expect(row.n).toBe(count);
      expect(closeTo(row.share, new Decimal(count).div(inQuarter.length))).toBe(true);
      const upTo = apps.filter(
        (a) => a.status === row.status && quarterOf(a) <= String(row.quarter),
      );
      expect(row.running).toBe(upTo.length);
    }
  });

  it('by year, and change along a plain dimension is against the previous group of its series', async () => {
    const data = await run({
      version: 1,
      chart: { type: 'table', version: 1 },
      sources: [{ key: 'a', dataset: 'applications' }],
      dimensions: [
        { key: 'year', field: 'submitted', bucket: 'year' },
        { key: 'status', field: 'status' },
      ],
      measures: [
        { key: 'n', op: 'count' },
        { key: 'step', op: 'change', of: 'n', along: 'status' },
        { key: 'rise', op: 'change', of: 'n', along: 'status', mode: 'ratio' },
      ],
    });
    const groups = [
      ...groupBy(apps, (a) => [bucketOf(shanghaiDate(a.submittedAt), 'year'), a.status]),
    ]
      .map(([key, rows]) => {
        const [year, status] = JSON.parse(key) as [string, string];
        return { year, status, n: rows.length };
      })
      .sort((x, y) => (x.year + x.status < y.year + y.status ? -1 : 1));
    expect(new Set(groups.map((g) => g.year)).size).toBeGreaterThan(1);
    const rows = records(data);
    expect(rows.map((r) => [r.year, r.status, r.n])).toEqual(
      groups.map((g) => [g.year, g.status, g.n]),
    );
    groups.forEach((group, index) => {
      const previous = groups[index - 1];
      const same = previous?.year === group.year ? previous : undefined;
      expect(rows[index]?.step).toBe(same ? group.n - same.n : null);
      expect(
        closeTo(rows[index]?.rise, same ? new Decimal(group.n - same.n).div(same.n) : null),
      ).toBe(true);
    });
  });
});
