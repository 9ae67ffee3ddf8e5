import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../src/database/migrations/index.ts';
import { caller, label, publish } from './records-fixture.ts';
import { customerForm, dealForm } from './reports-fixture.ts';
import { createTestApp, type TestApp } from './test-app.ts';

// Dashboard widgets addressed by their ids (run, drill, export; 404 naming an unknown widget),
// ids checked on save and given to dashboards stored before they existed; and the business
// day (JOINERY_UTC_OFFSET_MINUTES, 480 by default: Beijing) deciding which day and month a
// record created near midnight belongs to, in groupings, date ranges and drill-downs.

let t: TestApp;
let admin: ReturnType<typeof caller>;

/** Deals created at these instants (UTC), with the Beijing day each belongs to. */
const created = [
  { at: '2026-03-31T15:59:59.000Z', day: '2026-03-31' },
  { at: '2026-03-31T17:00:00.000Z', day: '2026-04-01' },
  { at: '2026-04-01T15:00:00.000Z', day: '2026-04-01' },
  { at: '2026-04-01T16:00:00.000Z', day: '2026-04-02' },
  { at: '2026-04-30T16:30:00.000Z', day: '2026-05-01' },
];

const byDay = {
  version: 1,
  chart: { type: 'bar', version: 1 },
  sources: [{ key: 'd', dataset: 'deal' }],
  dimensions: [{ key: 'day', field: 'created_at', bucket: 'day' }],
  globalFields: { period: 'created_at' },
  measures: [{ key: 'n', op: 'count' }],
};
const byMonth = {
  ...byDay,
  dimensions: [{ key: 'month', field: 'created_at', bucket: 'month' }],
};

const widget = (id: string, report: string) => ({ id, report, x: 0, y: 0, w: 12, h: 4 });
const board = (widgets: unknown[]) => ({
  globalFields: [{ key: 'period', type: 'datetime' }],
  widgets,
});

/** The result table as `{ <first column>: <n> }`. */
const counts = (result: { table: { rows: unknown[][] } }) =>
  Object.fromEntries(result.table.rows.map((row) => [row[0], row[1]]));

/** Beijing midnight of `day` as the canonical UTC instant a filter compares with. */
const beijingMidnight = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00.000Z`) - 480 * 60_000).toISOString();

/**
 * A server (with `env`) holding the app `sales`: the deals created at `created`, the reports
 * by day and by month, and the dashboard `main` showing them.
 */
async function salesServer(env: Record<string, string> = {}) {
  const server = await createTestApp(env);
  const call = caller(server, await server.login('admin', server.adminPassword));
  await call('POST', '/api/apps', { key: 'sales', label: label('销售', 'Sales') });
  await publish(call, 'sales', customerForm);
  await publish(call, 'sales', dealForm);
  const bulk = await call('POST', '/api/apps/sales/forms/deal/records/bulk', {
    create: created.map((_, i) => ({ values: { status: 'open', product: `p${i}` } })),
  });
  if (bulk.statusCode !== 200) throw new Error(bulk.body);
  for (const [i, { id }] of (bulk.json().created as { id: string }[]).entries()) {
    await sql`update app_sales.deal set created_at = ${created[i]?.at}::timestamptz
              where id = ${id}::uuid`.execute(server.database.db);
  }
  for (const [key, definition] of Object.entries({ by_day: byDay, by_month: byMonth })) {
    const saved = await call('PUT', `/api/apps/sales/reports/${key}`, { definition });
    if (saved.statusCode !== 200) throw new Error(saved.body);
  }
  const saved = await call(
    'PUT',
    '/api/apps/sales/dashboards/main',
    board([widget('daily', 'by_day'), widget('monthly', 'by_month')]),
  );
  if (saved.statusCode !== 200) throw new Error(saved.body);
  return { server, call };
}

/** The products of the records a drill-down from `day` of the daily widget opens. */
async function drilledProducts(call: ReturnType<typeof caller>, day: string) {
  const drill = await call('POST', '/api/apps/sales/dashboards/main/widgets/daily/drill', {
    point: { dimensions: { day } },
  });
  const filter = encodeURIComponent(JSON.stringify(drill.json().filter));
  const list = await call('GET', `/api/apps/sales/forms/deal/records?filter=${filter}`);
  expect(list.statusCode, list.body).toBe(200);
  return list
    .json()
    .items.map((r: { values: { product: string } }) => r.values.product)
    .sort();
}

beforeAll(async () => {
  ({ server: t, call: admin } = await salesServer());
}, 120_000);
afterAll(() => t?.close());

describe('widget ids', () => {
  it('are required, keys, and unique within a dashboard', async () => {
    const cases: [unknown[], string][] = [
      [[{ report: 'by_day', x: 0, y: 0, w: 1, h: 1 }], '/body/widgets/0/id'],
      [[widget('Not a key', 'by_day')], '/body/widgets/0/id'],
      [[widget('a', 'by_day'), widget('b', 'by_month'), widget('a', 'by_month')], '/widgets/2/id'],
    ];
    for (const [widgets, pointer] of cases) {
      const refused = await admin('PUT', '/api/apps/sales/dashboards/other', board(widgets));
      expect(refused.statusCode, JSON.stringify(widgets)).toBe(400);
      const fields = refused.json().error.fields.map((f: { field: string }) => f.field);
      expect(fields, refused.body).toContain(pointer);
    }
    const twice = await admin(
      'PUT',
      '/api/apps/sales/dashboards/other',
      board([widget('a', 'by_day'), widget('a', 'by_month')]),
    );
    expect(twice.json().error).toMatchObject({
      code: 'JNY_REPORT_DEFINITION_INVALID',
      fields: [{ field: '/widgets/1/id', reason: 'The widget id a appears twice' }],
    });
    expect((await admin('GET', '/api/apps/sales/dashboards/other')).statusCode).toBe(404);
  });

  it('address the widgets: run, drill and export by id, as the dashboard lists them', async () => {
    const opened = (await admin('GET', '/api/apps/sales/dashboards/main')).json();
    expect(opened.widgets.map((w: { id: string; run: string }) => [w.id, w.run])).toEqual([
      ['daily', '/api/apps/sales/dashboards/main/widgets/daily/run'],
      ['monthly', '/api/apps/sales/dashboards/main/widgets/monthly/run'],
    ]);
    const viaWidget = await admin('POST', opened.widgets[1].run, {});
    expect(viaWidget.statusCode).toBe(200);
    const viaReport = await admin('POST', '/api/apps/sales/reports/by_month/run', {});
    expect(viaWidget.json().table).toEqual(viaReport.json().table);
    const drill = await admin('POST', '/api/apps/sales/dashboards/main/widgets/daily/drill', {
      point: { dimensions: { day: '2026-04-01' } },
    });
    expect(drill.statusCode, drill.body).toBe(200);
    expect(drill.json().dataset).toBe('deal');
    const exported = await admin(
      'POST',
      '/api/apps/sales/dashboards/main/widgets/daily/export',
      {},
    );
    expect(exported.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(exported.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets[0]?.rowCount).toBe(Object.keys(counts(viaReport.json())).length + 2);
  });

  it('answer 404 naming an unknown widget or dashboard, in zh-CN and en', async () => {
    const signedIn = await t.login('admin', t.adminPassword);
    for (const [url, code, en, zh] of [
      [
        '/api/apps/sales/dashboards/main/widgets/nope/run',
        'JNY_DASHBOARD_WIDGET_NOT_FOUND',
        'The dashboard main has no widget nope',
        '看板 main 中没有组件 nope',
      ],
      [
        '/api/apps/sales/dashboards/main/widgets/nope/drill',
        'JNY_DASHBOARD_WIDGET_NOT_FOUND',
        'The dashboard main has no widget nope',
        '看板 main 中没有组件 nope',
      ],
      [
        '/api/apps/sales/dashboards/main/widgets/nope/export',
        'JNY_DASHBOARD_WIDGET_NOT_FOUND',
        'The dashboard main has no widget nope',
        '看板 main 中没有组件 nope',
      ],
      [
        '/api/apps/sales/dashboards/none/widgets/daily/run',
        'JNY_DASHBOARD_NOT_FOUND',
        'The app sales has no dashboard none',
        '应用 sales 中没有看板 none',
      ],
    ] as const) {
      for (const [locale, message] of [
        ['en', en],
        ['zh-CN', zh],
      ] as const) {
        const response = await t.app.inject({
          method: 'POST',
          url,
          headers: { ...signedIn.headers, 'accept-language': locale },
          payload: url.endsWith('drill') ? { point: { dimensions: {} } } : {},
        });
        expect(response.statusCode, url).toBe(404);
        expect(response.json().error, url).toMatchObject({ code, message });
      }
    }
  });

  it('are given to dashboards stored before widgets had them, by place, deterministically', async () => {
    const app = await t.database.db
      .selectFrom('joinery.apps')
      .select('id')
      .where('key', '=', 'sales')
      .executeTakeFirstOrThrow();
    const old = {
      globalFields: [],
      widgets: [
        { report: 'by_day', x: 0, y: 0, w: 12, h: 4 },
        { report: 'by_month', x: 12, y: 0, w: 12, h: 4 },
        { report: 'by_day', x: 0, y: 4, w: 24, h: 4 },
      ],
    };
    await t.database.db
      .insertInto('joinery.dashboards')
      .values([
        { app_id: app.id, key: 'legacy', definition: JSON.stringify(old) },
        {
          app_id: app.id,
          key: 'legacy_empty',
          definition: JSON.stringify({ globalFields: [], widgets: [] }),
        },
      ])
      .execute();
    const migration = migrations['0015-dashboard-widget-ids'];
    if (!migration) throw new Error('no migration 0015');
    await migration.up(t.database.db);
    await migration.up(t.database.db); // a second run changes nothing
    const stored = await t.database.db
      .selectFrom('joinery.dashboards')
      .select(['key', 'version', 'definition'])
      .where('app_id', '=', app.id)
      .orderBy('key')
      .execute();
    expect(stored).toEqual([
      {
        key: 'legacy',
        version: 1,
        definition: {
          globalFields: [],
          widgets: old.widgets.map((w, i) => ({ id: `w${i + 1}`, ...w })),
        },
      },
      { key: 'legacy_empty', version: 1, definition: { globalFields: [], widgets: [] } },
      {
        key: 'main',
        version: 1,
        definition: board([widget('daily', 'by_day'), widget('monthly', 'by_month')]),
      },
    ]);
    const third = await admin('POST', '/api/apps/sales/dashboards/legacy/widgets/w3/run', {});
    expect(third.statusCode, third.body).toBe(200);
    expect(third.json().chart).toEqual({ type: 'bar', version: 1 });
  });
});

describe('the business day (JOINERY_UTC_OFFSET_MINUTES = 480)', () => {
  it('puts a record created at 2026-03-31T17:00Z on April 1 in day and month groupings', async () => {
    const expectedDays: Record<string, number> = {};
    const expectedMonths: Record<string, number> = {};
    for (const { day } of created) {
      expectedDays[day] = (expectedDays[day] ?? 0) + 1;
      const month = `${day.slice(0, 7)}-01`;
      expectedMonths[month] = (expectedMonths[month] ?? 0) + 1;
    }
    const days = await admin('POST', '/api/apps/sales/dashboards/main/widgets/daily/run', {});
    expect(counts(days.json())).toEqual(expectedDays);
    expect(counts(days.json())).toEqual({
      '2026-03-31': 1,
      '2026-04-01': 2,
      '2026-04-02': 1,
      '2026-05-01': 1,
    });
    const months = await admin('POST', '/api/apps/sales/dashboards/main/widgets/monthly/run', {});
    expect(counts(months.json())).toEqual(expectedMonths);
    expect(counts(months.json())).toEqual({ '2026-03-01': 1, '2026-04-01': 3, '2026-05-01': 1 });
  });

  it('counts it in a date range of April 1 (Beijing midnights), and drills to it', async () => {
    const period = (from: string, to: string) => ({
      globalFilters: [
        { '>=': [{ var: 'period' }, beijingMidnight(from)] },
        { '<': [{ var: 'period' }, beijingMidnight(to)] },
      ],
    });
    const april1 = await admin(
      'POST',
      '/api/apps/sales/dashboards/main/widgets/daily/run',
      period('2026-04-01', '2026-04-02'),
    );
    expect(counts(april1.json())).toEqual({ '2026-04-01': 2 });
    const april = await admin(
      'POST',
      '/api/apps/sales/dashboards/main/widgets/monthly/run',
      period('2026-04-01', '2026-05-01'),
    );
    expect(counts(april.json())).toEqual({ '2026-04-01': 3 });
    const march = await admin(
      'POST',
      '/api/apps/sales/dashboards/main/widgets/monthly/run',
      period('2026-03-01', '2026-04-01'),
    );
    expect(counts(march.json())).toEqual({ '2026-03-01': 1 });
    // The drill-down of the April 1 bar selects exactly its two records.
    expect(await drilledProducts(admin, '2026-04-01')).toEqual(['p1', 'p2']);
  });

  it('follows another business day (UTC+05:30): buckets and drill-downs move with it', async () => {
    const { server, call } = await salesServer({ JOINERY_UTC_OFFSET_MINUTES: '330' });
    try {
      const days = await call('POST', '/api/apps/sales/dashboards/main/widgets/daily/run', {});
      // 17:00Z is 22:30 on March 31 in UTC+05:30; 16:00Z on April 1 is 21:30 the same day.
      expect(counts(days.json())).toEqual({ '2026-03-31': 2, '2026-04-01': 2, '2026-04-30': 1 });
      const months = await call('POST', '/api/apps/sales/dashboards/main/widgets/monthly/run', {});
      expect(counts(months.json())).toEqual({ '2026-03-01': 2, '2026-04-01': 3 });
      expect(await drilledProducts(call, '2026-04-01')).toEqual(['p2', 'p3']);
      expect(await drilledProducts(call, '2026-03-31')).toEqual(['p0', 'p1']);
    } finally {
      await server.close();
    }
  }, 120_000);
});
