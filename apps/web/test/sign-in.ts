import type { Locale } from '@joinery/shared';
import type { Page } from 'playwright-core';

const LABELS: Readonly<Record<Locale, readonly [string, string]>> = {
  'zh-CN': ['用户名', '密码'],
  en: ['Username', 'Password'],
};

/**
 * Signs in through the login page as a user would (the labels in the page's language), and
 * waits for the shell's menu.
 */
export async function signIn(
  page: Page,
  username: string,
  password: string,
  locale: Locale = 'zh-CN',
): Promise<void> {
  await page.goto('/');
  const [user, pass] = LABELS[locale];
  await page.getByLabel(user, { exact: true }).fill(username);
  await page.getByLabel(pass, { exact: true }).fill(password);
  await page.keyboard.press('Enter');
  await page.getByRole('navigation').waitFor();
}
