import { createTestDatabase, type TestDatabase } from '@joinery/postgres';
import { Ajv } from 'ajv';
import { Decimal } from 'decimal.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInChartTypeList, type ChartData, chartDataSchema, fullAccess } from './index.ts';
import {
  CHANNELS,
  generateLending,
  LENDING_DDL,
  lendingCatalog,
  lendingInserts,
} from './testing/lending-fixture.ts';
import {
  bucketOf,
  closeTo,
  decimalSum,
  groupBy,
  monthsBetween,
  shanghaiDate,
} from './testing/reference.ts';
import { records, reportRunner } from './testing/report-runner.ts';

// Every chart type, through the public entry on Postgres, checked against TypeScript over the
// same generated rows: the numbers, and the ECharts dataset/series (or matrix) built from them.

const fixture = generateLending(11);
const apps = fixture.applications;
const customersById = new Map(fixture.customers.map((c) => [c.id, c]));
const channelOf = (a: (typeof apps)[number]) =>
  (a.customerId === null ? undefined : customersById.get(a.customerId))?.channel ?? null;
const everyone = fullAccess(Object.keys(lendingCatalog));
let database: TestDatabase;
let pool: pg.Pool;
const runReport = reportRunner(
  lendingCatalog,
  async (text, values) => (await pool.query(text, [...values])).rows,
);
const validChartData = new Ajv({ strict: true, allowUnionTypes: true }).compile(chartDataSchema);
/** Runs a report and checks its answer against the output schema the server will use. */
async function run(...args: Parameters<typeof runReport>): Promise<ChartData> {
  const data = await runReport(...args);
  // A round trip through JSON, as the answer travels.
  const wire: unknown = JSON.parse(JSON.stringify(data));
  expect(validChartData(wire), JSON.stringify(validChartData.errors)).toBe(true);
  expect(wire).toEqual(data);
  return data;
}

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

const covered = new Set<string>();
const chart = (type: string) => {
  covered.add(type);
  return { type, version: 1 };
};

describe('chart types', () => {
  it('kpi: one row, no series', async () => {
    const data = await run(
      {
        version: 1,
        chart: chart('kpi'),
        sources: [{ key: 'c', dataset: 'customers' }],
        measures: [
          { key: 'income', op: 'sum', field: 'income', label: { 'zh-CN': '收入', en: 'Income' } },
        ],
      },
      everyone,
    );
    expect(data.dataset.source).toEqual([
      [decimalSum(fixture.customers.map((c) => c.income))?.toFixed(2)],
    ]);
    expect(data.dataset.dimensions).toEqual([
      { name: 'income', displayName: 'Income', type: 'number' },
    ]);
  });

  it('bar by a relation field (customer channel), horizontal and stacked', async () => {
    const data = await run(
      {
        version: 1,
        chart: { ...chart('bar'), options: { horizontal: true, stack: true } },
        sources: [{ key: 'a', dataset: 'applications' }],
        dimensions: [{ key: 'channel', field: 'customer.channel' }],
        measures: [{ key: 'n', op: 'count' }],
        sort: [{ key: 'n', direction: 'desc' }],
      },
      everyone,
    );
    const expected = [...groupBy(apps, (a) => [channelOf(a)])].map(([k, v]) => [
      JSON.parse(k)[0],
      v.length,
    ]);
    expect(new Set(data.dataset.source.map((row) => JSON.stringify(row)))).toEqual(
      new Set(expected.map((row) => JSON.stringify(row))),
    );
    const counts = data.dataset.source.map((row) => Number(row[1]));
    expect(counts).toEqual([...counts].sort((x, y) => y - x));
    expect(data.series).toEqual([
      { type: 'bar', name: 'n', stack: 'total', encode: { y: 'channel', x: 'n' } },
    ]);
  });

  it('line with a second dimension spread into one series per value', async () => {
    const data = await run(
      {
        version: 1,
        chart: chart('line'),
        sources: [{ key: 'a', dataset: 'applications' }],
        dimensions: [
          { key: 'month', field: 'submitted', bucket: 'month' },
          { key: 'status', field: 'status' },
        ],
        measures: [{ key: 'total', op: 'sum', field: 'amount' }],
      },
      everyone,
    );
    const statuses = [...new Set(apps.map((a) => a.status))];
    expect(data.series).toHaveLength(statuses.length);
    const columns = data.dataset.dimensions.map((d) => d.name);
    for (const series of data.series) {
      const column = columns.indexOf(String(series.encode.y));
      const status = data.dataset.dimensions[column]?.displayName;
      for (const row of data.dataset.source) {
        const rows = apps.filter(
          (a) => a.status === status && bucketOf(shanghaiDate(a.submittedAt), 'month') === row[0],
        );
        const sum = decimalSum(rows.map((a) => a.amount));
        expect(row[column] ?? null).toBe(sum === null ? null : sum.toFixed(2));
      }
    }
  });

  it('area by ISO week in Asia/Shanghai (instants around local midnight land right)', async () => {
    const data = await run(
      {
        version: 1,
        chart: chart('area'),
        sources: [{ key: 'c', dataset: 'customers' }],
        dimensions: [{ key: 'week', field: 'created', bucket: 'week' }],
        measures: [{ key: 'n', op: 'count' }],
      },
      everyone,
    );
    const expected = [
      ...groupBy(fixture.customers, (c) => [bucketOf(shanghaiDate(c.createdAt), 'week')]),
    ]
      .map(([k, v]) => [JSON.parse(k)[0], v.length])
      .sort((x, y) => (String(x[0]) < String(y[0]) ? -1 : 1));
    expect(data.dataset.source).toEqual(expected);
    expect(data.series[0]).toMatchObject({ type: 'line', areaStyle: {} });
  });

  it('area by day in UTC differs from Shanghai exactly where it should', async () => {
    const data = await run(
      {
        version: 1,
        chart: chart('area'),
        sources: [{ key: 'c', dataset: 'customers' }],
        dimensions: [{ key: 'day', field: 'created', bucket: 'day', timeZone: 'UTC' }],
        measures: [{ key: 'n', op: 'count' }],
      },
      everyone,
    );
    const expected = [...groupBy(fixture.customers, (c) => [c.createdAt.slice(0, 10)])]
      .map(([k, v]) => [JSON.parse(k)[0], v.length])
      .sort((x, y) => (String(x[0]) < String(y[0]) ? -1 : 1));
    expect(data.dataset.source).toEqual(expected);
  });

  it('pie by grade', async () => {
    const data = await run(
      {
        version: 1,
        chart: chart('pie'),
        sources: [{ key: 'c', dataset: 'customers' }],
        dimensions: [{ key: 'grade', field: 'grade' }],
        measures: [{ key: 'n', op: 'count' }],
      },
      everyone,
    );
    const expected = [...groupBy(fixture.customers, (c) => [c.grade])].map(([k, v]) => [
      JSON.parse(k)[0],
      v.length,
    ]);
    expect(new Set(data.dataset.source.map((r) => JSON.stringify(r)))).toEqual(
      new Set(expected.map((r) => JSON.stringify(r))),
    );
    expect(data.series).toEqual([
      { type: 'pie', name: 'n', encode: { itemName: 'grade', value: 'n' } },
    ]);
  });

  it('funnel across forms: customers → applications → approved → signed → disbursed, by channel', async () => {
    const after = (statuses: string[]) => ({ in: [{ var: 'status' }, statuses] });
    const data = await run(
      {
        version: 1,
        chart: chart('funnel'),
        sources: [
          { key: 'c', dataset: 'customers' },
          { key: 'a', dataset: 'applications' },
        ],
        dimensions: [{ key: 'channel', field: { c: 'channel', a: 'customer.channel' } }],
        measures: [
          { key: 'customers', op: 'count', source: 'c' },
          { key: 'applications', op: 'count', source: 'a' },
          {
            key: 'approved',
            op: 'count',
            source: 'a',
            filter: after(['approved', 'signed', 'disbursed']),
          },
          { key: 'signed', op: 'count', source: 'a', filter: after(['signed', 'disbursed']) },
          { key: 'disbursed', op: 'count', source: 'a', filter: after(['disbursed']) },
        ],
      },
      everyone,
    );
    const rows = records(data);
    for (const channel of [...CHANNELS, null]) {
      const row = rows.find((r) => r.channel === channel);
      const mine = apps.filter((a) => channelOf(a) === channel);
      const at = (statuses: string[]) => mine.filter((a) => statuses.includes(a.status)).length;
      expect(row).toEqual({
        channel,
        customers: fixture.customers.filter((c) => c.channel === channel).length,
        applications: mine.length,
        approved: at(['approved', 'signed', 'disbursed']),
        signed: at(['signed', 'disbursed']),
        disbursed: at(['disbursed']),
      });
    }
    // One funnel per channel; the dataset is transposed to one row per step.
    expect(data.series).toHaveLength(rows.length);
    expect(data.dataset.source.map((row) => row[0])).toEqual([
      'customers',
      'applications',
      'approved',
      'signed',
      'disbursed',
    ]);
  });

  it('table with number ranges (boundaries) on money', async () => {
    const data = await run(
      {
        version: 1,
        chart: chart('table'),
        sources: [{ key: 'a', dataset: 'applications' }],
        dimensions: [{ key: 'size', field: 'amount', boundaries: [10000, '50000', 200000.5] }],
        measures: [{ key: 'n', op: 'count' }],
      },
      everyone,
    );
    const label = (amount: string | null) => {
      if (amount === null) return null;
      const value = new Decimal(amount);
      if (value.lt(10000)) return '< 10000';
      if (value.lt(50000)) return '10000 – 50000';
      if (value.lt(200000.5)) return '50000 – 200000.5';
      return '≥ 200000.5';
    };
    const expected = new Map(
      [...groupBy(apps, (a) => [label(a.amount)])].map(([k, v]) => [JSON.parse(k)[0], v.length]),
    );
    const rows = records(data);
    expect(rows.map((r) => r.size)).toEqual([
      '< 10000',
      '10000 – 50000',
      '50000 – 200000.5',
      '≥ 200000.5',
      null,
    ]);
    for (const row of rows) expect(row.n).toBe(expected.get(row.size));
  });

  it('pivot: status down, customer grade across, count and sum in each cell', async () => {
    const data = await run(
      {
        version: 1,
        chart: { ...chart('pivot'), options: { rows: ['status'], columns: ['grade'] } },
        sources: [{ key: 'a', dataset: 'applications' }],
        dimensions: [
          { key: 'status', field: 'status' },
          { key: 'grade', field: 'customer.grade' },
        ],
        measures: [
          { key: 'n', op: 'count' },
          { key: 'total', op: 'sum', field: 'amount' },
        ],
      },
      everyone,
    );
    const matrix = data.matrix;
    if (!matrix) throw new Error('no matrix');
    const gradeOf = (a: (typeof apps)[number]) =>
      (a.customerId === null ? undefined : customersById.get(a.customerId))?.grade ?? null;
    expect(matrix.columnHeaders).toEqual([['A'], ['B'], ['C'], ['D'], [null]]);
    matrix.rowHeaders.forEach(([status], r) => {
      matrix.columnHeaders.forEach(([grade], c) => {
        const rows = apps.filter((a) => a.status === status && gradeOf(a) === grade);
        expect(matrix.cells[r]?.[c * 2]).toBe(rows.length === 0 ? null : rows.length);
        const sum = decimalSum(rows.map((a) => a.amount));
        expect(matrix.cells[r]?.[c * 2 + 1]).toBe(sum === null ? null : sum.toFixed(2));
      });
    });
  });

  it('scatter: one point per owner, count against average amount', async () => {
    const data = await run(
      {
        version: 1,
        chart: { ...chart('scatter'), options: { x: 'n', y: 'mean' } },
        sources: [{ key: 'a', dataset: 'applications' }],
        dimensions: [{ key: 'owner', field: 'owner' }],
        measures: [
          { key: 'n', op: 'count' },
          { key: 'mean', op: 'avg', field: 'amount' },
        ],
      },
      everyone,
    );
    for (const row of records(data)) {
      const mine = apps.filter((a) => a.owner === row.owner);
      const amounts = mine.flatMap((a) => (a.amount === null ? [] : [a.amount]));
      expect(row.n).toBe(mine.length);
      expect(closeTo(row.mean, decimalSum(amounts)?.div(amounts.length) ?? null)).toBe(true);
    }
    expect(data.series).toEqual([
      { type: 'scatter', name: 'n × mean', encode: { x: 'n', y: 'mean', tooltip: ['owner'] } },
    ]);
  });

  it('cohort: submission month × months until decision (a since dimension)', async () => {
    const data = await run(
      {
        version: 1,
        chart: chart('cohort'),
        sources: [
          { key: 'a', dataset: 'applications', filter: { '!=': [{ var: 'decided' }, null] } },
        ],
        dimensions: [
          { key: 'cohort', field: 'submitted', bucket: 'month' },
          { key: 'age', field: 'decided', since: 'submitted', bucket: 'month' },
        ],
        measures: [{ key: 'n', op: 'count' }],
      },
      everyone,
    );
    const decided = apps.filter((a) => a.decidedOn !== null);
    const expected = groupBy(decided, (a) => {
      const local = shanghaiDate(a.submittedAt);
      return [bucketOf(local, 'month'), monthsBetween(local, a.decidedOn ?? '')];
    });
    const rows = records(data);
    expect(rows).toHaveLength(expected.size);
    for (const row of rows)
      expect(row.n).toBe(expected.get(JSON.stringify([row.cohort, row.age]))?.length);
    const matrix = data.matrix;
    expect(matrix?.columnHeaders.map(([age]) => age)).toEqual(
      [...new Set(rows.map((r) => r.age))].sort((x, y) => Number(x) - Number(y)),
    );
    expect(data.series[0]).toMatchObject({
      type: 'heatmap',
      encode: { x: 'age', y: 'cohort', value: 'n' },
    });
  });

  it('cuts the result at the limit and says so (the share is still of the whole total)', async () => {
    const data = await run(
      {
        version: 1,
        chart: chart('table'),
        sources: [{ key: 'c', dataset: 'customers' }],
        dimensions: [{ key: 'day', field: 'created', bucket: 'day' }],
        measures: [
          { key: 'n', op: 'count' },
          { key: 'share', op: 'share', of: 'n' },
        ],
        sort: [{ key: 'n', direction: 'desc' }],
        limit: 3,
      },
      everyone,
    );
    expect(data.truncated).toBe(true);
    expect(data.table.rows).toHaveLength(3);
    const [top] = records(data);
    const most = Math.max(
      ...[...groupBy(fixture.customers, (c) => [shanghaiDate(c.createdAt)]).values()].map(
        (v) => v.length,
      ),
    );
    expect(top?.n).toBe(most);
    expect(closeTo(top?.share, new Decimal(most).div(fixture.customers.length))).toBe(true);
  });

  it('covers every registered chart type', () => {
    expect([...covered].sort()).toEqual(builtInChartTypeList.map((t) => t.type).sort());
  });
});

describe('measures joining forms', () => {
  it('spend ÷ new customers per channel and month (two sources joined on shared dimensions)', async () => {
    const data = await run(
      {
        version: 1,
        chart: chart('table'),
        sources: [
          { key: 's', dataset: 'spend' },
          { key: 'c', dataset: 'customers' },
        ],
        dimensions: [
          { key: 'channel', field: 'channel' },
          { key: 'month', field: { s: 'month', c: 'created' }, bucket: 'month' },
        ],
        measures: [
          { key: 'spend', op: 'sum', field: 'spend', source: 's' },
          { key: 'customers', op: 'count', source: 'c' },
          { key: 'cac', op: 'ratio', numerator: 'spend', denominator: 'customers' },
        ],
      },
      everyone,
    );
    const rows = records(data);
    const keys = new Set([
      ...fixture.spend.map((s) => JSON.stringify([s.channel, s.month])),
      ...fixture.customers.map((c) =>
        JSON.stringify([c.channel, bucketOf(shanghaiDate(c.createdAt), 'month')]),
      ),
    ]);
    expect(rows).toHaveLength(keys.size);
    for (const row of rows) {
      const spend = decimalSum(
        fixture.spend
          .filter((s) => s.channel === row.channel && s.month === row.month)
          .map((s) => s.spend),
      );
      const customers = fixture.customers.filter(
        (c) =>
          c.channel === row.channel && bucketOf(shanghaiDate(c.createdAt), 'month') === row.month,
      ).length;
      expect(row.spend).toBe(spend === null ? null : spend.toFixed(2));
      expect(row.customers).toBe(customers);
      expect(closeTo(row.cac, spend && customers > 0 ? spend.div(customers) : null)).toBe(true);
    }
  });

  it('KPI across sources without dimensions (a cross join of one-row aggregates)', async () => {
    const data = await run(
      {
        version: 1,
        chart: chart('kpi'),
        sources: [
          { key: 's', dataset: 'spend' },
          { key: 'c', dataset: 'customers' },
        ],
        measures: [
          { key: 'spend', op: 'sum', field: 'spend', source: 's' },
          { key: 'customers', op: 'count', source: 'c' },
          { key: 'cac', op: 'ratio', numerator: 'spend', denominator: 'customers' },
        ],
      },
      everyone,
    );
    const [row] = records(data);
    const spend = decimalSum(fixture.spend.map((s) => s.spend));
    expect(row?.spend).toBe(spend?.toFixed(2));
    expect(closeTo(row?.cac, spend?.div(fixture.customers.length) ?? null)).toBe(true);
  });
});
