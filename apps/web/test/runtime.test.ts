import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { saveScreenshot } from './browser.ts';
import { browserSuite } from './browser-suite.ts';
import { customerForm, followUpForm, runtimeApp, sampleCustomers } from './runtime-fixture.ts';
import { signIn } from './sign-in.ts';

// The end-user runtime in real Chromium against the real server: the menu from metadata, a
// record list (filter, sort, search, import), a form (engine validation, linkage, formula,
// server errors) and the record page (fields, related records, history).
describe('runtime pages (Chromium)', () => {
  const started = browserSuite({
    setup: async ({ admin }) => {
      await admin.publishApp(runtimeApp, [customerForm, followUpForm]);
      await admin.createRecords('crm_test', 'customer', sampleCustomers(30));
    },
  });

  // Pages answer after a server round trip or two: poll longer than vitest's default second.
  const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });
  const grid = (page: Page) => page.getByTestId('record-grid');
  const firstCell = (page: Page) =>
    grid(page).locator('tbody tr.jny-grid__row').first().locator('td').nth(1);

  it('lists, filters, sorts and searches records of a form from the menu', async () => {
    const { server, page: open } = started();
    await open('runtime-list', 'zh-CN', async ({ page, pageErrors }) => {
      await signIn(page, 'admin', server.adminPassword);
      const menu = page.getByRole('navigation', { name: '导航菜单' });
      await menu.getByText('测试应用').waitFor();
      await menu.getByRole('link', { name: '客户', exact: true }).click();
      await page.getByRole('heading', { name: '客户', exact: true }).waitFor();
      await poll(() => page.getByTestId('list-total').textContent()).toBe('共 30 条');
      await saveScreenshot(page, 'runtime-list-zh-CN');

      // The column chooser adds the credit line; then sort by it both ways (the server sorts).
      await page.getByRole('button', { name: '显示列' }).click();
      await page.getByRole('group', { name: '显示列' }).getByLabel('授信金额').check();
      await page.keyboard.press('Escape');
      await grid(page).getByRole('columnheader', { name: '授信金额' }).waitFor();
      await page.getByRole('button', { name: '按授信金额升序' }).click();
      await poll(() => firstCell(page).textContent()).toBe('客户00001');
      await page.getByRole('button', { name: '按授信金额降序' }).click();
      await poll(() => firstCell(page).textContent()).toBe('客户00030');
      // The keyboard: ArrowDown moves to the next record's link; the focus stays on that record
      // while the rows (recycled as the range in view moves) scroll under it.
      const focused = () => grid(page).locator('a:focus').textContent();
      await grid(page).getByRole('link', { name: '客户00030' }).focus();
      await page.keyboard.press('ArrowDown');
      await poll(focused).toBe('客户00029');
      await grid(page).evaluate((element) => {
        element.scrollTop = 3 * 40;
      });
      // Three rows down, the first row in the DOM (the overscan is two) shows the focused record.
      await poll(() => firstCell(page).textContent()).toBe('客户00029');
      await poll(focused).toBe('客户00029');

      // The filter builder: grade equals B, and a credit line of at least 20,000.
      await page.getByRole('button', { name: '筛选' }).click();
      await page.getByRole('button', { name: '添加条件' }).click();
      const rows = page.locator('.jny-filter__row');
      await rows.nth(0).getByLabel('字段', { exact: true }).click();
      await page.getByTitle('等级').last().click();
      await rows.nth(0).getByLabel('值', { exact: true }).click();
      await page.getByTitle('B 类').last().click();
      await page.getByRole('button', { name: '添加条件' }).click();
      await rows.nth(1).getByLabel('字段', { exact: true }).click();
      await page.getByTitle('授信金额').last().click();
      await rows.nth(1).getByLabel('条件', { exact: true }).click();
      await page.getByTitle('大于等于').last().click();
      await rows.nth(1).getByLabel('值', { exact: true }).fill('20000');
      await saveScreenshot(page, 'runtime-list-filter-builder-zh-CN');
      await page.getByRole('button', { name: /^应\s?用$/ }).click();
      // B: customers 2, 5, …, 29; of those with at least 20,000: 20, 23, 26, 29.
      await poll(() => page.getByTestId('list-total').textContent()).toBe('共 4 条');
      await poll(() => firstCell(page).textContent()).toBe('客户00029');
      await saveScreenshot(page, 'runtime-list-filtered-zh-CN');

      // Text search narrows further.
      await page.getByLabel('搜索', { exact: true }).fill('00023');
      await page.keyboard.press('Enter');
      await poll(() => page.getByTestId('list-total').textContent()).toBe('共 1 条');

      // Bulk delete of the selected rows (soft delete, in one transaction).
      await grid(page)
        .getByRole('checkbox', { name: /^选择记录/ })
        .first()
        .check();
      await page.getByRole('button', { name: '删除所选（1）' }).click();
      await page.getByRole('button', { name: /^确\s?定$/ }).click();
      await poll(() => page.getByTestId('list-total').textContent()).toBe('共 0 条');
      expect(pageErrors).toEqual([]);
    });
  }, 120_000);

  it('creates a record: engine validation, live linkage and formulas, server errors, then the record page', async () => {
    const { server, page: open } = started();
    await open('runtime-form', 'zh-CN', async ({ page, pageErrors }) => {
      await signIn(page, 'admin', server.adminPassword);
      await page.goto('/apps/crm_test/forms/customer');
      await page.getByRole('link', { name: '新建' }).click();
      await page.getByRole('heading', { name: '新建客户' }).waitFor();
      const save = page.getByRole('button', { name: /^保\s?存$/ });

      // Wrong input: the form engine (the server's own validator) names each problem on its field.
      await page.getByLabel('手机号', { exact: true }).fill('123');
      await save.click();
      await page.getByText('“姓名”为必填项').waitFor();
      await page.getByText(/“手机号”的值 "123" 不是有效的手机号/).waitFor();
      await page.getByRole('alert').filter({ hasText: '有 2 处需要修改' }).waitFor();
      await saveScreenshot(page, 'runtime-form-errors-zh-CN');

      // Linkage: class A shows the note, and requires it.
      expect(await page.getByLabel('A 类说明', { exact: true }).count()).toBe(0);
      await page.getByLabel('等级', { exact: true }).click();
      await page.getByTitle('A 类').last().click();
      await page.getByLabel('A 类说明', { exact: true }).waitFor();

      // The formula follows the inputs as they are typed.
      await page.getByLabel('授信金额', { exact: true }).fill('20000');
      await page.getByLabel('费率', { exact: true }).fill('1.5');
      await expect
        .poll(() => page.locator('output[data-field="fee"]').textContent())
        .toBe('¥300.00');

      // A subform row, counted by the rollup.
      await page.getByRole('button', { name: '添加一行' }).click();
      await page.getByRole('table', { name: '联系人' }).locator('input').first().fill('李四');
      await expect
        .poll(() => page.locator('output[data-field="contact_count"]').textContent())
        .toBe('1');

      await page.getByLabel('姓名', { exact: true }).fill('张三');
      await page.getByLabel('手机号', { exact: true }).fill('13912345678');
      await save.click();
      await page.getByText('“A 类说明”为必填项').waitFor();
      await page.getByLabel('A 类说明', { exact: true }).fill('重点跟进');
      await saveScreenshot(page, 'runtime-form-filled-zh-CN');

      // The server's field problems land on the field too (staged once: the engine already
      // agrees with the server on everything it can check in the browser).
      await page.route(
        '**/api/apps/crm_test/forms/customer/records',
        (route) =>
          route.request().method() === 'POST'
            ? route.fulfill({
                status: 400,
                json: {
                  error: {
                    code: 'JNY_RECORD_INVALID',
                    message: '记录有 1 处问题',
                    fields: [{ field: '/mobile', reason: '该手机号已登记' }],
                  },
                },
              })
            : route.fallback(),
        { times: 1 },
      );
      await save.click();
      await page.getByText('该手机号已登记', { exact: true }).waitFor();

      await save.click();
      await page.getByRole('heading', { name: /客户 · 张三/ }).waitFor();
      await poll(() => page.locator('[data-field="fee"]').textContent()).toBe('¥300.00');
      await page.getByText('暂无审批流程', { exact: true }).waitFor();
      await page.getByRole('tab', { name: '修改历史' }).click();
      await page.getByText('创建', { exact: true }).waitFor();
      await saveScreenshot(page, 'runtime-record-zh-CN');
      expect(pageErrors).toEqual([]);
    });
  }, 120_000);

  it('imports a CSV: column mapping, a dry-run report, then the import with progress', async () => {
    const { server, page: open } = started();
    const dir = await mkdtemp(join(tmpdir(), 'joinery-import-'));
    const bad = join(dir, 'customers-bad.csv');
    const good = join(dir, 'customers.csv');
    const header = '姓名,手机号,等级,授信金额,A 类说明,外部编号\n';
    await writeFile(
      bad,
      `${header}导入一,13800000001,B,5000,,X1\n导入二,12,C,6000,,X2\n导入三,13800000003,A,7000,,X3\n`,
    );
    await writeFile(
      good,
      `${header}导入一,13800000001,B,5000,,X1\n导入二,13800000002,C,6000,,X2\n导入三,13800000003,A,7000,老客户,X3\n`,
    );
    await open('runtime-import', 'zh-CN', async ({ page, pageErrors }) => {
      await signIn(page, 'admin', server.adminPassword);
      await page.goto('/apps/crm_test/forms/customer');
      await poll(() => page.getByTestId('list-total').textContent()).toMatch(/^共 \d+ 条$/);
      await page.getByRole('button', { name: '导入' }).click();
      const dialog = page.getByRole('dialog', { name: '导入 CSV' });
      await dialog.locator('input[type=file]').setInputFiles(bad);
      await dialog.getByText('3 行数据').waitFor();
      // Columns named like fields are mapped; the unknown one is left out.
      const mappingRow = (column: string) =>
        dialog.locator('tbody tr', { hasText: column }).first();
      expect(await mappingRow('手机号').textContent()).toBe('手机号手机号');
      expect(await mappingRow('外部编号').textContent()).toBe('外部编号不导入');
      await dialog.getByRole('button', { name: '检查（不写入）' }).click();
      const problems = dialog.getByTestId('import-problems');
      await problems.getByText(/第 3 行.*手机号.*不是有效的手机号/).waitFor();
      await problems.getByText(/第 4 行.*“A 类说明”为必填项/).waitFor();
      expect(await dialog.getByRole('button', { name: /^导入 \d+ 行$/ }).isDisabled()).toBe(true);
      await saveScreenshot(page, 'runtime-import-dry-run-zh-CN');

      await dialog.locator('input[type=file]').setInputFiles(good);
      await dialog.getByRole('button', { name: '检查（不写入）' }).click();
      await dialog.getByText('检查通过：3 行均可导入').waitFor();
      await dialog.getByRole('button', { name: '导入 3 行' }).click();
      await dialog.getByText('已导入 3 行').waitFor();
      await saveScreenshot(page, 'runtime-import-done-zh-CN');
      await dialog.getByRole('button', { name: '关闭' }).click();

      await page.getByLabel('搜索', { exact: true }).fill('导入');
      await page.keyboard.press('Enter');
      await poll(() => page.getByTestId('list-total').textContent()).toBe('共 3 条');
      expect(pageErrors).toEqual([]);
    });
  }, 120_000);

  it('edits a record, reports a conflict when someone saved first, and shows related records', async () => {
    const { server, admin, page: open } = started();
    const [id] = await admin.createRecords('crm_test', 'customer', [
      { name: '王五', mobile: '13700000000', grade: 'B', amount: '8000' },
    ]);
    if (!id) throw new Error('no record created');
    await admin.createRecords('crm_test', 'follow_up', [
      { summary: '电话回访，客户有意向', customer: id },
    ]);
    await open('runtime-edit', 'en', async ({ page, pageErrors }) => {
      await signIn(page, 'admin', server.adminPassword, 'en');
      await page
        .getByRole('navigation', { name: 'Navigation' })
        .getByRole('link', { name: 'Customer' })
        .click();
      await page.getByRole('heading', { name: 'Customer', exact: true }).waitFor();
      await page.getByRole('button', { name: 'Sort by Name, ascending' }).waitFor();
      await saveScreenshot(page, 'runtime-list-en');
      await page.goto(`/apps/crm_test/forms/customer/records/${id}`);
      await page.getByRole('heading', { name: /Customer · 王五/ }).waitFor();
      // Related records: the follow-up that points at this customer, found from the metadata.
      await page.getByRole('tab', { name: 'Related records' }).click();
      await page.getByRole('link', { name: '电话回访，客户有意向' }).waitFor();
      await saveScreenshot(page, 'runtime-record-related-en');

      await page.getByRole('link', { name: 'Edit' }).click();
      await page.getByRole('heading', { name: 'Edit Customer' }).waitFor();
      await page.getByLabel('Credit line', { exact: true }).fill('9000');
      // Someone else saves first.
      const current = await admin.request<{ version: number }>(
        'GET',
        `/api/apps/crm_test/forms/customer/records/${id}`,
      );
      await admin.request('PATCH', `/api/apps/crm_test/forms/customer/records/${id}`, {
        version: current.version,
        values: { amount: '8500' },
      });
      await page.getByRole('button', { name: 'Save' }).click();
      await page
        .getByRole('alert')
        .filter({ hasText: 'Someone else changed this record' })
        .waitFor();
      await saveScreenshot(page, 'runtime-form-conflict-en');
      await page.getByRole('button', { name: 'Reload' }).click();
      await poll(() => page.getByLabel('Credit line', { exact: true }).inputValue()).toBe(
        '8500.00',
      );

      // Unsaved changes are protected when leaving through the app.
      await page.getByLabel('Credit line', { exact: true }).fill('9100');
      await page
        .getByRole('navigation', { name: 'Navigation' })
        .getByRole('link', { name: 'Home' })
        .click();
      await page.getByRole('dialog').filter({ hasText: 'Leave this page?' }).waitFor();
      await page.getByRole('button', { name: 'Stay' }).click();
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('heading', { name: /Customer · 王五/ }).waitFor();
      await page.getByRole('tab', { name: 'History' }).click();
      await page.getByText('Credit line: ¥8,500.00 → ¥9,100.00').waitFor();
      await saveScreenshot(page, 'runtime-record-history-en');
      expect(pageErrors).toEqual([]);
    });
  }, 120_000);
});
