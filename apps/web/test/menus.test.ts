import { describe, expect, it } from 'vitest';
import { saveScreenshot } from './browser.ts';
import { browserSuite } from './browser-suite.ts';
import { signIn } from './sign-in.ts';

const label = (zh: string, en: string) => ({ 'zh-CN': zh, en });
const APP = 'menu_test';
const PASSWORD = 'Menu-password-1';
const textForm = (key: string, zh: string, en: string) => ({
  key,
  label: label(zh, en),
  fields: [{ id: `${key}1`, key: 'name', type: 'text', label: label('名称', 'Name') }],
});

// The side menu follows the user's roles: forms they may view, dashboards whose reports read
// only such forms, and no app group at all for a user with no rights in it.
describe('per-role menus (Chromium)', () => {
  const started = browserSuite({
    setup: async ({ admin }) => {
      await admin.publishApp({ key: APP, label: label('菜单测试', 'Menu test') }, [
        textForm('customer', '客户', 'Customer'),
        textForm('loan', '进件', 'Loan'),
      ]);
      const countOf = (dataset: string, zh: string, en: string) => ({
        definition: {
          version: 1,
          title: label(zh, en),
          chart: { type: 'kpi', version: 1 },
          sources: [{ key: 'rows', dataset }],
          measures: [{ key: 'n', op: 'count', label: label('数量', 'Count') }],
        },
      });
      await admin.request(
        'PUT',
        `/api/apps/${APP}/reports/customers`,
        countOf('customer', '客户数', 'Customers'),
      );
      await admin.request(
        'PUT',
        `/api/apps/${APP}/reports/loans`,
        countOf('loan', '进件数', 'Loans'),
      );
      const board = (zh: string, en: string, report: string) => ({
        title: label(zh, en),
        globalFields: [],
        widgets: [{ id: report, report, x: 0, y: 0, w: 12, h: 6 }],
      });
      await admin.request(
        'PUT',
        `/api/apps/${APP}/dashboards/sales`,
        board('销售看板', 'Sales board', 'customers'),
      );
      await admin.request(
        'PUT',
        `/api/apps/${APP}/dashboards/credit`,
        board('信贷看板', 'Credit board', 'loans'),
      );
      const role = await admin.request<{ id: string }>('POST', '/api/roles', {
        key: 'sales',
        name: label('销售', 'Sales'),
        permissions: {
          apps: { [APP]: { forms: { customer: { actions: ['view', 'create'], rows: 'all' } } } },
        },
      });
      for (const [username, roleIds] of [
        ['zhao', [role.id]],
        ['qian', []],
      ] as const) {
        await admin.createUser({
          username,
          displayName: username,
          password: PASSWORD,
          roleIds,
        });
      }
    },
  });

  it('shows a salesperson only the forms and dashboards of their role, in both languages', async () => {
    const { page: open } = started();
    for (const locale of ['zh-CN', 'en'] as const) {
      await open(`menus-sales-${locale}`, locale, async ({ page, pageErrors }) => {
        await signIn(page, 'zhao', PASSWORD, locale);
        const zh = locale === 'zh-CN';
        const menu = page.getByRole('navigation', { name: zh ? '导航菜单' : 'Navigation' });
        await menu.getByText(zh ? '菜单测试' : 'Menu test').waitFor();
        await menu.getByRole('link', { name: zh ? '客户' : 'Customer', exact: true }).waitFor();
        await menu.getByRole('link', { name: zh ? '销售看板' : 'Sales board' }).waitFor();
        const links = await menu.getByRole('link').allTextContents();
        expect(links).not.toContain(zh ? '进件' : 'Loan');
        expect(links).not.toContain(zh ? '信贷看板' : 'Credit board');
        await saveScreenshot(page, `menus-sales-${locale}`);
        expect(pageErrors).toEqual([]);
      });
    }
  }, 120_000);

  it('shows no app group to a user without rights in it', async () => {
    const { page: open } = started();
    await open('menus-none', 'zh-CN', async ({ page, pageErrors }) => {
      const rights = page.waitForResponse((answer) => answer.url().endsWith('/api/me/access'));
      await signIn(page, 'qian', PASSWORD);
      const menu = page.getByRole('navigation', { name: '导航菜单' });
      await menu.getByRole('link', { name: /待办/ }).waitFor();
      // The menu is complete once the rights and the requests they lead to have answered.
      await rights;
      await page.waitForLoadState('networkidle');
      expect(await menu.getByText('菜单测试').count()).toBe(0);
      expect(await menu.getByRole('link').allTextContents()).toEqual(['首页', '待办']);
      expect(pageErrors).toEqual([]);
    });
  }, 60_000);
});
