import { defineConfig } from 'vitest/config';

const shared = {
  exclude: ['**/node_modules/**', '**/dist/**'],
  globalSetup: ['./test/global-setup.ts'],
  pool: 'forks' as const,
  testTimeout: 30_000,
  hookTimeout: 60_000,
  // Every shaped statement is also built anew and compared (see `executeShaped`).
  env: { JOINERY_CHECK_SHAPES: '1' },
};

// One vitest run covers the whole workspace. Tests that need PostgreSQL use DATABASE_URL when it
// is set, otherwise test/global-setup.ts starts an embedded server for the run. Browser tests
// (real Chromium against a real server each) run last and one file at a time: on a 2-core
// machine they time out when they compete with the rest of the suite.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'node',
          include: [
            '{packages,apps,examples}/*/src/**/*.test.{ts,tsx}',
            '{packages,apps,examples}/*/test/**/*.test.{ts,tsx}',
          ],
          exclude: [...shared.exclude, 'apps/web/test/**'],
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          ...shared,
          name: 'browser',
          include: ['apps/web/test/**/*.test.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
