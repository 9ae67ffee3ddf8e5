import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller, label, publish } from './records-fixture.ts';
import {
  customerForm,
  type DealRow,
  dealForm,
  funnel,
  generateRows,
  groupSum,
  money,
  shanghaiMonth,
  userWithRole,
} from './reports-fixture.ts';
import { createTestApp, type TestApp } from './test-app.ts';

let t: TestApp;
let admin: ReturnType<typeof caller>;
let dealIds: string[] = [];
const { customers, deals } = generateRows();

const fixed = (value: unknown) => Number(value).toFixed(2);

/** Bar: amount signed per month (Asia/Shanghai) and status. */
const byMonthAndStatus = {
  version: 1,
  chart: { type: 'bar', version: 1, options: { stack: true } },
  sources: [{ key: 'd', dataset: 'deal' }],
  dimensions: [
    { key: 'month', field: 'signed_at', bucket: 'month' },
    { key: 'status', field: 'status' },
  ],
  globalFields: { period: 'signed_at' },
  measures: [
    { key: 'amount', op: 'sum', field: 'amount' },
    { key: 'n', op: 'count' },
  ],
};

/** Pie: deals per channel of their customer (through the relation). */
const byChannel = {
  version: 1,
  chart: { type: 'pie', version: 1 },
  sources: [{ key: 'd', dataset: 'deal' }],
  dimensions: [{ key: 'channel', field: 'customer.channel' }],
  measures: [{ key: 'n', op: 'count' }],
};

/** KPI: won amount, deal count, and the win rate. */
const wonKpi = {
  version: 1,
  chart: { type: 'kpi', version: 1 },
  sources: [{ key: 'd', dataset: 'deal' }],
  measures: [
    {
      key: 'won',
      op: 'sum',
      field: 'amount',
      filter: { '==': [{ var: 'status' }, 'won'] },
    },
    { key: 'n', op: 'count' },
    { key: 'won_n', op: 'count', filter: { '==': [{ var: 'status' }, 'won'] } },
    { key: 'rate', op: 'ratio', numerator: 'won_n', denominator: 'n' },
  ],
};

/** Table: amount per product with its share of the total. */
const productShare = {
  version: 1,
  chart: { type: 'table', version: 1 },
  sources: [{ key: 'd', dataset: 'deal' }],
  dimensions: [{ key: 'product', field: 'product' }],
  measures: [
    { key: 'amount', op: 'sum', field: 'amount' },
    { key: 'share', op: 'share', of: 'amount' },
  ],
};

/** A report that groups by the amount (number ranges). */
const bySize = {
  version: 1,
  chart: { type: 'bar', version: 1 },
  sources: [{ key: 'd', dataset: 'deal' }],
  dimensions: [{ key: 'size', field: 'amount', boundaries: [100000, 250000] }],
  measures: [{ key: 'n', op: 'count' }],
};

/** Table: deals per owner (a user id, shown by name). */
const byOwner = {
  version: 1,
  chart: { type: 'table', version: 1 },
  sources: [{ key: 'd', dataset: 'deal' }],
  dimensions: [{ key: 'owner', field: 'owner' }],
  measures: [{ key: 'n', op: 'count' }],
};

async function saveReport(key: string, definition: unknown) {
  const saved = await admin('PUT', `/api/apps/sales/reports/${key}`, { definition });
  if (saved.statusCode !== 200) throw new Error(`report ${key}: ${saved.body}`);
  return saved.json();
}

const user = (username: string, permissions: unknown) =>
  userWithRole(t, admin, 'sales', username, permissions);

beforeAll(async () => {
  t = await createTestApp();
  admin = caller(t, await t.login('admin', t.adminPassword));
  await admin('POST', '/api/apps', { key: 'sales', label: label('销售', 'Sales') });
  await publish(admin, 'sales', customerForm);
  await publish(admin, 'sales', dealForm);
  const createdCustomers = await admin('POST', '/api/apps/sales/forms/customer/records/bulk', {
    create: customers.map((values) => ({ values })),
  });
  if (createdCustomers.statusCode !== 200) throw new Error(createdCustomers.body);
  const customerIds: string[] = createdCustomers.json().created.map((r: { id: string }) => r.id);
  const createdDeals = await admin('POST', '/api/apps/sales/forms/deal/records/bulk', {
    create: deals.map((deal) => ({
      values: {
        customer: customerIds[deal.customer],
        amount: money(deal.cents),
        status: deal.status,
        signed_at: deal.signedAt,
        product: deal.product,
      },
    })),
  });
  if (createdDeals.statusCode !== 200) throw new Error(createdDeals.body);
  dealIds = createdDeals.json().created.map((r: { id: string }) => r.id);
  for (const [key, definition] of Object.entries({
    by_month_status: byMonthAndStatus,
    by_channel: byChannel,
    won_kpi: wonKpi,
    funnel,
    product_share: productShare,
    by_size: bySize,
    by_owner: byOwner,
  })) {
    await saveReport(key, definition);
  }
}, 120_000);
afterAll(() => t?.close());

const run = (call: ReturnType<typeof caller>, report: string, body: unknown = {}) =>
  call('POST', `/api/apps/sales/reports/${report}/run`, body);

/** The result table as objects by column key. */
function rowsOf(result: { table: { columns: { key: string }[]; rows: unknown[][] } }) {
  return result.table.rows.map((row) =>
    Object.fromEntries(result.table.columns.map((column, i) => [column.key, row[i]])),
  );
}

describe('report definitions', () => {
  it('are refused with the engine’s JSON pointers, saved in versions, listed and read', async () => {
    const bad = await admin('PUT', '/api/apps/sales/reports/broken', {
      definition: { ...byChannel, measures: [{ key: 'total', op: 'sum', field: 'nope' }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('JNY_REPORT_DEFINITION_INVALID');
    expect(bad.json().error.fields.map((f: { field: string }) => f.field)).toContain(
      '/measures/0/field',
    );
    const again = await saveReport('by_channel', byChannel);
    expect(again.version).toBe(2);
    const list = (await admin('GET', '/api/apps/sales/reports')).json().items;
    expect(list.map((r: { key: string }) => r.key)).toEqual([
      'by_channel',
      'by_month_status',
      'by_owner',
      'by_size',
      'funnel',
      'product_share',
      'won_kpi',
    ]);
    const versions = await t.database.db
      .selectFrom('joinery.report_versions')
      .select('version')
      .execute();
    expect(versions.length).toBe(8);
  });

  it('are saved by administrators only', async () => {
    const rep = await user('writer', { forms: { deal: { actions: ['view'] } } });
    const refused = await rep.call('PUT', '/api/apps/sales/reports/mine', {
      definition: byChannel,
    });
    expect(refused.statusCode).toBe(403);
  });
});

describe('widget numbers against an independent computation', () => {
  it('bar: sum and count per Shanghai month and status', async () => {
    const response = await run(admin, 'by_month_status');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.chart).toEqual({ type: 'bar', version: 1 });
    expect(body.truncated).toBe(false);
    const key = (d: DealRow) => `${shanghaiMonth(d.signedAt)}|${d.status}`;
    const sums = groupSum(deals, key, (d) => d.cents);
    const counts = groupSum(deals, key, () => 1);
    const rows = rowsOf(body);
    expect(rows.length).toBe(sums.size);
    for (const row of rows) {
      const k = `${row.month}|${row.status}`;
      expect(fixed(row.amount), k).toBe(money(sums.get(k) ?? -1));
      expect(row.n, k).toBe(counts.get(k));
    }
    // Spread wide for ECharts: one column per status.
    expect(body.series.length).toBeGreaterThan(1);
  });

  it('pie: count per channel read through the relation', async () => {
    const body = (await run(admin, 'by_channel')).json();
    const counts = groupSum(
      deals,
      (d) => customers[d.customer]?.channel ?? '',
      () => 1,
    );
    const rows = rowsOf(body);
    expect(Object.fromEntries(rows.map((r) => [r.channel, r.n]))).toEqual(
      Object.fromEntries(counts),
    );
  });

  it('kpi: a filtered sum, counts and their exact ratio', async () => {
    const [row] = rowsOf((await run(admin, 'won_kpi')).json());
    const won = deals.filter((d) => d.status === 'won');
    expect(fixed(row?.won)).toBe(money(won.reduce((s, d) => s + d.cents, 0)));
    expect(row?.n).toBe(deals.length);
    expect(row?.won_n).toBe(won.length);
    expect(Number(row?.rate)).toBeCloseTo(won.length / deals.length, 12);
  });

  it('funnel across two forms: customers, deals and won deals per channel', async () => {
    const rows = rowsOf((await run(admin, 'funnel')).json());
    for (const channel of ['online', 'agent', 'branch']) {
      const row = rows.find((r) => r.channel === channel);
      const mine = deals.filter((d) => customers[d.customer]?.channel === channel);
      expect(row?.customers, channel).toBe(customers.filter((c) => c.channel === channel).length);
      expect(row?.deals, channel).toBe(mine.length);
      expect(row?.won, channel).toBe(mine.filter((d) => d.status === 'won').length);
    }
  });

  it('table: each product’s share of the total amount', async () => {
    const rows = rowsOf((await run(admin, 'product_share')).json());
    const sums = groupSum(
      deals,
      (d) => d.product,
      (d) => d.cents,
    );
    const total = deals.reduce((s, d) => s + d.cents, 0);
    for (const row of rows) {
      expect(fixed(row.amount)).toBe(money(sums.get(String(row.product)) ?? -1));
      expect(Number(row.share)).toBeCloseTo((sums.get(String(row.product)) ?? 0) / total, 12);
    }
  });

  it('global filters narrow every widget that binds them, and report the ones they cannot', async () => {
    const period = {
      '<=': ['2026-02-28T16:00:00.000Z', { var: 'period' }, '2026-04-30T16:00:00.000Z'],
    };
    const body = (await run(admin, 'by_month_status', { globalFilters: [period] })).json();
    const inside = deals.filter(
      (d) => d.signedAt >= '2026-02-28T16:00:00.000Z' && d.signedAt <= '2026-04-30T16:00:00.000Z',
    );
    const total = rowsOf(body).reduce((s, r) => s + Number(r.n), 0);
    expect(total).toBe(inside.length);
    expect(body.ignoredGlobalFilters).toEqual([]);
    const unknown = await run(admin, 'by_channel', { globalFilters: [period] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('JNY_REPORT_FILTER_INVALID');
  });

  it('leaves soft-deleted records out', async () => {
    const id = dealIds[0] ?? '';
    await sql`update app_sales.deal set deleted_at = now() where id = ${id}`.execute(t.database.db);
    try {
      const [row] = rowsOf((await run(admin, 'won_kpi')).json());
      expect(row?.n).toBe(deals.length - 1);
    } finally {
      await sql`update app_sales.deal set deleted_at = null where id = ${id}`.execute(
        t.database.db,
      );
    }
  });
});

describe('rights', () => {
  it('a viewer with an own-rows scope gets totals over exactly their rows', async () => {
    const rep = await user('rep', {
      forms: { deal: { actions: ['view'], rows: 'own' }, customer: { actions: ['view'] } },
    });
    const mine = dealIds.filter((_, i) => i % 4 === 1);
    await sql`update app_sales.deal set owner = ${rep.id} where id = any(${mine}::uuid[])`.execute(
      t.database.db,
    );
    const owned = deals.filter((_, i) => i % 4 === 1);
    const [kpi] = rowsOf((await run(rep.call, 'won_kpi')).json());
    expect(kpi?.n).toBe(owned.length);
    const won = owned.filter((d) => d.status === 'won');
    expect(fixed(kpi?.won)).toBe(money(won.reduce((s, d) => s + d.cents, 0)));
    // Across forms: all customers (scope "all") but only their own deals.
    const rows = rowsOf((await run(rep.call, 'funnel')).json());
    const total = rows.reduce((s, r) => s + Number(r.deals), 0);
    const customersSeen = rows.reduce((s, r) => s + Number(r.customers), 0);
    expect(total).toBe(owned.length);
    expect(customersSeen).toBe(customers.length);
    // No `export` action: the export is refused.
    const exported = await rep.call('POST', '/api/apps/sales/reports/won_kpi/export', {});
    expect(exported.statusCode).toBe(403);
  });

  it('a department scope counts the rows of the viewer’s department (uuid owners)', async () => {
    const department = await admin('POST', '/api/departments', { name: '东区' });
    const departmentId: string = department.json().id;
    const rights = { forms: { deal: { actions: ['view'], rows: 'department' } } };
    const lead = await user('lead', rights);
    const mate = await user('mate', { forms: { deal: { actions: ['view'] } } });
    for (const id of [lead.id, mate.id]) {
      const moved = await admin('PATCH', `/api/users/${id}`, { departmentId });
      expect(moved.statusCode).toBe(200);
    }
    const ofLead = dealIds.filter((_, i) => i % 4 === 2);
    const ofMate = dealIds.filter((_, i) => i % 4 === 3);
    const db = t.database.db;
    await sql`update app_sales.deal set owner = ${lead.id} where id = any(${ofLead}::uuid[])`.execute(
      db,
    );
    await sql`update app_sales.deal set owner = ${mate.id} where id = any(${ofMate}::uuid[])`.execute(
      db,
    );
    const [kpi] = rowsOf((await run(lead.call, 'won_kpi')).json());
    expect(kpi?.n).toBe(ofLead.length + ofMate.length);
  });

  it('a field the viewer may not read can be neither summed nor grouped', async () => {
    const clerk = await user('clerk', {
      forms: {
        deal: { actions: ['view'], fields: { amount: { read: false } } },
        customer: { actions: ['view'] },
      },
    });
    for (const report of ['won_kpi', 'by_size', 'product_share']) {
      const refused = await run(clerk.call, report);
      expect(refused.statusCode, report).toBe(403);
      expect(refused.json().error.code).toBe('JNY_REPORT_FIELD_UNREADABLE');
      expect(refused.json().error.message).toContain('amount');
    }
    const allowed = await run(clerk.call, 'by_channel');
    expect(allowed.statusCode).toBe(200);
  });

  it('a viewer without `view` on a source form is refused', async () => {
    const outsider = await user('outsider', { forms: { customer: { actions: ['view'] } } });
    const refused = await run(outsider.call, 'by_channel');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('JNY_REPORT_DATASET_FORBIDDEN');
  });
});

describe('user labels', () => {
  it('name the users a result groups by, in the run and in the export', async () => {
    const body = (await run(admin, 'by_owner')).json();
    const owners = rowsOf(body).map((row) => String(row.owner));
    expect(owners.length).toBeGreaterThan(2); // admin, rep, lead, mate after the rights tests
    const users = await t.database.db
      .selectFrom('joinery.users')
      .select(['id', 'display_name'])
      .execute();
    const names = Object.fromEntries(users.map((u) => [u.id, u.display_name]));
    expect(body.labels).toEqual({
      owner: Object.fromEntries(owners.map((id) => [id, names[id]])),
    });
    expect(Object.values(body.labels.owner)).toContain('rep');
    const exported = await admin('POST', '/api/apps/sales/reports/by_owner/export', {});
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(exported.rawPayload as unknown as ArrayBuffer);
    const column = workbook.worksheets[0]?.getColumn(1).values.slice(2).map(String);
    expect(column?.sort()).toEqual(owners.map((id) => names[id]).sort());
  });
});

describe('drill-down', () => {
  it('returns the filter of exactly the point’s records through the records list', async () => {
    const body = (await run(admin, 'by_month_status')).json();
    const point = rowsOf(body).find((r) => r.month === '2026-03-01' && r.status === 'won');
    expect(point).toBeDefined();
    const drill = await admin('POST', '/api/apps/sales/reports/by_month_status/drill', {
      point: { dimensions: { month: '2026-03-01', status: 'won' }, measure: 'amount' },
    });
    expect(drill.statusCode).toBe(200);
    const target = drill.json();
    expect(target.dataset).toBe('deal');
    expect(target.url).toContain('/apps/sales/forms/deal?filter=');
    const filter = encodeURIComponent(JSON.stringify(target.filter));
    const list = await admin(
      'GET',
      `/api/apps/sales/forms/deal/records?filter=${filter}&count=true&limit=200`,
    );
    expect(list.statusCode).toBe(200);
    const page = list.json();
    expect(page.total).toBe(point?.n);
    const cents = page.items.reduce(
      (s: number, r: { values: { amount: string } }) =>
        s + Math.round(Number(r.values.amount) * 100),
      0,
    );
    expect(money(cents)).toBe(fixed(point?.amount));
    const expected = deals.filter(
      (d) => shanghaiMonth(d.signedAt) === '2026-03-01' && d.status === 'won',
    );
    expect(page.total).toBe(expected.length);
  });

  it('drills through a relation (customer.channel) into the same records', async () => {
    const rows = rowsOf((await run(admin, 'by_channel')).json());
    const point = rows.find((r) => r.channel === 'agent');
    const drill = await admin('POST', '/api/apps/sales/reports/by_channel/drill', {
      point: { dimensions: { channel: 'agent' } },
    });
    expect(drill.statusCode).toBe(200);
    const filter = encodeURIComponent(JSON.stringify(drill.json().filter));
    const list = await admin(
      'GET',
      `/api/apps/sales/forms/deal/records?filter=${filter}&count=true&limit=1`,
    );
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().total).toBe(point?.n);
  });

  it('refuses a point that names no dimension of the report', async () => {
    const drill = await admin('POST', '/api/apps/sales/reports/by_month_status/drill', {
      point: { dimensions: { nope: 'x' } },
    });
    expect(drill.statusCode).toBe(400);
    expect(drill.json().error.code).toBe('JNY_REPORT_DRILL_INVALID');
  });
});

describe('export', () => {
  it('streams an XLSX workbook with the widget’s rows, audited', async () => {
    const response = await admin('POST', '/api/apps/sales/reports/by_month_status/export', {});
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error('the workbook has no sheet');
    const result = (await run(admin, 'by_month_status')).json();
    expect(sheet.rowCount).toBe(result.table.rows.length + 1);
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(result.table.columns.map((c: { displayName: string }) => c.displayName));
    const amounts: number[] = [];
    sheet.eachRow((row, index) => {
      if (index > 1) amounts.push(Number(row.getCell(3).value));
    });
    const total = amounts.reduce((s, v) => s + v, 0);
    expect(total.toFixed(2)).toBe(money(deals.reduce((s, d) => s + d.cents, 0)));
    const audit = await t.database.db
      .selectFrom('joinery.audit_log')
      .select(['action', 'target'])
      .where('action', '=', 'report.export')
      .where('target', '=', 'sales/by_month_status')
      .execute();
    expect(audit).toEqual([{ action: 'report.export', target: 'sales/by_month_status' }]);
  });
});

describe('dashboards', () => {
  it('are saved with their widgets and opened as a list of widgets to run one by one', async () => {
    const definition = {
      title: label('销售看板', 'Sales'),
      globalFields: [{ key: 'period', type: 'datetime', label: label('期间', 'Period') }],
      widgets: [
        { id: 'won', report: 'won_kpi', x: 0, y: 0, w: 6, h: 2 },
        { id: 'monthly', report: 'by_month_status', x: 6, y: 0, w: 18, h: 6 },
      ],
    };
    const bad = await admin('PUT', '/api/apps/sales/dashboards/main', {
      ...definition,
      widgets: [{ id: 'a', report: 'missing', x: 0, y: 0, w: 1, h: 1 }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].field).toBe('/widgets/0/report');
    // The KPI does not declare `period`: the dashboard's date range would make it fail.
    const undeclared = await admin('PUT', '/api/apps/sales/dashboards/main', definition);
    expect(undeclared.statusCode).toBe(400);
    expect(undeclared.json().error.fields).toEqual([
      {
        field: '/widgets/0/report',
        reason: "The report won_kpi does not declare the dashboard's global field period",
      },
    ]);
    await saveReport('won_kpi', { ...wonKpi, globalFields: { period: {} } });
    const saved = await admin('PUT', '/api/apps/sales/dashboards/main', definition);
    expect(saved.statusCode).toBe(200);
    const opened = (await admin('GET', '/api/apps/sales/dashboards/main')).json();
    expect(opened.globalFields).toEqual(definition.globalFields);
    expect(opened.widgets.map((w: { run: string }) => w.run)).toEqual([
      '/api/apps/sales/dashboards/main/widgets/won/run',
      '/api/apps/sales/dashboards/main/widgets/monthly/run',
    ]);
    expect(opened.widgets[1].chart).toEqual({ type: 'bar', version: 1 });
    expect((await admin('GET', '/api/apps/sales/dashboards')).json().items.length).toBe(1);
    expect((await admin('GET', '/api/apps/sales/dashboards/none')).statusCode).toBe(404);
    // One date range for every widget: the KPI accepts it and says it did not apply it.
    const period = { '>=': [{ var: 'period' }, '2026-03-01T00:00:00.000Z'] };
    const kpi = (await run(admin, 'won_kpi', { globalFilters: [period] })).json();
    expect(kpi.ignoredGlobalFilters).toEqual([0]);
    expect(rowsOf(kpi)[0]?.n).toBe(deals.length);
  });
});
