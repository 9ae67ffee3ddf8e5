// Shared set-up of the records benchmarks (records-write, records-list, import): a real Joinery
// server on a throwaway database, listening on a local port, with a signed-in admin, and a bare
// fastify server for the baselines. Not a benchmark itself (no `.bench.ts`).
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../apps/server/src/app.ts';
import { loadConfig } from '../apps/server/src/config/config.ts';
import { connectTo, type Database } from '../apps/server/src/database/connect.ts';
import { migrateToLatest } from '../apps/server/src/database/migrate.ts';
import { createAdmin } from '../apps/server/src/identity/bootstrap-admin.ts';
import { createTestDatabase } from '../packages/postgres/src/index.ts';

const require = createRequire(new URL('../apps/server/package.json', import.meta.url));
/** fastify, resolved from the server package (the baseline's bare HTTP server). */
export const Fastify = require('fastify') as (options: { logger: boolean }) => BareServer;
const pino = require('pino') as (options: {
  level: string;
}) => Parameters<typeof connectTo>[1] & Parameters<typeof buildApp>[0]['logger'];

/** What the baselines use of a fastify instance. */
export interface BareServer {
  post(path: string, handler: (request: { body: unknown }) => Promise<unknown>): void;
  get(path: string, handler: (request: { query: unknown }) => Promise<unknown>): void;
  listen(options: { port: number; host: string }): Promise<string>;
  close(): Promise<void>;
}

/** The PostgreSQL server the benchmarks use: DATABASE_URL, else the local one. */
export const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface BenchServer {
  readonly url: string;
  readonly databaseUrl: string;
  readonly database: Database;
  readonly headers: Record<string, string>;
  /** JSON request to Joinery with the admin's session. */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }>;
  close(): Promise<void>;
}

/** Starts Joinery (the same `buildApp` as `joinery start`) on a fresh database. */
export async function startJoinery(): Promise<BenchServer> {
  const testDb = await createTestDatabase(SERVER_URL);
  if (process.env.BENCH_ASYNC_COMMIT === '1') {
    const admin = await connectTo(testDb.url, { error: () => undefined }, async () => {});
    await admin.pool.query(`alter database "${testDb.name}" set synchronous_commit = off`);
    await admin.close();
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'joinery-bench-'));
  const logger = pino({ level: 'silent' });
  const database = await connectTo(testDb.url, logger, testDb.drop);
  await migrateToLatest(database.db);
  await createAdmin(database.db, 'admin', 'Bench-password-2026');
  const config = loadConfig({
    DATABASE_URL: testDb.url,
    LOG_LEVEL: 'silent',
    JOINERY_DATA_DIR: dataDir,
    JOINERY_WEB_DIR: '/nonexistent-web-build',
    JOINERY_BODY_LIMIT: String(10 * 1024 * 1024),
  });
  const app = await buildApp({ config, db: database.db, logger });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const login = await fetch(`${address}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'Bench-password-2026' }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const headers = { cookie, 'x-csrf-token': csrfToken };
  return {
    url: address,
    databaseUrl: testDb.url,
    database,
    headers,
    call: async (method, path, body) => {
      const response = await fetch(`${address}${path}`, {
        method,
        headers: { ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      return { status: response.status, json: await response.json() };
    },
    close: async () => {
      await app.close();
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Milliseconds since `start` (from `performance.now()`). */
export function since(start: number): number {
  return performance.now() - start;
}

/** The p-th percentile (0–100) of a list of numbers. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/** Reads `--name value` from the command line. */
export function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Formats a ratio line as `NAME: joinery/baseline = R (goal <= G)`. */
export function ratioLine(name: string, ratio: number, goal: number): string {
  return `${name}: joinery/baseline = ${ratio.toFixed(2)} (goal <= ${goal})`;
}

/**
 * What authentication alone costs per request on this server right now: the p50 of an
 * authenticated request that does no other database work (the cached published definition)
 * minus the p50 of `/healthz` (no authentication, no database). Reported beside the ratios,
 * since the baselines authenticate nobody.
 */
export async function authenticationCost(server: BenchServer, formPath: string): Promise<string> {
  const time = async (url: string, headers: Record<string, string>) => {
    const times: number[] = [];
    for (let i = 0; i < 200; i += 1) {
      const start = performance.now();
      await (await fetch(url, { headers })).arrayBuffer();
      times.push(since(start));
    }
    return percentile(times, 50);
  };
  const authed = await time(`${server.url}${formPath}`, server.headers);
  const bare = await time(`${server.url}/healthz`, {});
  return `an authenticated no-op (the form's metadata: session and viewer query, hooks, serialisation): p50 ${authed.toFixed(3)} ms for an authenticated no-op vs ${bare.toFixed(3)} ms unauthenticated`;
}
