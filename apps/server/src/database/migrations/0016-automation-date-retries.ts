import { type Kysely, sql } from 'kysely';

/**
 * Retries of date-relative firings. A ledger entry of `automation_date_firings` now says how the
 * occurrence stands: `fired` (its run committed: succeeded or skipped — decided), `retrying` (a run
 * failed; a retry job is queued, `attempts` runs so far) or `failed` (every attempt failed). Any
 * entry keeps the daily scans from firing the occurrence again; only its retry job runs it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE joinery.automation_date_firings
    ADD COLUMN status text NOT NULL DEFAULT 'fired'
      CHECK (status IN ('fired', 'retrying', 'failed')),
    ADD COLUMN attempts integer NOT NULL DEFAULT 1 CHECK (attempts >= 1)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE joinery.automation_date_firings
    DROP COLUMN IF EXISTS attempts, DROP COLUMN IF EXISTS status`.execute(db);
}
