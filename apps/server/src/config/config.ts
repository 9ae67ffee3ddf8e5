import { resolve } from 'node:path';
import { StartupError } from '@joinery/postgres';

/**
 * Joinery's configuration, read once from environment variables at start. Every variable is
 * documented in docs/configuration.md; a test keeps that page and this list in step.
 */
export interface Config {
  /** HTTP port (`PORT`, default 3000). */
  readonly port: number;
  /** Interface to listen on (`HOST`, default 0.0.0.0). */
  readonly host: string;
  /** External PostgreSQL (`DATABASE_URL`); when absent the embedded server is started. */
  readonly databaseUrl: string | undefined;
  /** Where Joinery keeps its files and the embedded cluster (`JOINERY_DATA_DIR`, default ./data). */
  readonly dataDir: string;
  /** Port of the embedded PostgreSQL (`JOINERY_PG_PORT`, default 0 = a free port). */
  readonly embeddedPgPort: number;
  /** Password of the first admin, used only when no user exists yet (`JOINERY_ADMIN_PASSWORD`). */
  readonly adminPassword: string | undefined;
  /** pino level (`LOG_LEVEL`, default info). */
  readonly logLevel: string;
  /** Session lifetime in minutes (`JOINERY_SESSION_TTL_MINUTES`, default 720). */
  readonly sessionTtlMinutes: number;
  /** Idle timeout of a session in minutes (`JOINERY_SESSION_IDLE_MINUTES`, default 120). */
  readonly sessionIdleMinutes: number;
  /** Mark the session cookie Secure (`JOINERY_COOKIE_SECURE`, default false; set true behind TLS). */
  readonly cookieSecure: boolean;
  /** Trust X-Forwarded-* headers from a reverse proxy (`JOINERY_TRUST_PROXY`, default false). */
  readonly trustProxy: boolean;
  /** Failed sign-ins allowed per account within the window (`JOINERY_LOGIN_MAX_FAILURES`, 5). */
  readonly loginMaxFailures: number;
  /** Window and lock duration for failed sign-ins, in seconds (`JOINERY_LOGIN_LOCK_SECONDS`, 60). */
  readonly loginLockSeconds: number;
  /** Largest accepted request body in bytes (`JOINERY_BODY_LIMIT`, default 1 MiB). */
  readonly bodyLimit: number;
  /** Directory of the built web app (`JOINERY_WEB_DIR`, default apps/web/dist). */
  readonly webDir: string;
  /** Demo mode: the login page lists the demo accounts (`JOINERY_DEMO`, default false). */
  readonly demo: boolean;
  /**
   * Test mode for time (`JOINERY_TEST_CLOCK`, default false): administrators may move the
   * server's clock forward through the API. Refused when `NODE_ENV=production`.
   */
  readonly testClock: boolean;
  /** `NODE_ENV`, read only to refuse test-only switches in production. */
  readonly nodeEnv: string | undefined;
  /**
   * Hosts or CIDR ranges that outbound webhooks may reach although they are private, loopback
   * or link-local (`JOINERY_OUTBOUND_ALLOWLIST`, comma-separated, default none).
   */
  readonly outboundAllowlist: readonly string[];
  /** Background jobs run at once per process (`JOINERY_JOB_CONCURRENCY`, default 4). */
  readonly jobConcurrency: number;
  /** Base64 32-byte key for sensitive fields (`JOINERY_ENCRYPTION_KEY`). */
  readonly encryptionKey: string | undefined;
  /** Keyring file for sensitive fields (`JOINERY_ENCRYPTION_KEY_FILE`, default <data>/encryption-keys.json). */
  readonly encryptionKeyFile: string;
  /** Days the audit log is kept; 0 keeps it for ever (`JOINERY_AUDIT_RETENTION_DAYS`). */
  readonly auditRetentionDays: number;
  /** How long one report widget's statement may run (`JOINERY_REPORT_TIMEOUT_MS`, 30000). */
  readonly reportTimeoutMs: number;
  /**
   * Minutes east of UTC of the calendar rules count days in — `today`, date differences to
   * today, ages (`JOINERY_UTC_OFFSET_MINUTES`, default 480: China Standard Time, UTC+8).
   */
  readonly utcOffsetMinutes: number;
}

/** The environment variables Joinery reads, with their defaults; docs/configuration.md lists them. */
export const CONFIG_VARIABLES = [
  'PORT',
  'HOST',
  'DATABASE_URL',
  'JOINERY_DATA_DIR',
  'JOINERY_PG_PORT',
  'JOINERY_ADMIN_PASSWORD',
  'LOG_LEVEL',
  'JOINERY_SESSION_TTL_MINUTES',
  'JOINERY_SESSION_IDLE_MINUTES',
  'JOINERY_COOKIE_SECURE',
  'JOINERY_TRUST_PROXY',
  'JOINERY_LOGIN_MAX_FAILURES',
  'JOINERY_LOGIN_LOCK_SECONDS',
  'JOINERY_BODY_LIMIT',
  'JOINERY_WEB_DIR',
  'JOINERY_DEMO',
  'JOINERY_TEST_CLOCK',
  'JOINERY_CHECK_SHAPES',
  'NODE_ENV',
  'JOINERY_OUTBOUND_ALLOWLIST',
  'JOINERY_JOB_CONCURRENCY',
  'JOINERY_ENCRYPTION_KEY',
  'JOINERY_ENCRYPTION_KEY_FILE',
  'JOINERY_AUDIT_RETENTION_DAYS',
  'JOINERY_REPORT_TIMEOUT_MS',
  'JOINERY_UTC_OFFSET_MINUTES',
] as const;

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads and checks the configuration; a bad value ends start-up with a message naming it. */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new StartupError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got "${logLevel}"`);
  }
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  const dataDir = resolve(cwd, env.JOINERY_DATA_DIR ?? 'data');
  if (databaseUrl) checkDatabaseUrl(databaseUrl);
  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl,
    dataDir,
    embeddedPgPort: integer(env, 'JOINERY_PG_PORT', 0, 0, 65535),
    adminPassword: env.JOINERY_ADMIN_PASSWORD || undefined,
    logLevel,
    sessionTtlMinutes: integer(env, 'JOINERY_SESSION_TTL_MINUTES', 720, 1, 60 * 24 * 30),
    sessionIdleMinutes: integer(env, 'JOINERY_SESSION_IDLE_MINUTES', 120, 1, 60 * 24 * 30),
    cookieSecure: boolean(env, 'JOINERY_COOKIE_SECURE', false),
    trustProxy: boolean(env, 'JOINERY_TRUST_PROXY', false),
    loginMaxFailures: integer(env, 'JOINERY_LOGIN_MAX_FAILURES', 5, 1, 1000),
    loginLockSeconds: integer(env, 'JOINERY_LOGIN_LOCK_SECONDS', 60, 1, 86400),
    bodyLimit: integer(env, 'JOINERY_BODY_LIMIT', 1024 * 1024, 1024, 1024 * 1024 * 1024),
    webDir: resolve(cwd, env.JOINERY_WEB_DIR ?? defaultWebDir()),
    demo: boolean(env, 'JOINERY_DEMO', false),
    encryptionKey: env.JOINERY_ENCRYPTION_KEY || undefined,
    encryptionKeyFile: resolve(
      cwd,
      env.JOINERY_ENCRYPTION_KEY_FILE ?? `${dataDir}/encryption-keys.json`,
    ),
    auditRetentionDays: integer(env, 'JOINERY_AUDIT_RETENTION_DAYS', 0, 0, 36500),
    reportTimeoutMs: integer(env, 'JOINERY_REPORT_TIMEOUT_MS', 30_000, 1, 3_600_000),
    utcOffsetMinutes: integer(env, 'JOINERY_UTC_OFFSET_MINUTES', 480, -720, 840),
    testClock: boolean(env, 'JOINERY_TEST_CLOCK', false),
    nodeEnv: env.NODE_ENV || undefined,
    outboundAllowlist: (env.JOINERY_OUTBOUND_ALLOWLIST ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry.length > 0),
    jobConcurrency: integer(env, 'JOINERY_JOB_CONCURRENCY', 4, 1, 64),
  };
}

function defaultWebDir(): string {
  return new URL('../../../web/dist', import.meta.url).pathname;
}

function checkDatabaseUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StartupError(
      'DATABASE_URL is not a valid URL (expected postgres://user:password@host:port/database)',
    );
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new StartupError(`DATABASE_URL must start with postgres:// (got ${parsed.protocol}//)`);
  }
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new StartupError(`${name} must be a whole number from ${min} to ${max}; got "${raw}"`);
  }
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new StartupError(`${name} must be true or false; got "${env[name]}"`);
}
