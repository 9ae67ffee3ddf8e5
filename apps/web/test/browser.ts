import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locale } from '@joinery/shared';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/**
 * Browser-test helpers for the whole project. Tests drive Debian's Chromium (the `chromium`
 * package), never a browser that Playwright downloads: nothing may be fetched at test time.
 */

/** The system Chromium; `CHROMIUM_PATH` overrides it on machines that keep it elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The repository root (two levels above apps/web/test). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Where screenshots go: `test-results/screenshots/<name>.png` (git-ignored). */
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-results', 'screenshots');

/**
 * Launches headless Chromium. `--no-sandbox` because tests run as root in CI; the other flags
 * keep it from phoning home, from needing a GPU, and from filling a small /dev/shm.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-gpu',
      '--disable-dev-shm-usage',
    ],
  });
}

export interface ContextOptions {
  /** Resolves relative URLs in `page.goto('/')`. */
  readonly baseURL?: string;
  readonly viewport?: { readonly width: number; readonly height: number };
}

/**
 * A fresh browser profile (no cookies, no storage) speaking `locale`: it sets
 * `navigator.language` and the `Accept-Language` header, as a user's browser would.
 * The default viewport is a laptop screen, the smallest issue 9 promises to fit.
 */
export function newLocalizedContext(
  browser: Browser,
  locale: Locale,
  options: ContextOptions = {},
): Promise<BrowserContext> {
  return browser.newContext({
    locale,
    viewport: options.viewport ? { ...options.viewport } : { width: 1366, height: 768 },
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
  });
}

/**
 * Saves a full-page screenshot as `test-results/screenshots/<name>.png` and returns its path.
 * Animations are finished first, so a picture never catches a transition half-way. Names are
 * kept to letters, digits, `-` and `_` so they are safe file names everywhere.
 */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  const safe = name.replace(/[^A-Za-z0-9_-]+/g, '-');
  const path = join(SCREENSHOT_DIR, `${safe}.png`);
  await mkdir(dirname(path), { recursive: true });
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  return path;
}

// Chromium logs every 4xx answer as a console error; tests of wrong input expect those.
const CLIENT_ERROR_RESPONSE =
  /^Failed to load resource: the server responded with a status of 4\d\d/;

/**
 * Collects what goes wrong inside the page — uncaught exceptions and `console.error` lines
 * (CSP violations, failed chunk loads, 5xx answers) — so a test can assert there were none.
 * 4xx answers are left out: they are how the server says no, which tests provoke on purpose.
 * Returns the live list.
 */
export function collectPageErrors(page: Page): readonly string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error' || CLIENT_ERROR_RESPONSE.test(message.text())) return;
    errors.push(`console.error: ${message.text()}`);
  });
  return errors;
}

/** What {@link withPage} hands the test. */
export interface PageSession {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Uncaught exceptions and console errors so far (see {@link collectPageErrors}). */
  readonly pageErrors: readonly string[];
}

/**
 * Runs `scenario` in a fresh context and page speaking `locale`, then closes them. When the
 * scenario fails, the page as it was is saved as `<name>-failure.png`, and the page's own errors
 * and its accessibility tree are added to the message, which is most of what one needs to see why.
 */
export async function withPage(
  browser: Browser,
  name: string,
  locale: Locale,
  options: ContextOptions,
  scenario: (session: PageSession) => Promise<void>,
): Promise<void> {
  const context = await newLocalizedContext(browser, locale, options);
  try {
    const page = await context.newPage();
    const pageErrors = collectPageErrors(page);
    try {
      await scenario({ page, context, pageErrors });
    } catch (error) {
      const shot = await saveScreenshot(page, `${name}-failure`).catch(() => 'none');
      // The accessibility tree says what a role or name locator could not find, even where the
      // screenshot is gone with the machine that ran the test.
      const tree = await page
        .locator('body')
        .ariaSnapshot({ timeout: 5_000 })
        .catch(() => '(unavailable)');
      if (error instanceof Error) {
        error.message += `\nscreenshot: ${shot}\npage errors: ${JSON.stringify(pageErrors)}`;
        error.message += `\naccessibility tree:\n${tree.slice(0, 6_000)}`;
      }
      throw error;
    }
  } finally {
    await context.close();
  }
}
