import { access, constants, mkdir } from 'node:fs/promises';
import { StartupError } from '@joinery/postgres';
import { isJoineryError } from '@joinery/shared';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from './app.ts';
import { prepareLendingDemo } from './apps/lending-demo.ts';
import { SessionStore } from './auth/session-store.ts';
import type { Config } from './config/config.ts';
import { type Database, openDatabase } from './database/connect.ts';
import { migrateToLatest } from './database/migrate.ts';
import { bootstrapAdmin } from './identity/bootstrap-admin.ts';
import { createWorkflowServices } from './workflow/workflow-services.ts';

/** A running Joinery server. */
export interface RunningServer {
  readonly app: FastifyInstance;
  readonly database: Database;
  readonly url: string;
  /** Stops accepting requests, finishes those in flight, closes the database. */
  close(): Promise<void>;
}

/**
 * Starts Joinery: the database (embedded or `DATABASE_URL`), migrations, the first admin, then
 * HTTP. Problems of environment surface as StartupError with one clear message.
 */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  await ensureWritable(config.dataDir);
  const database = await openDatabase(config, logger);
  let workflow: ReturnType<typeof createWorkflowServices> | undefined;
  let app: FastifyInstance | undefined;
  try {
    const { applied } = await migrateToLatest(database.db);
    if (applied.length > 0) logger.info({ applied }, 'database migrated');
    await announceAdmin(database, config, logger);
    const services = createWorkflowServices({ config, db: database.db, logger });
    workflow = services;
    // The job queue's schema is migrated and its worker started before any request can enqueue.
    await services.startWorker(database.pool);
    const demo = config.demo ? await prepareLendingDemo(database, logger) : [];
    const server = await buildApp({
      config,
      db: database.db,
      logger,
      workflow: services,
      demoAccounts: () => demo,
    });
    app = server;
    await listen(server, config);
    const purge = setInterval(() => {
      new SessionStore(database.db, { ttlMinutes: 0, idleMinutes: 0 })
        .purgeExpired()
        .catch((error: unknown) => logger.warn({ err: error }, 'session purge failed'));
    }, 3_600_000);
    purge.unref();
    const url = `http://localhost:${addressPort(server) ?? config.port}`;
    logger.info({ url, database: database.description }, 'Joinery is ready');
    return {
      app: server,
      database,
      url,
      close: async () => {
        clearInterval(purge);
        await server.close();
        await services.stopWorker();
        await database.close();
      },
    };
  } catch (error) {
    // Stop what started, in reverse order: the worker holds pool connections, so the pool
    // could never close (and the process never exit) while it runs.
    await app?.close().catch(() => undefined);
    await workflow?.stopWorker().catch(() => undefined);
    await database.close().catch(() => undefined);
    throw error;
  }
}

async function announceAdmin(database: Database, config: Config, logger: Logger): Promise<void> {
  let outcome: Awaited<ReturnType<typeof bootstrapAdmin>>;
  try {
    outcome = await bootstrapAdmin(database.db, config.adminPassword);
  } catch (error) {
    if (isJoineryError(error)) {
      throw new StartupError(`JOINERY_ADMIN_PASSWORD is too weak: ${error.message}`);
    }
    throw error;
  }
  if (!outcome.created) return;
  if (outcome.generatedPassword) {
    // Printed once, to the terminal only: it is not in the log stream and is never stored.
    process.stdout.write(
      `\n  Joinery created the administrator "${outcome.username}".\n  One-time password: ${outcome.generatedPassword}\n  (已创建管理员 ${outcome.username}，一次性密码如上，首次登录后请修改)\n\n`,
    );
  } else {
    logger.info(
      { username: outcome.username },
      'administrator created from JOINERY_ADMIN_PASSWORD',
    );
  }
}

async function listen(app: FastifyInstance, config: Config): Promise<void> {
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
      throw new StartupError(`Port ${config.port} is already in use. Set PORT to a free port.`);
    }
    if (error instanceof Error && 'code' in error && error.code === 'EACCES') {
      throw new StartupError(
        `No permission to listen on port ${config.port}. Use a port above 1024.`,
      );
    }
    throw error;
  }
}

function addressPort(app: FastifyInstance): number | undefined {
  const address = app.server.address();
  return typeof address === 'object' && address ? address.port : undefined;
}

async function ensureWritable(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new StartupError(
      `The data directory ${dir} cannot be written (${reason}). Set JOINERY_DATA_DIR to a writable directory.`,
    );
  }
}
