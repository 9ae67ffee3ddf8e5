import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { AdminApi } from './admin-api.ts';
import { saveScreenshot } from './browser.ts';
import { browserSuite } from './browser-suite.ts';
import { signIn } from './sign-in.ts';

const label = (zh: string, en: string) => ({ 'zh-CN': zh, en });
const APP = 'reveal_test';
const PASSWORD = 'Reveal-password-1';

// Personal data on the record page: masked for everyone at first; a user whose role may unmask
// the field reveals it with one click (the server audits it); others get no such control, and
// their list offers no sort on it (the server would refuse it, as it would a filter).
describe('revealing masked values (Chromium)', () => {
  let recordUrl = '';
  const started = browserSuite({
    setup: async ({ admin: api }) => {
      await api.publishApp({ key: APP, label: label('脱敏测试', 'Masking test') }, [
        {
          key: 'contact',
          label: label('联系人', 'Contact'),
          fields: [
            { id: 'c1', key: 'name', type: 'text', label: label('姓名', 'Name') },
            { id: 'c2', key: 'mobile', type: 'mobile', label: label('手机号', 'Mobile') },
          ],
        },
      ]);
      const [id] = await api.createRecords(APP, 'contact', [
        { name: '张三', mobile: '13812341234' },
      ]);
      recordUrl = `/apps/${APP}/forms/contact/records/${id}`;
      const role = async (key: string, fields: object) =>
        (
          await api.request<{ id: string }>('POST', '/api/roles', {
            key,
            name: label(key, key),
            permissions: {
              apps: { [APP]: { forms: { contact: { actions: ['view'], rows: 'all', fields } } } },
            },
          })
        ).id;
      const roles = {
        sun: await role('auditor', { mobile: { unmask: true } }),
        zhou: await role('support', {}),
      };
      for (const [username, roleId] of Object.entries(roles)) {
        await api.createUser({
          username,
          displayName: username,
          password: PASSWORD,
          roleIds: [roleId],
        });
      }
    },
  });

  /** How many sort controls the list's header for the column `name` holds. */
  const sortButtons = (page: Page, name: string) =>
    page.locator('th', { hasText: name }).locator('button').count();

  const unmaskAudits = async (api: AdminApi) =>
    (await api.request<{ items: unknown[] }>('GET', '/api/audit?action=record.unmask')).items
      .length;

  it('lets a user who may unmask reveal a value, audited', async () => {
    const { admin, page: open } = started();
    const before = await unmaskAudits(admin);
    await open('reveal-allowed', 'zh-CN', async ({ page, pageErrors }) => {
      await signIn(page, 'sun', PASSWORD);
      // The list keeps personal data masked.
      await page.getByRole('navigation').getByRole('link', { name: '联系人' }).click();
      await page.getByRole('gridcell', { name: '138****1234' }).waitFor();
      expect(await sortButtons(page, '手机号')).toBe(1);
      await page.goto(recordUrl);
      const value = page.locator('[data-field="mobile"]');
      await expect.poll(() => value.textContent(), { timeout: 15_000 }).toBe('138****1234');
      expect(await unmaskAudits(admin)).toBe(before);
      await saveScreenshot(page, 'reveal-masked-zh-CN');
      await page.getByRole('button', { name: '显示手机号的完整内容' }).click();
      await expect.poll(() => value.textContent(), { timeout: 15_000 }).toBe('13812341234');
      await saveScreenshot(page, 'reveal-revealed-zh-CN');
      expect(await unmaskAudits(admin)).toBe(before + 1);
      expect(pageErrors).toEqual([]);
    });
  }, 90_000);

  it('shows others the masked value without the control (English)', async () => {
    const { page: open } = started();
    await open('reveal-refused', 'en', async ({ page, pageErrors }) => {
      await signIn(page, 'zhou', PASSWORD, 'en');
      await page.goto(`/apps/${APP}/forms/contact`);
      await page.getByRole('gridcell', { name: '138****1234' }).waitFor();
      expect(await sortButtons(page, 'Name')).toBe(1);
      expect(await sortButtons(page, 'Mobile')).toBe(0);
      await page.goto(recordUrl);
      await page.getByRole('heading', { name: /Contact · 张三/ }).waitFor();
      expect(await page.locator('[data-field="mobile"]').textContent()).toBe('138****1234');
      expect(await page.getByRole('button', { name: /Reveal/ }).count()).toBe(0);
      expect(pageErrors).toEqual([]);
    });
  }, 60_000);
});
