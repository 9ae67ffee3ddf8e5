import { isJoineryError } from '@joinery/shared';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReportQuery } from '../src/reports/run-report-query.ts';
import { caller, label, publish } from './records-fixture.ts';
import { customerForm, dealForm, funnel, userWithRole } from './reports-fixture.ts';
import { createTestApp, type TestApp } from './test-app.ts';

// Unknown reports and dashboards, statements cancelled by the report timeout, and lists and
// dashboards filtered by the viewer's rights. The server runs with a short report timeout.
const TIMEOUT_MS = 500;

let t: TestApp;
let admin: ReturnType<typeof caller>;
let dealer: Awaited<ReturnType<typeof userWithRole>>;
let marketer: Awaited<ReturnType<typeof userWithRole>>;

const kpi = (dataset: string, measure: Record<string, unknown>) => ({
  version: 1,
  chart: { type: 'kpi', version: 1 },
  sources: [{ key: 's', dataset }],
  measures: [measure],
});

const reports = {
  deal_count: kpi('deal', { key: 'n', op: 'count' }),
  deal_amount: kpi('deal', { key: 'amount', op: 'sum', field: 'amount' }),
  customer_count: kpi('customer', { key: 'n', op: 'count' }),
  funnel,
};

const widget = (report: string, y: number) => ({ id: report, report, x: 0, y, w: 12, h: 4 });

/** A request in one language, as a browser set to it would send it. */
async function inLocale(who: 'zh-CN' | 'en', method: 'GET' | 'POST', url: string) {
  const signedIn = await t.login('admin', t.adminPassword);
  return t.app.inject({
    method,
    url,
    headers: { ...signedIn.headers, 'accept-language': who },
    ...(method === 'POST' && { payload: {} }),
  });
}

const keys = (response: { json(): { items: { key: string }[] } }) =>
  response.json().items.map((item) => item.key);

beforeAll(async () => {
  t = await createTestApp({ JOINERY_REPORT_TIMEOUT_MS: String(TIMEOUT_MS) });
  admin = caller(t, await t.login('admin', t.adminPassword));
  await admin('POST', '/api/apps', { key: 'sales', label: label('销售', 'Sales') });
  await publish(admin, 'sales', customerForm);
  await publish(admin, 'sales', dealForm);
  for (const [key, definition] of Object.entries(reports)) {
    const saved = await admin('PUT', `/api/apps/sales/reports/${key}`, { definition });
    if (saved.statusCode !== 200) throw new Error(saved.body);
  }
  const dashboards = {
    mixed: [
      widget('deal_count', 0),
      widget('deal_amount', 4),
      widget('customer_count', 8),
      widget('funnel', 12),
    ],
    funnel_only: [widget('funnel', 0)],
  };
  for (const [key, widgets] of Object.entries(dashboards)) {
    const saved = await admin('PUT', `/api/apps/sales/dashboards/${key}`, {
      globalFields: [],
      widgets,
    });
    if (saved.statusCode !== 200) throw new Error(saved.body);
  }
  // Deals without their amount; customers only.
  dealer = await userWithRole(t, admin, 'sales', 'dealer', {
    forms: { deal: { actions: ['view'], fields: { amount: { read: false } } } },
  });
  marketer = await userWithRole(t, admin, 'sales', 'marketer', {
    forms: { customer: { actions: ['view'] } },
  });
}, 120_000);
afterAll(() => t?.close());

describe('unknown reports and dashboards', () => {
  it('answer 404 with their own code, in zh-CN and en', async () => {
    const routes: ['GET' | 'POST', string, string][] = [
      ['GET', '/api/apps/sales/reports/nope', 'JNY_REPORT_NOT_FOUND'],
      ['POST', '/api/apps/sales/reports/nope/run', 'JNY_REPORT_NOT_FOUND'],
      ['POST', '/api/apps/sales/reports/nope/export', 'JNY_REPORT_NOT_FOUND'],
      ['GET', '/api/apps/sales/dashboards/nope', 'JNY_DASHBOARD_NOT_FOUND'],
    ];
    for (const [method, url, code] of routes) {
      const en = await inLocale('en', method, url);
      expect(en.statusCode, url).toBe(404);
      expect(en.json().error.code, url).toBe(code);
      expect(en.json().error.message, url).toMatch(
        /^The app sales has no (report|dashboard) nope$/,
      );
      const zh = await inLocale('zh-CN', method, url);
      expect(zh.json().error.message, url).toMatch(/^应用 sales 中没有(报表|看板) nope$/);
    }
    const drill = await admin('POST', '/api/apps/sales/reports/nope/drill', {
      point: { dimensions: {} },
    });
    expect(drill.statusCode).toBe(404);
    expect(drill.json().error.code).toBe('JNY_REPORT_NOT_FOUND');
    const noApp = await admin('GET', '/api/apps/nope/reports/deal_count');
    expect(noApp.statusCode).toBe(404);
    expect(noApp.json().error.code).toBe('JNY_APP_NOT_FOUND');
  });
});

describe('the report timeout', () => {
  it('cancels a slow statement with JNY_REPORT_TIMEOUT (503, Retry-After), in zh-CN and en', async () => {
    const db = t.database.db;
    const slow = sql`select pg_sleep(5)`.compile(db);
    const started = performance.now();
    const error = await runReportQuery(db, 'sales', slow, 50).catch((caught: unknown) => caught);
    expect(performance.now() - started).toBeLessThan(4000);
    if (!isJoineryError(error)) throw error;
    expect(error.code).toBe('JNY_REPORT_TIMEOUT');
    expect(error.status).toBe(503);
    expect(error.localized('en')).toContain('within 0.05 seconds');
    expect(error.localized('zh-CN')).toContain('超过 0.05 秒');
  });

  it('answers a widget blocked past the server’s timeout with 503, then runs it again', async () => {
    // A table another transaction holds locked: the report's statement waits until the
    // server's statement_timeout cancels it.
    await t.database.db.transaction().execute(async (trx) => {
      await sql`lock table app_sales.deal in access exclusive mode`.execute(trx);
      for (const locale of ['en', 'zh-CN'] as const) {
        const blocked = await inLocale(locale, 'POST', '/api/apps/sales/reports/deal_count/run');
        expect(blocked.statusCode).toBe(503);
        expect(blocked.headers['retry-after']).toBe('60');
        expect(blocked.json().error.code).toBe('JNY_REPORT_TIMEOUT');
        expect(blocked.json().error.message).toContain(locale === 'en' ? '0.5 seconds' : '0.5 秒');
      }
    });
    const again = await admin('POST', '/api/apps/sales/reports/deal_count/run', {});
    expect(again.statusCode).toBe(200);
  });
});

describe('lists and dashboards by rights', () => {
  it('list only the reports each viewer may run', async () => {
    expect(keys(await admin('GET', '/api/apps/sales/reports'))).toEqual([
      'customer_count',
      'deal_amount',
      'deal_count',
      'funnel',
    ]);
    expect(keys(await dealer.call('GET', '/api/apps/sales/reports'))).toEqual(['deal_count']);
    expect(keys(await marketer.call('GET', '/api/apps/sales/reports'))).toEqual(['customer_count']);
  });

  it('refuse a single report as its run would', async () => {
    expect((await dealer.call('GET', '/api/apps/sales/reports/deal_count')).statusCode).toBe(200);
    const hidden = await dealer.call('GET', '/api/apps/sales/reports/deal_amount');
    expect(hidden.statusCode).toBe(403);
    expect(hidden.json().error.code).toBe('JNY_REPORT_FIELD_UNREADABLE');
    const foreign = await marketer.call('GET', '/api/apps/sales/reports/funnel');
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.code).toBe('JNY_REPORT_DATASET_FORBIDDEN');
  });

  it('list dashboards with a widget the viewer may run, and open them with those widgets only', async () => {
    expect(keys(await admin('GET', '/api/apps/sales/dashboards'))).toEqual([
      'funnel_only',
      'mixed',
    ]);
    expect(keys(await dealer.call('GET', '/api/apps/sales/dashboards'))).toEqual(['mixed']);
    expect(keys(await marketer.call('GET', '/api/apps/sales/dashboards'))).toEqual(['mixed']);
    const widgetsOf = async (call: ReturnType<typeof caller>) => {
      const opened = await call('GET', '/api/apps/sales/dashboards/mixed');
      expect(opened.statusCode).toBe(200);
      return opened.json().widgets.map((w: { report: string }) => w.report);
    };
    expect(await widgetsOf(admin)).toEqual([
      'deal_count',
      'deal_amount',
      'customer_count',
      'funnel',
    ]);
    expect(await widgetsOf(dealer.call)).toEqual(['deal_count']);
    expect(await widgetsOf(marketer.call)).toEqual(['customer_count']);
    const none = await dealer.call('GET', '/api/apps/sales/dashboards/funnel_only');
    expect(none.statusCode).toBe(403);
    expect(none.json().error.code).toBe('JNY_DASHBOARD_FORBIDDEN');
    expect(none.json().error.message).toBe('The dashboard funnel_only has no widget you may view');
  });
});
