import { resolve } from 'node:path';
import type { DemoSize } from '@joinery/lending-crm';
import { StartupError } from '@joinery/postgres';
import { isJoineryError } from '@joinery/shared';
import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import type { Database } from '../database/connect.ts';
import type { JoineryDatabase } from '../database/schema.ts';
import { describeOutcome, exportAppToDir, importAppFromDir } from './app-package-service.ts';
import { DEMO_PASSWORD, demoAccounts } from './demo-staff.ts';
import { progressReporter } from './seed-progress.ts';

/** Opens the configured, migrated database for one command (the CLI's own helper). */
export type WithDatabase = (work: (db: Kysely<JoineryDatabase>) => Promise<void>) => Promise<void>;

/** `joinery app export <app> <dir>` and `joinery app import <dir> [--dry-run]`. */
export function registerAppCommands(program: Command, withDatabase: WithDatabase): void {
  const app = program.command('app').description('apps as packages of files (export, import)');
  app
    .command('export')
    .description("write an app's whole metadata as stable, readable JSON files")
    .argument('<app>', 'the app key, e.g. lending')
    .argument('<dir>', 'the folder to write (its forms/, workflows/, rules/, roles/ are replaced)')
    .action(async (appKey: string, dir: string) => {
      await withDatabase(async (db) => {
        const files = await exportAppToDir(db, appKey, resolve(dir));
        process.stdout.write(`Exported ${appKey}: ${files.length} files in ${resolve(dir)}\n`);
      });
    });
  app
    .command('import')
    .description(
      'install or upgrade an app from a package folder: shows the difference, applies it in one transaction',
    )
    .argument('<dir>', 'the package folder (holds app.json)')
    .option('--dry-run', 'only show the difference')
    .action(async (dir: string, options: { dryRun?: boolean }) => {
      await withDatabase(async (db) => {
        const outcome = await printingProblems(() =>
          importAppFromDir(db, resolve(dir), { dryRun: options.dryRun === true }),
        );
        process.stdout.write(describeOutcome(outcome));
      });
    });
}

/** Runs `work`; a refused package prints every problem on stderr before the error line. */
export async function printingProblems<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isJoineryError(error)) {
      for (const problem of error.fields)
        process.stderr.write(`  ${problem.field}: ${problem.reason}\n`);
    }
    throw error;
  }
}

/** `joinery seed lending --size small|medium|1m [--seed N] [--as-of YYYY-MM-DD] [--workers N]`. */
export function registerSeedCommand(program: Command, open: OpenDatabase): void {
  program
    .command('seed')
    .description('fill a template with demo data (installs the template first when needed)')
    .argument('<template>', 'the template: lending')
    .option('--size <size>', 'small (a few hundred customers), medium, or 1m applications', 'small')
    .option('--seed <n>', 'the random seed: the same seed gives the same data', '1')
    .option('--as-of <date>', 'the "today" of the data (YYYY-MM-DD); today when absent')
    .option('--workers <n>', 'threads generating the rows (one per core when absent); same data')
    .action(async (template: string, options: SeedCommandOptions) => {
      if (template !== 'lending')
        throw new StartupError(`unknown template ${template} (try lending)`);
      if (!['small', 'medium', '1m'].includes(options.size)) {
        throw new StartupError('--size must be small, medium or 1m');
      }
      const seed = Number(options.seed);
      if (!Number.isSafeInteger(seed)) throw new StartupError('--seed must be a whole number');
      if (options.asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(options.asOf)) {
        throw new StartupError('--as-of must be a date YYYY-MM-DD');
      }
      const workers = options.workers === undefined ? undefined : Number(options.workers);
      if (
        workers !== undefined &&
        !(Number.isSafeInteger(workers) && workers >= 1 && workers <= 32)
      ) {
        throw new StartupError('--workers must be a whole number from 1 to 32');
      }
      const database = await open();
      const started = Date.now();
      try {
        // Loaded on demand: the generator and its zh_CN data are large, every other command is not.
        const { seedLending } = await import('./seed-lending.ts');
        const outcome = await seedLending(database, {
          size: options.size as DemoSize,
          seed,
          ...(options.asOf !== undefined && { asOf: options.asOf }),
          ...(workers !== undefined && { workers }),
          progress: progressReporter(),
        });
        process.stdout.write(describeOutcome(outcome.template));
        if (!outcome.seeded) {
          process.stdout.write('The lending app already has data; nothing was added.\n');
          return;
        }
        const rows = Object.entries(outcome.rows)
          .map(([table, n]) => `  ${table}: ${n.toLocaleString('en')}`)
          .join('\n');
        process.stdout.write(
          `Seeded lending (${options.size}, seed ${seed}) in ${((Date.now() - started) / 1000).toFixed(1)} s:\n${rows}\nDemo accounts: ${demoAccounts()
            .map((a) => a.username)
            .join(', ')} — password ${DEMO_PASSWORD}\n`,
        );
      } finally {
        await database.close();
      }
    });
}

interface SeedCommandOptions {
  readonly size: string;
  readonly seed: string;
  readonly asOf?: string;
  readonly workers?: string;
}

/** Opens the configured database with Joinery's schema migrated (kysely and its pg pool). */
export type OpenDatabase = () => Promise<Database>;
