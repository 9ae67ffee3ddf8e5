import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { saveScreenshot } from './browser.ts';
import { browserSuite } from './browser-suite.ts';
import { signIn } from './sign-in.ts';

const label = (zh: string, en: string) => ({ 'zh-CN': zh, en });
const APP = 'inbox_actions';
const PASSWORD = 'Reviewer-password-1';

const loanForm = {
  key: 'loan',
  label: label('进件', 'Loan application'),
  fields: [
    { id: 'l1', key: 'applicant', type: 'text', label: label('申请人', 'Applicant') },
    { id: 'l2', key: 'amount', type: 'money', label: label('金额', 'Amount') },
  ],
};

/** A first review offered to every reviewer (claimable), then a second review by one user. */
const approval = (secondReviewer: string) => ({
  id: 'loan-review',
  name: label('进件审批', 'Loan approval'),
  nodes: [
    { id: 'start', type: 'start', version: 1, params: { next: 'first' } },
    {
      id: 'first',
      type: 'approval',
      version: 1,
      name: label('初审', 'First review'),
      params: { assignees: [{ kind: 'role', role: 'reviewer' }], claim: true, next: 'second' },
    },
    {
      id: 'second',
      type: 'approval',
      version: 1,
      name: label('复审', 'Second review'),
      params: { assignees: [{ kind: 'users', userIds: [secondReviewer] }], next: 'end' },
    },
    { id: 'end', type: 'end', version: 1 },
  ],
});

// The task page's other actions and the submitter's, in real Chromium: release a claimed task,
// transfer it to a colleague, return a task to an earlier step picked from the history, and
// withdraw an application from its record page (refused, in the user's language, once decided)
// and resubmit one returned for more documents.
describe('task and instance actions (Chromium)', () => {
  const records = new Map<string, string>();

  const started = browserSuite({
    setup: async ({ admin }) => {
      await admin.publishApp({ key: APP, label: label('审批操作', 'Approval actions') }, [
        loanForm,
      ]);
      const role = await admin.request<{ id: string }>('POST', '/api/roles', {
        key: 'reviewer',
        name: label('信审', 'Reviewer'),
        permissions: { apps: { [APP]: { forms: { loan: { actions: ['view'], rows: 'all' } } } } },
      });
      const ids = new Map<string, string>();
      for (const [username, displayName] of [
        ['wang', '王审核'],
        ['li', '李审核'],
      ] as const) {
        const userId = await admin.createUser({
          username,
          displayName,
          password: PASSWORD,
          roleIds: [role.id],
        });
        ids.set(username, userId);
      }
      await admin.request(
        'POST',
        `/api/apps/${APP}/forms/loan/workflows`,
        approval(ids.get('wang') ?? ''),
      );
      const applicants = ['张三', '李四', '王五'];
      const created = await admin.createRecords(
        APP,
        'loan',
        applicants.map((applicant) => ({ applicant, amount: '30000.00' })),
      );
      for (const [index, recordId] of created.entries()) {
        records.set(applicants[index] ?? '', recordId);
        await admin.request('POST', '/api/workflow/instances', {
          app: APP,
          form: 'loan',
          recordId,
        });
      }
    },
  });

  const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });
  const row = (page: Page, text: string) => page.getByRole('row').filter({ hasText: text });
  const openInbox = async (page: Page) => {
    await page.getByRole('navigation').getByRole('link', { name: /待办/ }).click();
    await page.getByRole('heading', { name: '待办', exact: true }).waitFor();
  };
  const claimAndOpen = async (page: Page, applicant: string) => {
    await row(page, applicant)
      .getByRole('button', { name: /^认\s?领$/ })
      .click();
    // A claim made moments before may still show its message: the newest one is this claim's.
    await page.getByText('已认领，可以处理了').last().waitFor();
    await row(page, applicant)
      .getByRole('link', { name: /^处\s?理$/ })
      .click();
    await page.getByRole('region', { name: '审批' }).waitFor();
  };

  it('releases a claimed task, then transfers it to a colleague', async () => {
    const { page: open } = started();
    await open('inbox-release-transfer', 'zh-CN', async ({ page, pageErrors }) => {
      await signIn(page, 'wang', PASSWORD);
      await openInbox(page);
      // The line's title comes from the record summary the server puts on the inbox line.
      await row(page, '张三').getByRole('cell', { name: '初审' }).waitFor();
      await claimAndOpen(page, '张三');

      const decision = page.getByRole('region', { name: '审批' });
      await decision.getByRole('button', { name: /^释\s?放$/ }).click();
      await page
        .getByRole('tooltip')
        .getByRole('button', { name: /^释\s?放$/ })
        .click();
      await page.getByText('已释放，组内成员可重新认领').waitFor();
      await page.getByRole('heading', { name: '待办', exact: true }).waitFor();
      await row(page, '张三')
        .getByRole('button', { name: /^认\s?领$/ })
        .waitFor();

      await claimAndOpen(page, '张三');
      await decision.getByRole('button', { name: /^转\s?交$/ }).click();
      const dialog = page.getByRole('dialog', { name: '转交任务' });
      // Confirming without a user is refused on the field.
      await dialog.getByRole('button', { name: /^确\s?定$/ }).click();
      await dialog.getByText('请选择人员').waitFor();
      await dialog.getByLabel('转交给').fill('李');
      await page.locator('.ant-select-item-option').filter({ hasText: '李审核' }).click();
      await saveScreenshot(page, 'inbox-transfer-zh-CN');
      await dialog.getByRole('button', { name: /^确\s?定$/ }).click();
      await page.getByText('已转交').first().waitFor();
      await page.getByRole('heading', { name: '待办', exact: true }).waitFor();
      await poll(() => row(page, '张三').count()).toBe(0);
      expect(pageErrors).toEqual([]);
    });
  }, 120_000);

  it('shows the transferred task to the colleague, who returns it and approves another', async () => {
    const { page: open } = started();
    await open('inbox-transferred', 'zh-CN', async ({ page, pageErrors }) => {
      await signIn(page, 'li', PASSWORD);
      await openInbox(page);
      await row(page, '张三')
        .getByRole('link', { name: /^处\s?理$/ })
        .waitFor();
      await claimAndOpen(page, '王五');
      const decision = page.getByRole('region', { name: '审批' });
      await decision.getByRole('button', { name: /^同\s?意$/ }).click();
      await page.getByText('已同意').waitFor();

      // The transferred one goes back to the submitter for more documents.
      await row(page, '张三')
        .getByRole('link', { name: /^处\s?理$/ })
        .click();
      await decision.getByLabel('审批意见').fill('请补充收入证明');
      await decision.getByRole('button', { name: '退回补件' }).click();
      await page.getByText('已退回补件').waitFor();
      expect(pageErrors).toEqual([]);
    });
  }, 120_000);

  it('returns a task to an earlier step picked from the history', async () => {
    const { page: open } = started();
    await open('inbox-return-step', 'zh-CN', async ({ page, pageErrors }) => {
      await signIn(page, 'wang', PASSWORD);
      await openInbox(page);
      await row(page, '王五')
        .getByRole('link', { name: /^处\s?理$/ })
        .click();
      const decision = page.getByRole('region', { name: '审批' });
      await decision.getByRole('button', { name: '退回到环节' }).click();
      const dialog = page.getByRole('dialog', { name: '退回到之前的环节' });
      await dialog.getByLabel('环节').click();
      await page.locator('.ant-select-item-option').filter({ hasText: '初审' }).click();
      await dialog.getByLabel('审批意见').fill('金额需要重新核实');
      await dialog.getByRole('button', { name: /^确\s?定$/ }).click();
      await page.getByText('已退回到该环节').waitFor();
      await page.getByRole('heading', { name: '待办', exact: true }).waitFor();
      await row(page, '王五').getByRole('cell', { name: '初审' }).waitFor();
      expect(pageErrors).toEqual([]);
    });
  }, 120_000);

  it('lets the submitter withdraw an undecided application (refused once decided) and resubmit', async () => {
    const { server, page: open } = started();
    await open('instance-withdraw', 'zh-CN', async ({ page, pageErrors }) => {
      await signIn(page, 'admin', server.adminPassword);
      const workflow = page.getByRole('region', { name: '流程进度' });
      const withdraw = async () => {
        await workflow.getByRole('button', { name: /^撤\s?回$/ }).click();
        await page
          .getByRole('tooltip')
          .getByRole('button', { name: /^撤\s?回$/ })
          .click();
      };

      // 王五 was approved at the first review: too late, in the user's language.
      await page.goto(`/apps/${APP}/forms/loan/records/${records.get('王五')}`);
      await page.getByRole('heading', { name: /进件 · 王五/ }).waitFor();
      await withdraw();
      await page.getByText('已有审批意见，不能撤回').waitFor();

      await page.goto(`/apps/${APP}/forms/loan/records/${records.get('李四')}`);
      await page.getByRole('heading', { name: /进件 · 李四/ }).waitFor();
      await withdraw();
      await page.getByText('已撤回').first().waitFor();
      await workflow.getByText('撤回', { exact: true }).waitFor();
      await poll(() => workflow.getByRole('button', { name: /^撤\s?回$/ }).count()).toBe(0);
      await saveScreenshot(page, 'instance-withdrawn-zh-CN');

      // 张三 was returned for more documents: the submitter resubmits it.
      await page.goto(`/apps/${APP}/forms/loan/records/${records.get('张三')}`);
      await page.getByRole('heading', { name: /进件 · 张三/ }).waitFor();
      await workflow.getByRole('button', { name: '重新提交' }).click();
      const dialog = page.getByRole('dialog', { name: '重新提交审批' });
      await dialog.getByLabel('审批意见').fill('已补充收入证明');
      await dialog.getByRole('button', { name: '重新提交' }).click();
      await page.getByText('已重新提交').waitFor();
      await workflow.getByText('已补充收入证明').waitFor();
      await poll(() => workflow.getByRole('button', { name: '重新提交' }).count()).toBe(0);
      expect(pageErrors).toEqual([]);
    });
  }, 120_000);

  it('pages the to-do list past 50 items', async () => {
    const { admin, page: open } = started();
    const many = await admin.createRecords(
      APP,
      'loan',
      Array.from({ length: 51 }, (_, n) => ({ applicant: `客户${n + 1}`, amount: '1000.00' })),
    );
    for (const recordId of many) {
      await admin.request('POST', '/api/workflow/instances', { app: APP, form: 'loan', recordId });
    }
    await open('inbox-paging', 'zh-CN', async ({ page, pageErrors }) => {
      await signIn(page, 'wang', PASSWORD);
      await openInbox(page);
      // The tab shows its count once the first page has come.
      const tab = page.getByRole('tab', { name: /待我处理（\d+）/ });
      await tab.waitFor();
      const total = Number(/（(\d+)）/.exec((await tab.textContent()) ?? '')?.[1]);
      expect(total).toBeGreaterThan(50);
      await poll(() => page.locator('tbody tr.ant-table-row').count()).toBe(50);
      await page.getByRole('listitem', { name: '2' }).click();
      await poll(() => page.locator('tbody tr.ant-table-row').count()).toBe(total - 50);
      expect(page.url()).toContain('page=2');
      await saveScreenshot(page, 'inbox-page-2-zh-CN');
      expect(pageErrors).toEqual([]);
    });
  }, 180_000);
});
