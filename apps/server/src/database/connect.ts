import { StartupError, startEmbeddedPostgres } from '@joinery/postgres';
import { Kysely, PostgresDialect, type PostgresPoolClient } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Config } from '../config/config.ts';
import { preparing } from './prepared.ts';
import type { JoineryDatabase } from './schema.ts';

// NUMERIC (money) stays a string so decimals are exact; BIGINT (counts) becomes a number when safe.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value;
});

/** An open database: kysely on a pg pool, and how to close it (stopping the embedded server). */
export interface Database {
  readonly db: Kysely<JoineryDatabase>;
  readonly pool: pg.Pool;
  /** Where the database is, without credentials, for logs. */
  readonly description: string;
  close(): Promise<void>;
}

/**
 * Connects to `DATABASE_URL`, or starts the embedded PostgreSQL under the data directory and
 * connects to its `joinery` database. Connection problems become one clear StartupError.
 */
export async function openDatabase(config: Config, logger: Logger): Promise<Database> {
  if (config.databaseUrl) return connectTo(config.databaseUrl, logger, async () => {});
  const embedded = await startEmbeddedPostgres({
    dataDir: config.dataDir,
    port: config.embeddedPgPort,
    onLog: (line) => logger.debug({ postgres: line }, 'embedded postgres'),
  });
  logger.info({ port: embedded.port, dataDir: config.dataDir }, 'embedded PostgreSQL started');
  try {
    await ensureDatabase(embedded.url, 'joinery');
    const url = new URL(embedded.url);
    url.pathname = '/joinery';
    return await connectTo(url.toString(), logger, () => embedded.stop());
  } catch (error) {
    await embedded.stop();
    throw error;
  }
}

/** Opens a pool on a URL and checks it answers. Used by the server and by tests. */
export async function connectTo(
  url: string,
  logger: Pick<Logger, 'error'>,
  onClose: () => Promise<void>,
): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 10_000 });
  pool.on('error', (error) => logger.error({ err: error }, 'idle database connection failed'));
  const description = describe(url);
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new StartupError(`Cannot connect to PostgreSQL at ${description}: ${reason(error)}`);
  }
  const db = new Kysely<JoineryDatabase>({
    dialect: new PostgresDialect({ pool: preparing(pool) }),
  });
  pools.set(db, pool);
  return {
    db,
    pool,
    description,
    close: async () => {
      await db.destroy();
      await onClose();
    },
  };
}

const pools = new WeakMap<Kysely<JoineryDatabase>, pg.Pool>();

/**
 * The `pg` pool under a kysely instance opened by {@link connectTo}, or undefined for any other.
 * For what kysely cannot do: `COPY … FROM STDIN` needs the driver's own client (see
 * {@link kyselyOnClient}).
 */
export function poolOf(db: Kysely<JoineryDatabase>): pg.Pool | undefined {
  return pools.get(db);
}

/**
 * A kysely instance whose every query runs on `client`, one connection the caller holds (and
 * releases): kysely's transactions, savepoints and queries then share that connection with
 * what the caller sends on the client itself, such as a COPY inside the same transaction.
 * Never `destroy` it — the client is the caller's.
 */
export function kyselyOnClient(client: pg.PoolClient): Kysely<JoineryDatabase> {
  const borrowed: PostgresPoolClient = {
    query: client.query.bind(client),
    // The caller owns the connection: kysely hands it back after every query, which is a no-op.
    release: () => undefined,
  };
  return new Kysely<JoineryDatabase>({
    dialect: new PostgresDialect({
      pool: { connect: async () => borrowed, end: async () => undefined, options: {} },
    }),
  });
}

async function ensureDatabase(maintenanceUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: maintenanceUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    // The name is a constant of ours, not input.
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
}

/** host:port/database of a URL, never its password. */
function describe(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return '(unparsable URL)';
  }
}

function reason(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reason(error.errors[0]);
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
