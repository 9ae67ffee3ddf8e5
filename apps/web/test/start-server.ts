import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, findFreePort } from '@joinery/postgres';
import { REPO_ROOT } from './browser.ts';

/** A real Joinery server started for one test file. */
export interface TestServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly baseUrl: string;
  /** The password of the `admin` user created at first start. */
  readonly adminPassword: string;
  /** The server's output so far (stdout and stderr), for messages when a test fails. */
  output(): string;
  /** Stops the server (SIGTERM, then waits for it to exit), drops its database and data dir. */
  stop(): Promise<void>;
}

export interface StartServerOptions {
  /** Extra environment for the server (e.g. `JOINERY_DEMO: '1'`). */
  readonly env?: Readonly<Record<string, string>>;
  /** How long to wait for `/readyz`; migrations on a cold database take a moment. */
  readonly readyTimeoutMs?: number;
}

/**
 * Starts `node --import tsx apps/server/src/cli.ts start` from the repository root, on a free
 * port, with its own empty database (from `createTestDatabase`, on `DATABASE_URL`'s server) and
 * data directory, and a random admin password; resolves once `GET /readyz` answers 200.
 * If the server exits or never gets ready, everything is cleaned up and the error carries the
 * server's output.
 */
export async function startServer(options: StartServerOptions = {}): Promise<TestServer> {
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'joinery-test-data-'));
  const port = await findFreePort();
  // Upper, lower, digit and symbol, 26+ characters: strong under any password policy.
  const adminPassword = `Jy7-${randomBytes(18).toString('base64url')}`;
  const baseUrl = `http://127.0.0.1:${port}`;

  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join('apps', 'server', 'src', 'cli.ts'), 'start'],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        ...options.env,
        PORT: String(port),
        DATABASE_URL: database.url,
        JOINERY_ADMIN_PASSWORD: adminPassword,
        JOINERY_DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const chunks: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  const output = () => chunks.join('');
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', resolve);
    child.once('error', (error) => {
      chunks.push(`spawn failed: ${error.message}`);
      resolve(-1);
    });
  });

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await terminate(child, exited);
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    await waitUntilReady(baseUrl, exited, options.readyTimeoutMs ?? 60_000);
  } catch (error) {
    await stop();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Joinery did not start: ${reason}\n--- server output ---\n${output()}`);
  }
  return { baseUrl, adminPassword, output, stop };
}

async function waitUntilReady(
  baseUrl: string,
  exited: Promise<number | null>,
  timeoutMs: number,
): Promise<void> {
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`the server exited with code ${exitCode}`);
    const ready = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2_000) }).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`GET /readyz did not answer 200 within ${timeoutMs} ms`);
}

/** SIGTERM, a graceful wait, then SIGKILL if the process is still there. */
async function terminate(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(resolve, 10_000, 'timeout'));
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}
