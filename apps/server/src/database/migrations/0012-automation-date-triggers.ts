import { type Kysely, sql } from 'kysely';

/**
 * Date-relative automation triggers and task deadlines. `automation_date_firings` is the ledger of
 * decided occurrences: one row per rule, record (or subform row) and date value, written in the
 * same transaction as the run it records, so an occurrence fires at most once however often a
 * scan is repeated (a retried job, a crash, the look-back of the next scan). Rows older than the
 * scans' look-back are pruned by the scans. Tasks get an optional deadline.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE joinery.automation_date_firings (
    rule_id uuid NOT NULL REFERENCES joinery.automation_rules(id) ON DELETE CASCADE,
    subject_id uuid NOT NULL,
    occurrence date NOT NULL,
    run_id uuid NOT NULL,
    fired_at timestamptz NOT NULL,
    PRIMARY KEY (rule_id, occurrence, subject_id)
  )`.execute(db);
  await sql`ALTER TABLE joinery.notifications ADD COLUMN due_at timestamptz`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE joinery.notifications DROP COLUMN IF EXISTS due_at`.execute(db);
  await sql`DROP TABLE IF EXISTS joinery.automation_date_firings`.execute(db);
}
