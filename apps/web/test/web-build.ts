import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** apps/web, whose `dist/` the server serves. */
export const WEB_ROOT = fileURLToPath(new URL('../', import.meta.url));
const DIST_INDEX = join(WEB_ROOT, 'dist', 'index.html');
const INPUTS = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json'];
// Test files run in parallel processes; only one may build at a time.
const LOCK_DIR = join(WEB_ROOT, 'node_modules', '.cache', 'joinery-web-build.lock');
const LOCK_STALE_MS = 5 * 60_000;

async function newestMtime(path: string): Promise<number> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path);
  const times = await Promise.all(entries.map((entry) => newestMtime(join(path, entry))));
  return Math.max(info.mtimeMs, ...times);
}

/** True when `dist/index.html` is missing or older than any source of the web app. */
export async function isWebBuildStale(): Promise<boolean> {
  const built = await stat(DIST_INDEX).catch(() => undefined);
  if (!built) return true;
  const sources = await Promise.all(INPUTS.map((input) => newestMtime(join(WEB_ROOT, input))));
  return Math.max(...sources) > built.mtimeMs;
}

/**
 * Builds the web app into `apps/web/dist` (with Vite's JS API) unless the build there is newer
 * than its sources — browser tests run against what the server really serves in production.
 * Safe to call from test files running in parallel: one builds, the others wait for it.
 */
export async function ensureWebBuild(): Promise<void> {
  if (!(await isWebBuildStale())) return;
  await withLock(async () => {
    // Another test file may have built it while this one waited.
    if (await isWebBuildStale()) await buildForProduction();
  });
}

async function buildForProduction(): Promise<void> {
  const { build } = await import('vite');
  // vitest sets NODE_ENV=test, and Vite would then bundle React's development build: the
  // server must get the same production build as `pnpm build` makes.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      root: WEB_ROOT,
      mode: 'production',
      logLevel: 'warn',
      configFile: join(WEB_ROOT, 'vite.config.ts'),
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}

/** Runs `work` holding a lock directory (mkdir is atomic); a lock older than 5 min is stale. */
async function withLock(work: () => Promise<void>): Promise<void> {
  await mkdir(join(LOCK_DIR, '..'), { recursive: true });
  for (;;) {
    try {
      await mkdir(LOCK_DIR);
      break;
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
      const held = await stat(LOCK_DIR).catch(() => undefined);
      if (held && Date.now() - held.mtimeMs > LOCK_STALE_MS) {
        await rm(LOCK_DIR, { recursive: true, force: true });
      } else {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }
  try {
    await work();
  } finally {
    await rm(LOCK_DIR, { recursive: true, force: true });
  }
}
