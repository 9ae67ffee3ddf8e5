import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@joinery/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

/** Runs the real CLI as a user would; resolves with its exit code and output. */
function runCli(args: string[], env: Record<string, string>, timeoutMs = 20_000) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

describe('joinery CLI', () => {
  it('prints help', async () => {
    const { code, stdout } = await runCli(['--help'], {});
    expect(code).toBe(0);
    expect(stdout).toMatch(/start[\s\S]*migrate[\s\S]*create-admin/);
  });

  it('migrates, then says the schema is up to date', async () => {
    const first = await runCli(['migrate'], { DATABASE_URL: database.url });
    expect(first.stdout).toContain('0001-identity');
    const second = await runCli(['migrate'], { DATABASE_URL: database.url });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('up to date');
  });

  it('ends with one clear line for an unreachable DATABASE_URL, without the password or a stack', async () => {
    const { code, stderr } = await runCli(['start'], {
      DATABASE_URL: 'postgres://someone:s3cret@127.0.0.1:1/nowhere',
      JOINERY_DATA_DIR: '/tmp/joinery-cli-test',
    });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^joinery: Cannot connect to PostgreSQL at 127\.0\.0\.1:1\/nowhere/);
    expect(stderr).not.toContain('s3cret');
    expect(stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('refuses a malformed DATABASE_URL and a bad PORT', async () => {
    const url = await runCli(['start'], { DATABASE_URL: 'mysql://x' });
    expect(url.code).toBe(1);
    expect(url.stderr).toContain('DATABASE_URL must start with postgres://');
    const port = await runCli(['start'], { PORT: 'eighty' });
    expect(port.code).toBe(1);
    expect(port.stderr).toContain('PORT must be a whole number');
  });

  it('ends with one clear line when the data directory cannot be written', async () => {
    const { code, stderr } = await runCli(['start'], {
      DATABASE_URL: database.url,
      JOINERY_DATA_DIR: '/etc/hostname/data',
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^joinery: The data directory \/etc\/hostname\/data cannot be written/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('ends with one clear line when the port is busy', async () => {
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '0.0.0.0', resolve));
    const address = busy.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const { code, stderr } = await runCli(['start'], {
        DATABASE_URL: database.url,
        PORT: String(port),
        JOINERY_ADMIN_PASSWORD: 'Admin-password-2026',
        JOINERY_DATA_DIR: '/tmp/joinery-cli-test',
      });
      expect(code).toBe(1);
      expect(stderr.trim()).toBe(
        `joinery: Port ${port} is already in use. Set PORT to a free port.`,
      );
    } finally {
      busy.close();
    }
  });

  it('refuses a weak JOINERY_ADMIN_PASSWORD on a new database', async () => {
    const fresh = await createTestDatabase();
    try {
      const { code, stderr } = await runCli(['start'], {
        DATABASE_URL: fresh.url,
        JOINERY_ADMIN_PASSWORD: 'admin',
        JOINERY_DATA_DIR: '/tmp/joinery-cli-test',
      });
      expect(code).toBe(1);
      expect(stderr).toContain('JOINERY_ADMIN_PASSWORD is too weak');
    } finally {
      await fresh.drop();
    }
  });
});
