import { isStartupError, StartupError } from '@joinery/postgres';
import { isJoineryError } from '@joinery/shared';
import { Command } from 'commander';
import { generateKeyringFile } from './access/field-cipher.ts';
import { rotateKeys } from './access/key-rotation.ts';
import { registerAppCommands, registerSeedCommand } from './apps/app-commands.ts';
import { purgeAuditLog, verifyAuditLog } from './audit/audit-log.ts';
import { loadConfig } from './config/config.ts';
import { type Database, openDatabase } from './database/connect.ts';
import { migrateToLatest } from './database/migrate.ts';
import { createAdmin } from './identity/bootstrap-admin.ts';
import { migrateJobQueue } from './jobs/job-worker.ts';
import { createLogger } from './logger.ts';
import { startServer } from './server.ts';
import { VERSION } from './version.ts';

const program = new Command()
  .name('joinery')
  .description(
    'Joinery — a self-hosted no-code application builder (configuration: docs/configuration.md)',
  )
  .version(VERSION)
  .showHelpAfterError();

program
  .command('start')
  .description('start the server (embedded PostgreSQL unless DATABASE_URL is set); migrates first')
  .action(async () => {
    const config = loadConfig();
    const logger = createLogger(config.logLevel);
    const server = await startServer(config, logger);
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down');
      await server.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  });

program
  .command('migrate')
  .description("bring Joinery's own database schema to the latest version, then exit")
  .action(async () => {
    const config = loadConfig();
    const logger = createLogger(config.logLevel);
    const database = await openDatabase(config, logger);
    try {
      const { applied } = await migrateToLatest(database.db);
      process.stdout.write(
        applied.length ? `Applied: ${applied.join(', ')}\n` : 'The schema is up to date.\n',
      );
    } finally {
      await database.close();
    }
  });

program
  .command('create-admin')
  .description(
    'create an administrator; the password comes from JOINERY_ADMIN_PASSWORD or is generated and shown once',
  )
  .option('-u, --username <name>', 'username of the new administrator', 'admin')
  .action(async (options: { username: string }) => {
    const config = loadConfig();
    const logger = createLogger(config.logLevel);
    const database = await openDatabase(config, logger);
    try {
      await migrateToLatest(database.db);
      const outcome = await createAdmin(database.db, options.username, config.adminPassword);
      if (!outcome.created) {
        process.stderr.write(`A user named ${options.username} already exists; nothing changed.\n`);
        process.exitCode = 1;
      } else if (outcome.generatedPassword) {
        process.stdout.write(
          `Administrator ${outcome.username} created. One-time password: ${outcome.generatedPassword}\n`,
        );
      } else {
        process.stdout.write(`Administrator ${outcome.username} created.\n`);
      }
    } finally {
      await database.close();
    }
  });

const audit = program.command('audit').description('the tamper-evident audit log');
audit
  .command('verify')
  .description(
    'recompute the hash chain; exits 1 and names the first bad entry if anything was edited or deleted',
  )
  .action(async () => {
    await withDatabase(async (db) => {
      const result = await verifyAuditLog(db);
      if (result.ok) {
        process.stdout.write(
          `Audit log intact: ${result.entries} entries, head ${result.headHash}\n`,
        );
      } else {
        process.stderr.write(
          `Audit log TAMPERED: entry ${result.brokenAt} fails its ${result.reason === 'hash' ? 'own hash (edited)' : 'link to the previous entry (deleted or inserted rows)'}; ${result.entries} entries before it are intact\n`,
        );
        process.exitCode = 1;
      }
    });
  });
audit
  .command('purge')
  .description('delete entries older than the retention period (the purge itself is recorded)')
  .requiredOption('--older-than-days <days>', 'age in days', (value) => {
    const days = Number(value);
    if (!Number.isInteger(days) || days < 1)
      throw new StartupError('--older-than-days must be a whole number of days');
    return days;
  })
  .action(async (options: { olderThanDays: number }) => {
    await withDatabase(async (db) => {
      const deleted = await purgeAuditLog(
        db,
        new Date(Date.now() - options.olderThanDays * 86_400_000),
      );
      process.stdout.write(`Deleted ${deleted} audit entries.\n`);
    });
  });

const keys = program.command('keys').description('encryption keys of sensitive fields');
keys
  .command('generate')
  .description('print a new keyring file with one random key (store it outside the data directory)')
  .action(() => {
    process.stdout.write(`${JSON.stringify(generateKeyringFile(), null, 2)}\n`);
  });
keys
  .command('rotate')
  .description(
    'add a new current key to the key file and re-encrypt every sensitive value under it, in small batches, while the server keeps serving; re-run to finish an interrupted rotation',
  )
  .action(async () => {
    const config = loadConfig();
    if (config.encryptionKey) {
      throw new StartupError(
        'JOINERY_ENCRYPTION_KEY holds one fixed key and cannot be rotated: move it into a key file (docs/deployment.md) and set JOINERY_ENCRYPTION_KEY_FILE',
      );
    }
    await withDatabase(async (db) => {
      await rotateKeys(db, config.encryptionKeyFile, {
        report: (line) => process.stdout.write(`${line}\n`),
      });
    });
  });

registerAppCommands(program, withDatabase);
registerSeedCommand(program, async () => {
  const config = loadConfig();
  const database = await openDatabase(config, createLogger(config.logLevel));
  await migrateToLatest(database.db);
  // An installed app's schedules and date-relative rules queue their first job.
  await migrateJobQueue(database.pool);
  return database;
});

/** Opens the configured database with Joinery's schema migrated, runs `work`, closes it. */
async function withDatabase(work: (db: Database['db']) => Promise<void>): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config, createLogger(config.logLevel));
  try {
    await migrateToLatest(database.db);
    // An imported app's schedules and date-relative rules queue their first job.
    await migrateJobQueue(database.pool);
    await work(database.db);
  } finally {
    await database.close();
  }
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Problems of configuration or environment: one clear line, no stack trace, non-zero exit.
  if (isStartupError(error) || isJoineryError(error)) {
    process.stderr.write(`joinery: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
