import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { saveScreenshot } from './browser.ts';
import { browserSuite } from './browser-suite.ts';
import { signIn } from './sign-in.ts';

const label = (zh: string, en: string) => ({ 'zh-CN': zh, en });
const APP = 'inbox_test';

const loanForm = {
  key: 'loan',
  label: label('进件', 'Loan application'),
  fields: [
    { id: 'l1', key: 'applicant', type: 'text', label: label('申请人', 'Applicant') },
    { id: 'l2', key: 'amount', type: 'money', label: label('金额', 'Amount') },
    { id: 'l3', key: 'credit_score', type: 'number', label: label('信用分', 'Credit score') },
    { id: 'l4', key: 'docs', type: 'attachment', label: label('材料', 'Documents') },
  ],
};

/** One review step offered to every reviewer (one claims it), which may edit the credit score. */
const approval = {
  id: 'loan-review',
  name: label('进件审批', 'Loan approval'),
  nodes: [
    { id: 'start', type: 'start', version: 1, params: { next: 'review' } },
    {
      id: 'review',
      type: 'approval',
      version: 1,
      name: label('初审', 'First review'),
      params: {
        assignees: [{ kind: 'role', role: 'reviewer' }],
        claim: true,
        deadline: { after: 'P1D' },
        fields: { editable: ['credit_score'] },
        next: 'end',
      },
    },
    { id: 'end', type: 'end', version: 1 },
  ],
};

const PASSWORD = 'Reviewer-password-1';

// The task inbox in real Chromium: the menu's count, claiming an offered task, approving with a
// step's field edit, a comment and a file, rejecting without a reason refused, returning for
// more documents — then the instance's timeline on the record page.
describe('task inbox (Chromium)', () => {
  const started = browserSuite({
    setup: async ({ admin }) => {
      await admin.publishApp({ key: APP, label: label('审批测试', 'Approval test') }, [loanForm]);
      const role = await admin.request<{ id: string }>('POST', '/api/roles', {
        key: 'reviewer',
        name: label('信审', 'Reviewer'),
        permissions: {
          apps: {
            [APP]: {
              forms: {
                loan: {
                  actions: ['view', 'edit'],
                  rows: 'all',
                  fields: { '*': { write: false }, credit_score: { write: true } },
                },
              },
            },
          },
        },
      });
      for (const [username, displayName] of [
        ['wang', '王审核'],
        ['li', '李审核'],
      ] as const) {
        await admin.createUser({
          username,
          displayName,
          password: PASSWORD,
          roleIds: [role.id],
        });
      }
      await admin.request('POST', `/api/apps/${APP}/forms/loan/workflows`, approval);
      const ids = await admin.createRecords(APP, 'loan', [
        { applicant: '张三', amount: '30000.00' },
        { applicant: '李四', amount: '80000.00' },
      ]);
      for (const recordId of ids) {
        await admin.request('POST', '/api/workflow/instances', {
          app: APP,
          form: 'loan',
          recordId,
        });
      }
    },
  });

  const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });
  const badge = (page: Page) =>
    page.getByRole('navigation').getByTestId('open-task-count').textContent();
  const row = (page: Page, text: string) => page.getByRole('row').filter({ hasText: text });

  it('claims an offered task and approves it with a field edit, a comment and a file', async () => {
    const { page: open } = started();
    await open('inbox-approve', 'zh-CN', async ({ page, pageErrors }) => {
      await signIn(page, 'wang', PASSWORD);
      await poll(() => badge(page)).toBe('2');
      await page.getByRole('navigation').getByRole('link', { name: /待办/ }).click();
      await page.getByRole('heading', { name: '待办', exact: true }).waitFor();
      await page.getByRole('tab', { name: '待我处理（2）' }).waitFor();
      await row(page, '张三').getByRole('cell', { name: '初审' }).waitFor();
      await row(page, '张三').getByRole('cell', { name: '进件' }).waitFor();
      await saveScreenshot(page, 'inbox-todo-zh-CN');

      // An offered task is claimed first; then it is the claimer's to handle.
      await row(page, '张三')
        .getByRole('button', { name: /^认\s?领$/ })
        .click();
      await page.getByText('已认领，可以处理了').waitFor();
      await row(page, '张三')
        .getByRole('link', { name: /^处\s?理$/ })
        .click();
      await page.getByRole('heading', { name: '进件' }).waitFor();
      await page.getByText('初审', { exact: true }).first().waitFor();
      const decision = page.getByRole('region', { name: '审批' });
      await decision.getByLabel('信用分').fill('720');
      await decision.getByLabel('审批意见').fill('收入证明齐全');
      await decision.locator('input[type="file"]').setInputFiles({
        name: '收入证明.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from('%PDF-1.4\n%test\n'),
      });
      await decision.getByText('收入证明.pdf').waitFor();
      await poll(() => decision.locator('.ant-upload-list-item-done').count()).toBe(1);
      await saveScreenshot(page, 'inbox-task-zh-CN');
      await decision.getByRole('button', { name: /^同\s?意$/ }).click();
      await page.getByText('已同意').waitFor();
      await page.getByRole('heading', { name: '待办', exact: true }).waitFor();
      await poll(() => badge(page)).toBe('1');

      // The record page shows the instance's timeline, the edit made at the step, the comment.
      await page.getByRole('tab', { name: /我已处理/ }).click();
      await row(page, '张三').getByRole('link', { name: '张三' }).click();
      await page.getByRole('heading', { name: /进件 · 张三/ }).waitFor();
      await poll(() => page.locator('[data-field="credit_score"]').textContent()).toBe('720');
      const workflow = page.getByRole('region', { name: '流程进度' });
      await workflow.getByText('已通过').waitFor();
      await workflow.getByText('初审 · 同意').waitFor();
      await workflow.getByText('收入证明齐全').waitFor();
      await workflow.getByRole('link', { name: '附件 1' }).waitFor();
      await saveScreenshot(page, 'inbox-record-timeline-zh-CN');
      expect(pageErrors).toEqual([]);
    });
  }, 120_000);

  it('refuses a return without a reason, then returns for more documents (English)', async () => {
    const { page: open } = started();
    await open('inbox-return', 'en', async ({ page, pageErrors }) => {
      await signIn(page, 'li', PASSWORD, 'en');
      await poll(() => badge(page)).toBe('1');
      await page.getByRole('navigation').getByRole('link', { name: /Tasks/ }).click();
      await row(page, '李四').getByRole('cell', { name: 'First review' }).waitFor();
      await row(page, '李四').getByRole('button', { name: 'Claim' }).click();
      await row(page, '李四').getByRole('link', { name: 'Handle' }).click();
      const decision = page.getByRole('region', { name: 'Decision' });
      await decision.getByRole('button', { name: 'Return for more documents' }).click();
      await decision.getByText('Please give a reason to reject or return').waitFor();
      await decision.getByLabel('Comment').fill('Please add the income proof');
      await decision.getByRole('button', { name: 'Return for more documents' }).click();
      await page.getByText('Returned for more documents').waitFor();
      await page.getByText('No tasks').first().waitFor();
      await poll(() => page.getByRole('navigation').getByTestId('open-task-count').count()).toBe(0);
      await saveScreenshot(page, 'inbox-empty-en');
      expect(pageErrors).toEqual([]);
    });
  }, 120_000);
});
