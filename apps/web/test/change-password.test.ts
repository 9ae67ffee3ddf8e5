import { describe, expect, it } from 'vitest';
import { saveScreenshot } from './browser.ts';
import { browserSuite } from './browser-suite.ts';

// A password set by an administrator must be replaced at first sign-in: the page asks for it
// before anything else, and the app opens once it is changed.
describe('first sign-in with a reset password (Chromium)', () => {
  const started = browserSuite({
    setup: async ({ admin }) => {
      const user = await admin.request<{ id: string }>('POST', '/api/users', {
        username: 'liu',
        displayName: '刘洋',
        password: 'First-password-1',
      });
      await admin.request('PATCH', `/api/users/${user.id}`, { password: 'Reset-password-2' });
    },
  });

  it('asks for a new password, refuses a weak one, then opens the app', async () => {
    const { server, page: open } = started();
    await open('change-password', 'zh-CN', async ({ page }) => {
      await page.goto('/');
      await page.getByLabel('用户名', { exact: true }).fill('liu');
      await page.getByLabel('密码', { exact: true }).fill('Reset-password-2');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: '设置您的密码' }).waitFor();
      await saveScreenshot(page, 'change-password-zh-CN');

      await page.getByLabel('当前密码').fill('Reset-password-2');
      await page.getByLabel('新密码', { exact: true }).fill('short');
      await page.getByLabel('再次输入新密码').fill('short');
      await page.getByRole('button', { name: '保存并继续' }).click();
      await page.getByText('密码至少 10 位，且须包含字母和数字').first().waitFor();

      await page.getByLabel('新密码', { exact: true }).fill('My-own-password-3');
      await page.getByLabel('再次输入新密码').fill('My-own-password-3');
      await page.getByRole('button', { name: '保存并继续' }).click();
      await page.getByRole('heading', { name: '欢迎使用 Joinery' }).waitFor();
      await saveScreenshot(page, 'after-password-change-zh-CN');
    });
    const login = await fetch(`${server.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'liu', password: 'My-own-password-3' }),
    });
    expect(
      ((await login.json()) as { user: { mustChangePassword: boolean } }).user.mustChangePassword,
    ).toBe(false);
  });
});
