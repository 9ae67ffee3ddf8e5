import { createTestDatabase } from '@joinery/postgres';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { buildApp } from '../src/app.ts';
import { type Config, loadConfig } from '../src/config/config.ts';
import { connectTo, type Database } from '../src/database/connect.ts';
import { migrateToLatest } from '../src/database/migrate.ts';
import { createAdmin } from '../src/identity/bootstrap-admin.ts';
import { migrateJobQueue } from '../src/jobs/job-worker.ts';

/** A server under test on its own database, with a signed-in-ready admin. */
export interface TestApp {
  readonly app: FastifyInstance;
  readonly database: Database;
  readonly adminPassword: string;
  /** Signs in and returns the headers a browser would send next (cookie + CSRF token). */
  login(username: string, password: string): Promise<SignedIn>;
  close(): Promise<void>;
}

export interface SignedIn {
  readonly cookie: string;
  readonly csrfToken: string;
  readonly headers: { cookie: string; 'x-csrf-token': string };
}

export const ADMIN_PASSWORD = 'Admin-password-2026';

/** Builds the real application on a fresh database (the same code path as `joinery start`). */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const testDb = await createTestDatabase();
  const config: Config = loadConfig({
    DATABASE_URL: testDb.url,
    LOG_LEVEL: 'silent',
    JOINERY_WEB_DIR: '/nonexistent-web-build',
    ...env,
  });
  const logger = pino({ level: 'silent' });
  const database = await connectTo(testDb.url, logger, testDb.drop);
  await migrateToLatest(database.db);
  // Installing an app queues the first jobs of its schedules and date-relative rules.
  await migrateJobQueue(database.pool);
  await createAdmin(database.db, 'admin', ADMIN_PASSWORD);
  const app = await buildApp({ config, db: database.db, logger });
  await app.ready();
  return {
    app,
    database,
    adminPassword: ADMIN_PASSWORD,
    login: async (username, password) => {
      const response = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password },
      });
      if (response.statusCode !== 200) throw new Error(`login failed: ${response.body}`);
      return signedIn(response);
    },
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

function signedIn(response: LightMyRequestResponse): SignedIn {
  const session = response.cookies.find((c) => c.name === 'jny_session');
  if (!session) throw new Error('no session cookie');
  const csrfToken = (response.json() as { csrfToken: string }).csrfToken;
  const cookie = `jny_session=${session.value}`;
  return { cookie, csrfToken, headers: { cookie, 'x-csrf-token': csrfToken } };
}
