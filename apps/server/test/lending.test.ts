import { LENDING_ROLES } from '@joinery/lending-crm';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { DEMO_PASSWORD } from '../src/apps/demo-staff.ts';
import { prepareLendingDemo } from '../src/apps/lending-demo.ts';
import { loadConfig } from '../src/config/config.ts';
import { createTestApp, type TestApp } from './test-app.ts';

describe('the lending CRM in demo mode, on Postgres', () => {
  let test: TestApp;
  let accounts: Awaited<ReturnType<typeof prepareLendingDemo>>;
  const logger = pino({ level: 'silent' });
  const count = async (query: ReturnType<typeof sql<{ n: number }>>) =>
    (await query.execute(test.database.db)).rows[0]?.n;

  beforeAll(async () => {
    test = await createTestApp();
    accounts = await prepareLendingDemo(test.database, logger);
  }, 120_000);
  afterAll(async () => {
    await test?.close();
  });

  it('installs the template and the small demo data on a database without apps, once', async () => {
    expect(await count(sql`select count(*)::int as n from app_lending.customer`)).toBe(300);
    expect(await count(sql`select count(*)::int as n from app_lending.loan_application`)).toBe(600);
    await prepareLendingDemo(test.database, logger);
    expect(await count(sql`select count(*)::int as n from app_lending.customer`)).toBe(300);
  });

  it('stores schedules that add up to each contract to the cent', async () => {
    expect(
      await count(sql`
        select count(*)::int as n from app_lending.contract c
        where c.principal <> (select sum(s.principal) from app_lending.contract__repayment_schedule s
                              where s.parent_id = c.id)
           or c.total_principal <> c.principal`),
    ).toBe(0);
    expect(await count(sql`select count(*)::int as n from app_lending.contract`)).toBeGreaterThan(
      100,
    );
  });

  it('opens collection cases for missed payments in the right bucket', async () => {
    const rows = await sql<{ bucket: string | null; days: number }>`
      select bucket, overdue_days as days from app_lending.collection_case`.execute(
      test.database.db,
    );
    expect(rows.rows.length).toBeGreaterThan(0);
    for (const row of rows.rows) {
      const expected = row.days > 60 ? 'M3+' : row.days > 30 ? 'M2' : row.days > 0 ? 'M1' : null;
      expect(row.bucket).toBe(expected);
    }
    expect(
      await count(sql`
        select count(*)::int as n from app_lending.contract c
        where exists (select 1 from app_lending.contract__repayment_schedule s
                      where s.parent_id = c.id and s.status = 'overdue')
          and not exists (select 1 from app_lending.collection_case x
                          where x.contract = c.id and x.status <> 'recovered')`),
    ).toBe(0);
  });

  it('gives every role of the spec a demo user holding it', async () => {
    expect(accounts.map((a) => a.username)).toEqual(LENDING_ROLES.map((role) => `${role}1`));
    const held = await sql<{ username: string; role: string }>`
      select u.username, r.key as role from joinery.user_roles ur
      join joinery.users u on u.id = ur.user_id join joinery.roles r on r.id = ur.role_id
      where u.username like '%1'`.execute(test.database.db);
    for (const role of LENDING_ROLES) {
      expect(held.rows).toContainEqual({ username: `${role}1`, role });
    }
  });

  it('lists the demo accounts on /api/meta in demo mode only, and they can sign in', async () => {
    for (const demo of [true, false]) {
      const app = await buildApp({
        config: loadConfig({
          DATABASE_URL: 'postgres://unused',
          LOG_LEVEL: 'silent',
          JOINERY_WEB_DIR: '/nonexistent-web-build',
          JOINERY_DEMO: String(demo),
        }),
        db: test.database.db,
        logger,
        demoAccounts: () => accounts,
      });
      const meta = (await app.inject({ method: 'GET', url: '/api/meta' })).json() as {
        demo: boolean;
        demoAccounts: { username: string; password: string }[];
      };
      expect(meta.demo).toBe(demo);
      expect(meta.demoAccounts).toHaveLength(demo ? 10 : 0);
      if (demo)
        expect(meta.demoAccounts[0]).toMatchObject({ username: 'sales1', password: DEMO_PASSWORD });
      await app.close();
    }
    await test.login('sales1', DEMO_PASSWORD);
    await test.login('collector1', DEMO_PASSWORD);
  });

  it('serves the seeded records through the records API, and new serial numbers follow the seeded ones', async () => {
    const admin = await test.login('admin', test.adminPassword);
    const list = await test.app.inject({
      method: 'GET',
      url: '/api/apps/lending/forms/loan_application/records?limit=5',
      headers: admin.headers,
    });
    expect(list.statusCode, list.body).toBe(200);
    const customer = await sql<{ id: string }>`
      select id from app_lending.customer where not blacklisted limit 1`.execute(test.database.db);
    const product = await sql<{ id: string }>`
      select id from app_lending.product where name = '消费分期'`.execute(test.database.db);
    const created = await test.app.inject({
      method: 'POST',
      url: '/api/apps/lending/forms/loan_application/records',
      headers: admin.headers,
      payload: {
        values: {
          customer: customer.rows[0]?.id,
          product: product.rows[0]?.id,
          amount: '20000.00',
          term: 12,
          repayment_method: 'equal_instalment',
          purpose: 'education',
          monthly_income: '15000.00',
          monthly_debt: '3000.00',
          status: 'draft',
        },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const body = created.json() as { values?: Record<string, unknown> } & Record<string, unknown>;
    const values = body.values ?? body;
    expect(values.debt_to_income).toBe('20');
    expect(String(values.serial_no)).toMatch(/^LA-\d{8}-\d{4}$/);
    expect(
      await count(sql`select count(*)::int as n from app_lending.loan_application
                      where serial_no = ${String(values.serial_no)}`),
    ).toBe(1);
  });

  it('runs every dashboard report of the template on the demo data, as the manager', async () => {
    const manager = await test.login('manager1', DEMO_PASSWORD);
    const dashboard = await test.app.inject({
      method: 'GET',
      url: '/api/apps/lending/dashboards/management',
      headers: manager.headers,
    });
    expect(dashboard.statusCode, dashboard.body).toBe(200);
    const widgets = (dashboard.json() as { widgets: { report: string; run: string }[] }).widgets;
    expect(widgets).toHaveLength(8);
    for (const { report, run: url } of widgets) {
      const run = await test.app.inject({
        method: 'POST',
        url,
        headers: manager.headers,
        payload: {},
      });
      expect(run.statusCode, `${report}: ${run.body}`).toBe(200);
    }
    const buckets = await test.app.inject({
      method: 'POST',
      url: '/api/apps/lending/reports/overdue_by_bucket/run',
      headers: manager.headers,
      payload: {},
    });
    const open = await sql<{ bucket: string }>`
      select distinct bucket from app_lending.collection_case
      where status in ('open', 'promised')`.execute(test.database.db);
    for (const row of open.rows) expect(buckets.body).toContain(`"${row.bucket}"`);
  });

  it('narrows every dated widget to the dashboard’s period at once (dates and instants alike)', async () => {
    const manager = await test.login('manager1', DEMO_PASSWORD);
    const opened = await test.app.inject({
      method: 'GET',
      url: '/api/apps/lending/dashboards/management',
      headers: manager.headers,
    });
    expect(opened.json().globalFields.map((f: { key: string }) => f.key)).toEqual(['period']);
    // [Shanghai midnight 270 days ago, Shanghai midnight 90 days ago): instants, as the browser
    // sends a date range; a date field (disbursed_on) must count the same calendar days.
    const midnight = (daysAgo: number) => {
      const local = new Date(Date.now() + 8 * 3_600_000 - daysAgo * 86_400_000);
      local.setUTCHours(0, 0, 0, 0);
      return {
        instant: new Date(local.getTime() - 8 * 3_600_000),
        day: local.toISOString().slice(0, 10),
      };
    };
    const [from, to] = [midnight(270), midnight(90)];
    const period = {
      and: [
        { '>=': [{ var: 'period' }, from.instant.toISOString()] },
        { '<': [{ var: 'period' }, to.instant.toISOString()] },
      ],
    };
    const results = new Map<
      string,
      { ignoredGlobalFilters: number[]; table: { columns: { key: string }[]; rows: unknown[][] } }
    >();
    for (const { report, run: url } of opened.json().widgets as { report: string; run: string }[]) {
      const run = await test.app.inject({
        method: 'POST',
        url,
        headers: manager.headers,
        payload: { globalFilters: [period] },
      });
      expect(run.statusCode, `${report}: ${run.body}`).toBe(200);
      results.set(report, run.json());
    }
    // A snapshot of open cases is not a period's: the widget says it is unfiltered.
    for (const [report, result] of results) {
      expect(result.ignoredGlobalFilters, report).toEqual(
        report === 'overdue_by_bucket' ? [0] : [],
      );
    }
    const total = (report: string, key: string) => {
      const result = results.get(report);
      const index = result?.table.columns.findIndex((column) => column.key === key) ?? -1;
      return (result?.table.rows ?? []).reduce((sum, row) => sum + Number(row[index] ?? 0), 0);
    };
    const applications = await count(sql`
      select count(*)::int as n from app_lending.loan_application
      where deleted_at is null and created_at >= ${from.instant} and created_at < ${to.instant}`);
    expect(applications).toBeGreaterThan(0);
    expect(total('sales_ranking', 'applications')).toBe(applications);
    const disbursed = await sql<{ amount: string }>`
      select coalesce(sum(amount), 0)::text as amount from app_lending.loan_application
      where deleted_at is null and status = 'disbursed'
        and disbursed_on >= ${from.day}::date and disbursed_on < ${to.day}::date`.execute(
      test.database.db,
    );
    expect(Number(disbursed.rows[0]?.amount)).toBeGreaterThan(0);
    expect(total('disbursement_volume', 'amount').toFixed(2)).toBe(
      Number(disbursed.rows[0]?.amount).toFixed(2),
    );
  });
});
