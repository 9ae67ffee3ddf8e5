import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { saveScreenshot } from './browser.ts';
import { browserSuite } from './browser-suite.ts';

// The login page and the home shell in real Chromium, against the real server serving the real
// production build: wrong password, language switch, sign-in, reload, sign-out.
describe('login page (Chromium)', () => {
  const started = browserSuite();

  const isFocused = (page: Page, label: string) =>
    page
      .getByLabel(label, { exact: true })
      .evaluate((element) => element === document.activeElement);

  const htmlLang = (page: Page) => page.locator('html').getAttribute('lang');

  it('signs in as admin after a wrong password, in both languages, and signs out', async () => {
    const { server, page: open } = started();
    await open('login', 'zh-CN', async (session) => {
      const { page, pageErrors } = session;
      // A Chinese browser gets the Chinese login page, the username field focused.
      await page.goto('/');
      await page.getByRole('heading', { name: '登录', exact: true }).waitFor();
      expect(await htmlLang(page)).toBe('zh-CN');
      await expect.poll(() => isFocused(page, '用户名')).toBe(true);
      await saveScreenshot(page, 'login-zh-CN');

      // Enter on the empty form: the required-field messages, no request.
      await page.keyboard.press('Enter');
      await page.getByText('请输入用户名', { exact: true }).waitFor();

      // A wrong password, typed and submitted with the keyboard: the server's message in Chinese.
      await page.getByLabel('用户名', { exact: true }).fill('admin');
      await page.getByLabel('密码', { exact: true }).fill('not-the-password-1');
      await page.keyboard.press('Enter');
      await page.getByRole('alert').filter({ hasText: '用户名或密码错误' }).waitFor();
      await expect.poll(() => isFocused(page, '密码')).toBe(true);
      await expect.poll(() => page.locator('.ant-form-item-explain-error').count()).toBe(0);
      await saveScreenshot(page, 'login-wrong-password-zh-CN');

      // Switch to English: the page, and the server's next error, are in English.
      await page.getByText('English', { exact: true }).click();
      await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
      expect(await htmlLang(page)).toBe('en');
      expect(await page.getByText('用户名或密码错误').count()).toBe(0);
      // The submit button by its role in the form, so a failure shows the label it did have.
      const submitButton = page.locator('form#login button[type="submit"]');
      await expect.poll(() => submitButton.textContent()).toBe('Sign in');
      await submitButton.click();
      await page.getByRole('alert').filter({ hasText: 'Wrong username or password' }).waitFor();
      await saveScreenshot(page, 'login-wrong-password-en');

      // The right password: the home shell, in English.
      await page.getByLabel('Password', { exact: true }).fill(server.adminPassword);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Welcome to Joinery', exact: true }).waitFor();
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      await page.getByRole('navigation', { name: 'Navigation' }).getByText('Home').waitFor();
      await saveScreenshot(page, 'home-en');

      // A reload keeps the session (cookie + GET /api/auth/session) and the language choice.
      await page.reload();
      await page.getByRole('heading', { name: 'Welcome to Joinery', exact: true }).waitFor();

      // The language can be switched in the shell too.
      await page.getByText('中文', { exact: true }).click();
      await page.getByRole('heading', { name: '欢迎使用 Joinery', exact: true }).waitFor();
      await saveScreenshot(page, 'home-zh-CN');

      // Sign out: back to the login page, and a reload does not bring the session back.
      await page.getByRole('button', { name: '退出登录' }).click();
      await page.getByRole('heading', { name: '登录', exact: true }).waitFor();
      await saveScreenshot(page, 'login-after-logout-zh-CN');
      await page.reload();
      await page.getByRole('heading', { name: '登录', exact: true }).waitFor();

      expect(pageErrors).toEqual([]);
    });
  }, 120_000);

  it('fills the form from a demo account when the server is in demo mode', async () => {
    const { page: open } = started();
    await open('login-demo', 'en', async (session) => {
      const { page, pageErrors } = session;
      // Demo accounts arrive with the lending template; until then the meta answer is staged.
      await page.route('**/api/meta', (route) =>
        route.fulfill({
          json: {
            name: 'Joinery',
            version: '0.0.0-test',
            demo: true,
            demoAccounts: [
              { username: 'sales1', password: 'Demo-1234', role: { 'zh-CN': '销售', en: 'Sales' } },
              { username: 'risk1', password: 'Demo-5678', role: { 'zh-CN': '风控', en: 'Risk' } },
            ],
          },
        }),
      );
      await page.goto('/');
      await page.getByRole('heading', { name: 'Demo accounts' }).waitFor();
      expect(await htmlLang(page)).toBe('en');
      await saveScreenshot(page, 'login-demo-accounts-en');
      await page.getByRole('button', { name: 'Sign in as risk1 (Risk)' }).click();
      expect(await page.getByLabel('Username', { exact: true }).inputValue()).toBe('risk1');
      expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe('Demo-5678');
      expect(pageErrors).toEqual([]);
    });
  }, 60_000);

  it("puts the server's field problems on the fields they name", async () => {
    const { page: open } = started();
    await open('login-fields', 'zh-CN', async (session) => {
      const { page, pageErrors } = session;
      // The real server's schema answers this way for input the form itself lets through.
      await page.route('**/api/auth/login', (route) =>
        route.fulfill({
          status: 400,
          json: {
            error: {
              code: 'JNY_REQUEST_INVALID',
              message: '请求无效：/username 过长',
              fields: [{ field: '/username', reason: '不能超过 64 个字符' }],
            },
          },
        }),
      );
      await page.goto('/');
      await page.getByLabel('用户名', { exact: true }).fill('someone');
      await page.getByLabel('密码', { exact: true }).fill('whatever-1');
      await page.keyboard.press('Enter');
      await page.getByText('不能超过 64 个字符', { exact: true }).waitFor();
      // Shown on the field only: no banner repeating it above the form.
      expect(await page.getByRole('alert').filter({ hasText: '请求无效' }).count()).toBe(0);
      await saveScreenshot(page, 'login-field-error-zh-CN');
      expect(pageErrors).toEqual([]);
    });
  }, 60_000);
});
