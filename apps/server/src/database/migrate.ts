import type { Kysely } from 'kysely';
import { type MigrationResultSet, Migrator } from 'kysely/migration';
import { migrations } from './migrations/index.ts';
import type { JoineryDatabase } from './schema.ts';

/** The names of the migrations that were applied by this call. */
export interface MigrateOutcome {
  readonly applied: readonly string[];
}

/**
 * Brings Joinery's own schema to the latest version. Safe to run from several processes at
 * once: kysely's migrator takes an advisory lock.
 */
export async function migrateToLatest(db: Kysely<JoineryDatabase>): Promise<MigrateOutcome> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema: 'joinery',
  });
  await db.schema.createSchema('joinery').ifNotExists().execute();
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return {
    applied: (result.results ?? [])
      .filter((r) => r.status === 'Success')
      .map((r) => r.migrationName),
  };
}
