import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { saveScreenshot } from './browser.ts';
import { browserSuite } from './browser-suite.ts';
import { signIn } from './sign-in.ts';

const label = (zh: string, en: string) => ({ 'zh-CN': zh, en });
const APP = 'dash_test';

const loanForm = {
  key: 'loan',
  label: label('进件', 'Loan'),
  fields: [
    { id: 'l1', key: 'applicant', type: 'text', label: label('申请人', 'Applicant') },
    { id: 'l2', key: 'channel', type: 'text', label: label('渠道', 'Channel') },
    { id: 'l3', key: 'applied_on', type: 'date', label: label('申请日期', 'Applied on') },
  ],
};

const report = (title: ReturnType<typeof label>, chart: string, dimensions: object[]) => ({
  definition: {
    version: 1,
    title,
    chart: { type: chart, version: 1 },
    sources: [{ key: 'loans', dataset: 'loan' }],
    dimensions,
    measures: [{ key: 'n', op: 'count', label: label('进件数', 'Applications') }],
    globalFields: { day: 'applied_on' },
    ...(dimensions.length > 0 ? { sort: [{ key: 'channel' }] } : {}),
  },
});

// A dashboard in real Chromium: widgets run by the server and drawn by ECharts (loaded only
// here), a global date range applied to every widget, and a click on a bar opening the record
// list of exactly the records behind it.
describe('dashboards (Chromium)', () => {
  const started = browserSuite({
    setup: async ({ admin }) => {
      await admin.publishApp({ key: APP, label: label('看板测试', 'Dashboard test') }, [loanForm]);
      const loans = [
        ['web', '2026-01-05'],
        ['web', '2026-01-12'],
        ['web', '2026-01-20'],
        ['store', '2026-01-08'],
        ['store', '2026-01-30'],
        ['store', '2026-03-02'],
      ].map(([channel, day], i) => ({ applicant: `客户${i + 1}`, channel, applied_on: day }));
      await admin.createRecords(APP, 'loan', loans);
      await admin.request(
        'PUT',
        `/api/apps/${APP}/reports/total`,
        report(label('进件总数', 'Applications'), 'kpi', []),
      );
      await admin.request(
        'PUT',
        `/api/apps/${APP}/reports/by_channel`,
        report(label('各渠道进件', 'By channel'), 'bar', [{ key: 'channel', field: 'channel' }]),
      );
      await admin.request('PUT', `/api/apps/${APP}/dashboards/overview`, {
        title: label('经营看板', 'Overview'),
        globalFields: [{ key: 'day', type: 'date', label: label('申请日期', 'Applied on') }],
        widgets: [
          { id: 'total', report: 'total', x: 0, y: 0, w: 8, h: 3 },
          { id: 'by_channel', report: 'by_channel', x: 0, y: 3, w: 24, h: 8 },
        ],
      });
    },
  });

  const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });
  const kpi = (page: Page) => page.locator('[data-measure="n"]').textContent();

  /** Clicks the first of two bars: a quarter into the chart, just above its axis. */
  async function clickFirstBar(page: Page, name: string) {
    const chart = page.getByRole('img', { name });
    await chart.locator('canvas').waitFor();
    const box = await chart.boundingBox();
    if (!box) throw new Error('the chart has no box');
    await chart.click({ position: { x: 40 + (box.width - 56) / 4, y: box.height - 75 } });
  }

  it('filters every widget by a date range and drills from a bar to its records', async () => {
    const { server, page: open } = started();
    await open('dashboard-zh-CN', 'zh-CN', async ({ page, pageErrors }) => {
      const chartCode: string[] = [];
      page.on('request', (request) => {
        if (/echart-view-.*\.js$/.test(request.url())) chartCode.push(request.url());
      });
      await signIn(page, 'admin', server.adminPassword);
      // The charts' code is not part of the pages before a dashboard.
      expect(chartCode).toEqual([]);
      await page.getByRole('navigation').getByRole('link', { name: '经营看板' }).click();
      await page.getByRole('heading', { name: '经营看板' }).waitFor();
      await poll(() => kpi(page)).toBe('6');
      await page.getByRole('img', { name: '各渠道进件' }).locator('canvas').waitFor();
      expect(chartCode).toHaveLength(1);

      await page.getByPlaceholder('开始日期').click();
      await page.getByPlaceholder('开始日期').fill('2026-01-01');
      await page.keyboard.press('Enter');
      await page.getByPlaceholder('结束日期').fill('2026-01-31');
      await page.keyboard.press('Enter');
      await poll(() => kpi(page)).toBe('5');
      await saveScreenshot(page, 'dashboard-zh-CN');

      // Sorted by channel: `store` (2 in January) comes first.
      await clickFirstBar(page, '各渠道进件');
      await page.getByText('已按看板中点选的数据筛选').waitFor();
      await page.getByRole('heading', { name: '进件', exact: true }).waitFor();
      await poll(() => page.getByTestId('list-total').textContent()).toBe('共 2 条');
      await saveScreenshot(page, 'dashboard-drill-zh-CN');
      await page.getByRole('button', { name: '显示全部' }).click();
      await poll(() => page.getByTestId('list-total').textContent()).toBe('共 6 条');
      expect(pageErrors).toEqual([]);
    });
  }, 120_000);

  it('shows the dashboard in English', async () => {
    const { server, page: open } = started();
    await open('dashboard-en', 'en', async ({ page, pageErrors }) => {
      await signIn(page, 'admin', server.adminPassword, 'en');
      await page.getByRole('navigation').getByRole('link', { name: 'Overview' }).click();
      await page.getByRole('heading', { name: 'Overview' }).waitFor();
      await page.getByRole('region', { name: 'Applications' }).getByText('6').waitFor();
      await page.getByRole('img', { name: 'By channel' }).locator('canvas').waitFor();
      await page.getByText('Applied on').waitFor();
      await saveScreenshot(page, 'dashboard-en');
      expect(pageErrors).toEqual([]);
    });
  }, 60_000);
});
