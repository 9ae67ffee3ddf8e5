import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { AdminApi } from './admin-api.ts';
import { saveScreenshot } from './browser.ts';
import { browserSuite } from './browser-suite.ts';
import { signIn } from './sign-in.ts';

const label = (zh: string, en: string) => ({ 'zh-CN': zh, en });
const APP = 'inbox_filters';
const PASSWORD = 'Filters-password-1';

const forms = [
  {
    key: 'loan',
    label: label('进件', 'Loan'),
    fields: [{ id: 'l1', key: 'applicant', type: 'text', label: label('申请人', 'Applicant') }],
  },
  {
    key: 'visit',
    label: label('拜访', 'Visit'),
    fields: [
      { id: 'v1', key: 'customer', type: 'text', label: label('客户', 'Customer') },
      { id: 'v2', key: 'files', type: 'attachment', label: label('资料', 'Files') },
    ],
  },
];

const step = (id: string, zh: string, en: string, user: string, next: string, extra = {}) => ({
  id,
  type: 'approval',
  version: 1,
  name: label(zh, en),
  params: { assignees: [{ kind: 'users', userIds: [user] }], next, ...extra },
});

// The task inbox in real Chromium beyond deciding: filtering the lists on the server (by form,
// by step, overdue by the server's clock, by text in the records), commenting on a task with a
// file without deciding, adding a signer, and the submitter reminding (催办) the assignee.
describe('inbox filters, comments, signers and reminders (Chromium)', () => {
  const instances = new Map<string, string>();
  const users = new Map<string, string>();
  const started = browserSuite({
    server: { env: { JOINERY_TEST_CLOCK: 'true' } },
    setup: async ({ server, admin }) => {
      await admin.publishApp({ key: APP, label: label('待办筛选', 'Inbox filters') }, forms);
      const all = { actions: ['view', 'create', 'edit'], rows: 'all' };
      const role = await admin.request<{ id: string }>('POST', '/api/roles', {
        key: 'staff',
        name: label('员工', 'Staff'),
        permissions: { apps: { [APP]: { forms: { loan: all, visit: all } } } },
      });
      for (const [username, displayName] of [
        ['wang', '王审核'],
        ['li', '李审核'],
        ['zhao', '赵经理'],
      ] as const) {
        const userId = await admin.createUser({
          username,
          displayName,
          password: PASSWORD,
          roleIds: [role.id],
        });
        users.set(username, userId);
      }
      const wang = users.get('wang') ?? '';
      await admin.request('POST', `/api/apps/${APP}/forms/loan/workflows`, {
        id: 'loan-review',
        name: label('进件审批', 'Loan approval'),
        nodes: [
          { id: 'start', type: 'start', version: 1, params: { next: 'first' } },
          step('first', '初审', 'First review', wang, 'second', { deadline: { after: 'PT1H' } }),
          step('second', '复审', 'Second review', wang, 'end'),
          { id: 'end', type: 'end', version: 1 },
        ],
      });
      await admin.request('POST', `/api/apps/${APP}/forms/visit/workflows`, {
        id: 'visit-check',
        name: label('拜访审核', 'Visit check'),
        nodes: [
          { id: 'start', type: 'start', version: 1, params: { next: 'check' } },
          step('check', '核查', 'Check', wang, 'end'),
          { id: 'end', type: 'end', version: 1 },
        ],
      });
      // 赵经理 submits everything: the loans of 张三 and 李四, the visit to 王五.
      const zhao = await AdminApi.signIn(server.baseUrl, PASSWORD, 'zhao');
      const submit = async (form: string, values: Record<string, unknown>, name: string) => {
        const [recordId] = await admin.createRecords(APP, form, [values]);
        const instance = await zhao.request<{ instanceId: string }>(
          'POST',
          '/api/workflow/instances',
          { app: APP, form, recordId },
        );
        instances.set(name, instance.instanceId);
      };
      await submit('loan', { applicant: '张三' }, '张三');
      await submit('loan', { applicant: '李四' }, '李四');
      await submit('visit', { customer: '王五' }, '王五');
      // 李四 passes the first review in time; then two hours go by: 张三's first review is late.
      const wangApi = await AdminApi.signIn(server.baseUrl, PASSWORD, 'wang');
      const todo = await wangApi.request<{ items: { id: string; instanceId: string }[] }>(
        'GET',
        `/api/workflow/tasks?box=todo&app=${APP}`,
      );
      const task = todo.items.find((item) => item.instanceId === instances.get('李四'));
      await wangApi.request('POST', `/api/workflow/tasks/${task?.id}/actions`, {
        action: 'approve',
      });
      await admin.request('POST', '/api/test/clock/advance', { seconds: 2 * 3600 });
    },
  });

  const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });
  const rows = (page: Page) => page.locator('tbody tr.ant-table-row');
  const subjects = async (page: Page) =>
    (await rows(page).locator('td:first-child').allTextContents()).sort();
  const pick = async (page: Page, name: string, option: string) => {
    await page.getByLabel(name, { exact: true }).click();
    await page.locator('.ant-select-item-option').filter({ hasText: option }).click();
  };

  it('filters the to-do list by form, step, overdue and text, on the server', async () => {
    const { page: open } = started();
    await open('inbox-filters', 'zh-CN', async ({ page, pageErrors }) => {
      await signIn(page, 'wang', PASSWORD);
      await page.getByRole('navigation').getByRole('link', { name: /待办/ }).click();
      await page.getByRole('tab', { name: '待我处理（3）' }).waitFor();
      await poll(() => subjects(page)).toEqual(['张三', '李四', '王五']);
      // Overdue by the server's clock (two hours on), not the browser's: only 张三's first review.
      const late = page.getByRole('row').filter({ has: page.getByText('已超时', { exact: true }) });
      await poll(() => late.locator('td:first-child').allTextContents()).toEqual(['张三']);

      await pick(page, '按表单筛选', '拜访');
      await page.getByRole('tab', { name: '待我处理（1）' }).waitFor();
      await poll(() => subjects(page)).toEqual(['王五']);
      await pick(page, '按表单筛选', '进件');
      await poll(() => subjects(page)).toEqual(['张三', '李四']);
      await pick(page, '按环节筛选', '初审');
      await poll(() => subjects(page)).toEqual(['张三']);
      expect(page.url()).toContain('step=first');
      await saveScreenshot(page, 'inbox-filter-step-zh-CN');

      // The filter lives in the URL: a reload keeps it.
      await page.reload();
      await poll(() => subjects(page)).toEqual(['张三']);
      await page.getByLabel('按表单筛选', { exact: true }).hover();
      await page.locator('.ant-select-clear').first().click();
      await poll(() => subjects(page)).toEqual(['张三', '李四', '王五']);

      // Controlled by the URL: the click updates it, then the box shows checked.
      await page.getByRole('checkbox', { name: '只看超时' }).click();
      await poll(() => page.getByRole('checkbox', { name: '只看超时' }).isChecked()).toBe(true);
      await page.getByRole('tab', { name: '待我处理（1）' }).waitFor();
      await poll(() => subjects(page)).toEqual(['张三']);
      await saveScreenshot(page, 'inbox-filter-overdue-zh-CN');
      await page.getByRole('checkbox', { name: '只看超时' }).click();
      await poll(() => subjects(page)).toEqual(['张三', '李四', '王五']);

      await page.getByLabel('搜索记录').fill('王');
      await page.getByLabel('搜索记录').press('Enter');
      await poll(() => subjects(page)).toEqual(['王五']);
      // The other tabs count under the same filter.
      await page.getByRole('tab', { name: '我已处理（0）' }).waitFor();
      expect(pageErrors).toEqual([]);
    });
  }, 120_000);

  it('filters in English too', async () => {
    const { page: open } = started();
    await open('inbox-filters-en', 'en', async ({ page, pageErrors }) => {
      await signIn(page, 'wang', PASSWORD, 'en');
      await page.goto('/inbox');
      await page.getByRole('tab', { name: /To do/ }).waitFor();
      await page.getByRole('checkbox', { name: 'Overdue only' }).click();
      await poll(() => page.getByRole('checkbox', { name: 'Overdue only' }).isChecked()).toBe(true);
      await poll(() => subjects(page)).toEqual(['张三']);
      await pick(page, 'Filter by form', 'Visit');
      await poll(() => rows(page).count()).toBe(0);
      await page.getByText('No tasks').first().waitFor();
      expect(pageErrors).toEqual([]);
    });
  }, 60_000);

  it('comments on a task with a file without deciding, then adds a signer', async () => {
    const { server, page: open } = started();
    await open('inbox-comment', 'zh-CN', async ({ page, pageErrors }) => {
      await signIn(page, 'wang', PASSWORD);
      await page.goto('/inbox');
      await page
        .getByRole('row')
        .filter({ hasText: '王五' })
        .getByRole('link', { name: /^处\s?理$/ })
        .click();
      const decision = page.getByRole('region', { name: '审批' });
      // A comment is required.
      await decision.getByRole('button', { name: /^评\s?论$/ }).click();
      await decision.getByText('请填写评论内容').waitFor();
      await decision.getByLabel('审批意见').fill('客户资料待核实');
      await decision.locator('input[type="file"]').setInputFiles({
        name: '拜访照片.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from('%PDF-1.4\n%visit\n'),
      });
      await poll(() => decision.locator('.ant-upload-list-item-done').count()).toBe(1);
      await decision.getByRole('button', { name: /^评\s?论$/ }).click();
      await page.getByText('已评论').waitFor();
      const timeline = page.getByRole('complementary');
      await timeline.getByText('客户资料待核实').waitFor();
      await timeline.getByRole('link', { name: '附件 1' }).waitFor();
      // Still open: the decision stays on the page, the comment box and files are empty again.
      expect(await decision.getByLabel('审批意见').inputValue()).toBe('');
      expect(await decision.getByText('拜访照片.pdf').count()).toBe(0);
      await saveScreenshot(page, 'inbox-comment-zh-CN');

      await decision.getByRole('button', { name: /^加\s?签$/ }).click();
      const dialog = page.getByRole('dialog', { name: '加签' });
      await dialog.getByLabel('加签人').fill('李');
      // Once the search has answered (the list narrows to one), pick from it.
      const options = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
      await poll(() => options.count()).toBe(1);
      await options.filter({ hasText: '李审核' }).click();
      await dialog.getByTitle('李审核 (li)').waitFor();
      await dialog.getByRole('button', { name: /^确\s?定$/ }).click();
      await page.getByText('已加签').waitFor();
      expect(pageErrors).toEqual([]);
    });
    // The signer asked to sign first now holds a task of the instance.
    const li = await AdminApi.signIn(server.baseUrl, PASSWORD, 'li');
    const todo = await li.request<{ items: { instanceId: string }[] }>(
      'GET',
      '/api/workflow/tasks?box=todo',
    );
    expect(todo.items.map((item) => item.instanceId)).toContain(instances.get('王五'));
  }, 120_000);

  it('lets the submitter remind the assignee from the started tab', async () => {
    const { server, page: open } = started();
    const wang = await AdminApi.signIn(server.baseUrl, PASSWORD, 'wang');
    const reminders = async () =>
      (
        await wang.request<{ items: { instanceId: string | null }[] }>(
          'GET',
          '/api/notifications?kind=remind',
        )
      ).items.filter((item) => item.instanceId === instances.get('张三')).length;
    expect(await reminders()).toBe(0);
    await open('inbox-remind', 'zh-CN', async ({ page, pageErrors }) => {
      await signIn(page, 'zhao', PASSWORD);
      await page.goto('/inbox?box=started');
      const line = page.getByRole('row').filter({ hasText: '张三' });
      await line.getByRole('button', { name: /^催\s?办$/ }).click();
      await page
        .getByRole('tooltip')
        .getByRole('button', { name: /^催\s?办$/ })
        .click();
      await page.getByText('已催办').waitFor();
      await saveScreenshot(page, 'inbox-remind-zh-CN');
      // The record page's timeline notes it.
      await line.getByRole('link', { name: '张三' }).click();
      await page
        .getByRole('region', { name: '流程进度' })
        .getByText('催办', { exact: true })
        .first()
        .waitFor();
      expect(pageErrors).toEqual([]);
    });
    expect(await reminders()).toBe(1);
  }, 120_000);

  it('says on whose behalf a delegate handles a task, on the line and the task page', async () => {
    const { server, admin, page: open } = started();
    // 王审核 is away with 李审核 standing in; a new visit for 王审核 goes to 李审核.
    const wang = await AdminApi.signIn(server.baseUrl, PASSWORD, 'wang');
    const hours = (n: number) => new Date(Date.now() + n * 3_600_000).toISOString();
    await wang.request('POST', '/api/workflow/delegations', {
      delegateId: users.get('li'),
      startsAt: hours(-1),
      endsAt: hours(72),
    });
    const [recordId] = await admin.createRecords(APP, 'visit', [{ customer: '赵六' }]);
    const zhao = await AdminApi.signIn(server.baseUrl, PASSWORD, 'zhao');
    await zhao.request('POST', '/api/workflow/instances', { app: APP, form: 'visit', recordId });
    for (const [locale, text] of [
      ['zh-CN', '代 王审核 处理'],
      ['en', 'on behalf of 王审核'],
    ] as const) {
      await open(`inbox-on-behalf-${locale}`, locale, async ({ page, pageErrors }) => {
        await signIn(page, 'li', PASSWORD, locale);
        await page.goto('/inbox');
        const line = page.getByRole('row').filter({ hasText: '赵六' });
        await line.getByText(text, { exact: true }).waitFor();
        // 李审核's own tasks (the signer asked in above) say nothing of the kind.
        await poll(() => page.getByText(text, { exact: true }).count()).toBe(1);
        await saveScreenshot(page, `inbox-on-behalf-${locale}`);
        await line.getByRole('link', { name: '赵六' }).click();
        await page.locator('header').getByText(text, { exact: true }).waitFor();
        expect(pageErrors).toEqual([]);
      });
    }
  }, 120_000);
});
