import type { Response } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { AdminApi } from './admin-api.ts';
import { saveScreenshot } from './browser.ts';
import { browserSuite } from './browser-suite.ts';
import { signIn } from './sign-in.ts';

const label = (zh: string, en: string) => ({ 'zh-CN': zh, en });
const APP = 'masked_edit';
const PASSWORD = 'Masked-password-1';
const MOBILE = '13812341234';
const GUARANTOR = '13900002222';

// Editing a record with personal data: the form shows it masked, as the record page does, even
// to a user who may unmask it (a clear read is audited, so it happens only on their click).
// Saving an edit of another field leaves the personal data as stored; no clear value reaches
// the page (every API answer is checked) until the user reveals the field.
describe('editing a record with masked personal data (Chromium)', () => {
  let recordId = '';
  const started = browserSuite({
    setup: async ({ admin }) => {
      await admin.publishApp({ key: APP, label: label('脱敏编辑', 'Masked edit') }, [
        {
          key: 'contact',
          label: label('联系人', 'Contact'),
          fields: [
            { id: 'c1', key: 'name', type: 'text', label: label('姓名', 'Name') },
            { id: 'c2', key: 'mobile', type: 'mobile', label: label('手机号', 'Mobile') },
            {
              id: 'c3',
              key: 'guarantors',
              type: 'subform',
              label: label('担保人', 'Guarantors'),
              fields: [
                { id: 'g1', key: 'name', type: 'text', label: label('姓名', 'Name') },
                { id: 'g2', key: 'mobile', type: 'mobile', label: label('手机', 'Mobile') },
              ],
            },
          ],
        },
      ]);
      [recordId = ''] = await admin.createRecords(APP, 'contact', [
        { name: '张三', mobile: MOBILE, guarantors: [{ name: '李四', mobile: GUARANTOR }] },
      ]);
      const role = await admin.request<{ id: string }>('POST', '/api/roles', {
        key: 'officer',
        name: label('客户经理', 'Officer'),
        permissions: {
          apps: {
            [APP]: {
              forms: {
                contact: {
                  actions: ['view', 'edit'],
                  rows: 'all',
                  fields: { mobile: { unmask: true }, guarantors: { unmask: true } },
                },
              },
            },
          },
        },
      });
      await admin.createUser({
        username: 'sun',
        displayName: '孙经理',
        password: PASSWORD,
        roleIds: [role.id],
      });
    },
  });

  const editUrl = () => `/apps/${APP}/forms/contact/records/${recordId}/edit`;
  const stored = async (admin: AdminApi) =>
    (
      await admin.request<{ values: Record<string, unknown> }>(
        'GET',
        `/api/apps/${APP}/forms/contact/records/${recordId}`,
      )
    ).values;
  const unmaskAudits = async (admin: AdminApi) =>
    (await admin.request<{ items: unknown[] }>('GET', '/api/audit?action=record.unmask')).items
      .length;

  it('saves an edit of another field without touching or reading the masked value', async () => {
    const { admin, page: open } = started();
    const audits = await unmaskAudits(admin);
    await open('masked-edit-save', 'zh-CN', async ({ page, pageErrors }) => {
      // Every API answer the page receives, to prove none holds the clear value.
      const bodies: Promise<string>[] = [];
      page.on('response', (response: Response) => {
        if (response.url().includes('/api/')) bodies.push(response.text().catch(() => ''));
      });
      await signIn(page, 'sun', PASSWORD);
      await page.goto(editUrl());
      await page.getByRole('heading', { name: '编辑联系人' }).waitFor();
      const mobile = page.getByLabel('手机号', { exact: true });
      await expect.poll(() => mobile.inputValue(), { timeout: 15_000 }).toBe('138****1234');
      await page.getByRole('button', { name: '显示手机号的完整内容' }).waitFor();
      await saveScreenshot(page, 'masked-edit-form-zh-CN');

      await page.getByLabel('姓名', { exact: true }).fill('张三丰');
      await page.getByRole('button', { name: /^保\s?存$/ }).click();
      await page.getByText('已保存').waitFor();
      await page.getByRole('heading', { name: /联系人 · 张三丰/ }).waitFor();
      expect(await page.locator('[data-field="mobile"]').textContent()).toBe('138****1234');

      const seen = await Promise.all(bodies);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.filter((body) => body.includes(MOBILE) || body.includes(GUARANTOR))).toEqual([]);
      expect(pageErrors).toEqual([]);
    });
    // Before the admin's own read below, which is itself a clear read (and audited).
    expect(await unmaskAudits(admin)).toBe(audits);
    expect(await stored(admin)).toMatchObject({ name: '张三丰', mobile: MOBILE });
  }, 120_000);

  it('saves an edit of a subform row, keeping the masked personal data of the row', async () => {
    const { admin, page: open } = started();
    const audits = await unmaskAudits(admin);
    await open('masked-edit-subform', 'zh-CN', async ({ page, pageErrors }) => {
      await signIn(page, 'sun', PASSWORD);
      await page.goto(editUrl());
      // The row's cells are labelled by column and row; the input is inside.
      const cell = (name: string) => page.getByLabel(`${name} · 第 1 行`, { exact: true });
      const rowMobile = cell('手机').locator('input');
      await expect.poll(() => rowMobile.inputValue(), { timeout: 15_000 }).toBe('139****2222');
      await cell('姓名').locator('input').fill('李四光');
      await page.getByRole('button', { name: /^保\s?存$/ }).click();
      await page.getByText('已保存').waitFor();
      await page.getByRole('heading', { name: /联系人 · / }).waitFor();
      expect(pageErrors).toEqual([]);
    });
    expect(await unmaskAudits(admin)).toBe(audits);
    const [row] = (await stored(admin)).guarantors as { name: string; mobile: string }[];
    expect(row).toMatchObject({ name: '李四光', mobile: GUARANTOR });
  }, 120_000);

  it('reveals the value in the form with the audited control, and saves a new one typed in', async () => {
    const { admin, page: open } = started();
    const audits = await unmaskAudits(admin);
    await open('masked-edit-reveal', 'zh-CN', async ({ page, pageErrors }) => {
      await signIn(page, 'sun', PASSWORD);
      await page.goto(editUrl());
      const mobile = page.getByLabel('手机号', { exact: true });
      await expect.poll(() => mobile.inputValue(), { timeout: 15_000 }).toBe('138****1234');
      await page.getByRole('button', { name: '显示手机号的完整内容' }).click();
      await expect.poll(() => mobile.inputValue(), { timeout: 15_000 }).toBe(MOBILE);
      expect(await unmaskAudits(admin)).toBe(audits + 1);
      await saveScreenshot(page, 'masked-edit-revealed-zh-CN');
      await mobile.fill('13900001111');
      await page.getByRole('button', { name: /^保\s?存$/ }).click();
      await page.getByText('已保存').waitFor();
      await page.getByRole('heading', { name: /联系人 · 张三丰/ }).waitFor();
      expect(await page.locator('[data-field="mobile"]').textContent()).toBe('139****1111');
      expect(pageErrors).toEqual([]);
    });
    expect((await stored(admin)).mobile).toBe('13900001111');
  }, 120_000);

  it('labels the control in English', async () => {
    const { page: open } = started();
    await open('masked-edit-en', 'en', async ({ page, pageErrors }) => {
      await signIn(page, 'sun', PASSWORD, 'en');
      await page.goto(editUrl());
      const mobile = page.getByLabel('Mobile', { exact: true });
      await expect.poll(() => mobile.inputValue(), { timeout: 15_000 }).toBe('139****1111');
      await page.getByRole('button', { name: /Reveal/ }).waitFor();
      expect(pageErrors).toEqual([]);
    });
  }, 60_000);
});
