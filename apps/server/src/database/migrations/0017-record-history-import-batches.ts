import { type Kysely, sql } from 'kysely';

/**
 * An import's history as one entry per loaded batch: `record_ids` lists the records the batch
 * created (`record_id` is then null) and `import_job_id` names the import. The records' history
 * reads such an entry as each record's own (`import`, version 1, by the importer, at the
 * import's time), as it read the one row per record an import wrote before — a row per record
 * doubled the database's work of an import. A GIN index finds a record's batch.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE joinery.record_history
    ALTER COLUMN record_id DROP NOT NULL,
    ADD COLUMN record_ids uuid[],
    ADD COLUMN import_job_id uuid REFERENCES joinery.import_jobs (id) ON DELETE SET NULL,
    ADD CONSTRAINT record_history_one_subject
      CHECK (num_nonnulls(record_id, record_ids) = 1)`.execute(db);
  await sql`CREATE INDEX record_history_batch_idx ON joinery.record_history
    USING gin (record_ids) WHERE record_ids IS NOT NULL`.execute(db);
}

/**
 * Back to one row per record: every batch entry becomes its records' own entries (with new ids,
 * so a record's import then lists after changes made to it since).
 */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`INSERT INTO joinery.record_history
      (form_id, record_id, action, record_version, changes, changed_by, changed_at)
    SELECT h.form_id, r.id, h.action, h.record_version, h.changes, h.changed_by, h.changed_at
    FROM joinery.record_history h CROSS JOIN LATERAL unnest(h.record_ids) AS r (id)
    WHERE h.record_ids IS NOT NULL
    ORDER BY h.id`.execute(db);
  await sql`DELETE FROM joinery.record_history WHERE record_ids IS NOT NULL`.execute(db);
  await sql`DROP INDEX IF EXISTS joinery.record_history_batch_idx`.execute(db);
  await sql`ALTER TABLE joinery.record_history
    DROP CONSTRAINT IF EXISTS record_history_one_subject,
    DROP COLUMN IF EXISTS import_job_id,
    DROP COLUMN IF EXISTS record_ids,
    ALTER COLUMN record_id SET NOT NULL`.execute(db);
}
