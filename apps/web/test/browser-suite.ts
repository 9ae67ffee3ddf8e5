import type { Locale } from '@joinery/shared';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { AdminApi } from './admin-api.ts';
import { type ContextOptions, launchBrowser, type PageSession, withPage } from './browser.ts';
import { type StartServerOptions, startServer, type TestServer } from './start-server.ts';
import { ensureWebBuild } from './web-build.ts';

/** What a browser test file works with once its suite has started. */
export interface StartedSuite {
  readonly server: TestServer;
  readonly browser: Browser;
  /** The API signed in as `admin`, for setting up what the pages need. */
  readonly admin: AdminApi;
  /**
   * Runs `scenario` in a fresh page on the suite's server speaking `locale` (see `withPage`:
   * a failure saves `<name>-failure.png` and adds the page's own errors to the message).
   */
  page(
    name: string,
    locale: Locale,
    scenario: (session: PageSession) => Promise<void>,
    options?: Omit<ContextOptions, 'baseURL'>,
  ): Promise<void>;
}

export interface BrowserSuiteOptions {
  /** Sets up the data the file's tests need, after the server and browser are up. */
  readonly setup?: (suite: StartedSuite) => Promise<void>;
  /** Passed to `startServer` (e.g. extra environment). */
  readonly server?: StartServerOptions;
  /** How long start-up and `setup` may take together; 240 s by default. */
  readonly setupTimeoutMs?: number;
}

/**
 * The lifecycle every browser test file shares, registered on the enclosing `describe`: the web
 * build, a server of its own and Chromium started together, the admin signed in and `setup` run
 * in `beforeAll`; both closed in `afterAll`. Returns `started()`, which hands a test the running
 * suite — or throws, so a test never runs against a half-started one.
 */
export function browserSuite(options: BrowserSuiteOptions = {}): () => StartedSuite {
  let suite: StartedSuite | undefined;
  let server: TestServer | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    await ensureWebBuild();
    const [started, launched] = await Promise.allSettled([
      startServer(options.server),
      launchBrowser(),
    ]);
    if (started.status === 'fulfilled') server = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (started.status === 'rejected') throw started.reason;
    if (launched.status === 'rejected') throw launched.reason;
    const running = { server: started.value, browser: launched.value };
    const admin = await AdminApi.signIn(running.server.baseUrl, running.server.adminPassword);
    const ready: StartedSuite = {
      ...running,
      admin,
      page: (name, locale, scenario, context = {}) =>
        withPage(
          running.browser,
          name,
          locale,
          { ...context, baseURL: running.server.baseUrl },
          scenario,
        ),
    };
    await options.setup?.(ready);
    suite = ready;
  }, options.setupTimeoutMs ?? 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  }, 30_000);

  return () => {
    if (!suite) throw new Error('the browser suite did not start (see beforeAll)');
    return suite;
  };
}
