import { type Kysely, sql } from 'kysely';

/**
 * One notifications API: `joinery.user_notifications` is every message a user gets — those the
 * workflow runtime writes in a step's statement (CC, reminders, escalations…,
 * `workflow_notifications`) and the tasks and messages automation rules open (`notifications`,
 * with their due time) — as one list. Both tables stay where their writers need them; the view
 * names each row by its source, so marking it read goes to its table. An index gives the
 * automation table the unread-first order the workflow one already has (0011), so a page of the
 * view is a merge of two index scans.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX notifications_unread_first ON joinery.notifications
    (user_id, (read_at IS NULL) DESC, created_at DESC, id DESC)`.execute(db);
  await sql`CREATE VIEW joinery.user_notifications AS
    SELECT n.id::text AS id, 'workflow'::text AS source, n.user_id, n.kind,
           NULL::text AS title, n.message, i.app, i.form, i.record_id,
           n.instance_id, n.node_id, n.task_key, NULL::timestamptz AS due_at,
           n.created_at, n.read_at
      FROM joinery.workflow_notifications n
      JOIN joinery.workflow_instances i ON i.id = n.instance_id
    UNION ALL
    SELECT a.id::text, 'automation'::text, a.user_id, a.kind,
           a.title, NULL::text, a.app, a.form, a.record_id::text,
           NULL::uuid, NULL::text, NULL::text, a.due_at,
           a.created_at, a.read_at
      FROM joinery.notifications a`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP VIEW IF EXISTS joinery.user_notifications`.execute(db);
  await sql`DROP INDEX IF EXISTS joinery.notifications_unread_first`.execute(db);
}
