import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { saveScreenshot } from './browser.ts';
import { browserSuite } from './browser-suite.ts';
import { signIn } from './sign-in.ts';

const label = (zh: string, en: string) => ({ 'zh-CN': zh, en });
const APP = 'dash_export';
const PASSWORD = 'Export-password-1';

/** The first sheet of an XLSX file as rows of cell values (the header row first). */
async function sheetRows(path: string): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error('the workbook has no sheet');
  const rows: unknown[][] = [];
  sheet.eachRow((row) => {
    rows.push((row.values as unknown[]).slice(1));
  });
  return rows;
}

// Exporting a dashboard widget's data in real Chromium: the button downloads the server's XLSX
// of the widget under the dashboard's date range, and the file is a workbook with the widget's
// rows; a user without the export right is offered no button.
describe('exporting a dashboard widget to XLSX (Chromium)', () => {
  const started = browserSuite({
    setup: async ({ admin }) => {
      await admin.publishApp({ key: APP, label: label('看板导出', 'Dashboard export') }, [
        {
          key: 'loan',
          label: label('进件', 'Loan'),
          fields: [
            { id: 'l1', key: 'channel', type: 'text', label: label('渠道', 'Channel') },
            { id: 'l2', key: 'applied_on', type: 'date', label: label('申请日期', 'Applied on') },
          ],
        },
      ]);
      await admin.createRecords(
        APP,
        'loan',
        [
          ['web', '2026-01-05'],
          ['web', '2026-01-12'],
          ['store', '2026-01-08'],
          ['store', '2026-03-02'],
        ].map(([channel, day]) => ({ channel, applied_on: day })),
      );
      await admin.request('PUT', `/api/apps/${APP}/reports/by_channel`, {
        definition: {
          version: 1,
          title: label('各渠道进件', 'By channel'),
          chart: { type: 'table', version: 1 },
          sources: [{ key: 'loans', dataset: 'loan' }],
          dimensions: [{ key: 'channel', field: 'channel', label: label('渠道', 'Channel') }],
          measures: [{ key: 'n', op: 'count', label: label('进件数', 'Applications') }],
          globalFields: { day: 'applied_on' },
          sort: [{ key: 'channel' }],
        },
      });
      await admin.request('PUT', `/api/apps/${APP}/dashboards/overview`, {
        title: label('经营看板', 'Overview'),
        globalFields: [{ key: 'day', type: 'date', label: label('申请日期', 'Applied on') }],
        widgets: [{ id: 'channels', report: 'by_channel', x: 0, y: 0, w: 24, h: 6 }],
      });
      // A viewer who may see the dashboard but not export its data.
      const role = await admin.request<{ id: string }>('POST', '/api/roles', {
        key: 'viewer',
        name: label('只读', 'Viewer'),
        permissions: {
          apps: { [APP]: { forms: { loan: { actions: ['view'], rows: 'all' } } } },
        },
      });
      await admin.createUser({
        username: 'qian',
        displayName: '钱只读',
        password: PASSWORD,
        roleIds: [role.id],
      });
    },
  });

  it('downloads the widget as a valid XLSX under the date range', async () => {
    const { server, page: open } = started();
    await open('dashboard-export', 'zh-CN', async ({ page, pageErrors }) => {
      await signIn(page, 'admin', server.adminPassword);
      await page.goto(`/apps/${APP}/dashboards/overview`);
      await page.getByRole('heading', { name: '经营看板' }).waitFor();
      const widget = page.getByRole('region', { name: '各渠道进件' });
      await widget.getByRole('cell', { name: 'web' }).waitFor();

      await page.getByPlaceholder('开始日期').click();
      await page.getByPlaceholder('开始日期').fill('2026-01-01');
      await page.keyboard.press('Enter');
      await page.getByPlaceholder('结束日期').fill('2026-01-31');
      await page.keyboard.press('Enter');
      await saveScreenshot(page, 'dashboard-export-zh-CN');

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        widget.getByRole('button', { name: '导出“各渠道进件”为 Excel' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
      const path = await download.path();
      const bytes = await readFile(path);
      // An XLSX is a zip archive.
      expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
      const rows = await sheetRows(path);
      expect(rows[0]).toEqual(['渠道', '进件数']);
      // January only: store 1, web 2 (March is outside the range).
      expect(rows.slice(1)).toEqual([
        ['store', 1],
        ['web', 2],
      ]);
      expect(pageErrors).toEqual([]);
    });
  }, 120_000);

  it('labels the button in English, and offers none to a user without the export right', async () => {
    const { server, page: open } = started();
    await open('dashboard-export-en', 'en', async ({ page, pageErrors }) => {
      await signIn(page, 'admin', server.adminPassword, 'en');
      await page.goto(`/apps/${APP}/dashboards/overview`);
      const widget = page.getByRole('region', { name: 'By channel' });
      await widget.getByRole('cell', { name: 'web' }).waitFor();
      await widget.getByRole('button', { name: 'Export “By channel” to Excel' }).waitFor();
      expect(pageErrors).toEqual([]);
    });
    await open('dashboard-export-none', 'zh-CN', async ({ page, pageErrors }) => {
      await signIn(page, 'qian', PASSWORD);
      await page.goto(`/apps/${APP}/dashboards/overview`);
      const widget = page.getByRole('region', { name: '各渠道进件' });
      await widget.getByRole('cell', { name: 'web' }).waitFor();
      expect(await widget.getByRole('button', { name: /导出/ }).count()).toBe(0);
      expect(pageErrors).toEqual([]);
    });
  }, 60_000);
});
