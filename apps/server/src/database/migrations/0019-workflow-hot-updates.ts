import { type Kysely, sql } from 'kysely';

/**
 * A step updates its instance row (state, version, `updated_at`) and appends timeline rows.
 * - `workflow_instances_running` indexed `updated_at`, so no instance update could be HOT (every
 *   step wrote a new entry in each of the table's indexes). The one query ordering by it, the
 *   administrators' list of unfinished instances, counts every unfinished instance anyway; it now
 *   reads them through `workflow_instances_live_record` (same `status <> 'finished'` predicate)
 *   and sorts them. With room left on each page (fillfactor), the updated row stays on its page.
 * - The timeline had two indexes: its serial key, which no query reads, and `(instance_id, id)`,
 *   which the timeline reads. The latter is now the primary key: one index per row.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX joinery.workflow_instances_running`.execute(db);
  await sql`ALTER TABLE joinery.workflow_instances SET (fillfactor = 70)`.execute(db);
  await sql`ALTER TABLE joinery.workflow_history DROP CONSTRAINT workflow_history_pkey`.execute(db);
  await sql`DROP INDEX joinery.workflow_history_instance`.execute(db);
  await sql`ALTER TABLE joinery.workflow_history
    ADD CONSTRAINT workflow_history_pkey PRIMARY KEY (instance_id, id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE joinery.workflow_history DROP CONSTRAINT workflow_history_pkey`.execute(db);
  await sql`ALTER TABLE joinery.workflow_history ADD PRIMARY KEY (id)`.execute(db);
  await sql`CREATE INDEX workflow_history_instance ON joinery.workflow_history (instance_id, id)`.execute(
    db,
  );
  await sql`ALTER TABLE joinery.workflow_instances RESET (fillfactor)`.execute(db);
  await sql`CREATE INDEX workflow_instances_running ON joinery.workflow_instances
    (updated_at) WHERE status <> 'finished'`.execute(db);
}
