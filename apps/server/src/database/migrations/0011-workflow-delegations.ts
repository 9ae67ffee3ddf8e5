import { type Kysely, sql } from 'kysely';

/**
 * Absence delegations (a user away from–to, their delegate) as the workflow engine's
 * organisation snapshot reads them — a change bumps `joinery.org_version`, so every process
 * sees it at its next step — and an index for a user's notifications, unread first.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE joinery.workflow_delegations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES joinery.users (id) ON DELETE CASCADE,
    delegate_id uuid NOT NULL REFERENCES joinery.users (id) ON DELETE CASCADE,
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    reason text,
    created_by uuid NOT NULL REFERENCES joinery.users (id),
    created_at timestamptz NOT NULL,
    cancelled_at timestamptz,
    CHECK (ends_at > starts_at),
    CHECK (user_id <> delegate_id)
  )`.execute(db);
  await sql`CREATE INDEX workflow_delegations_user ON joinery.workflow_delegations (user_id, ends_at)
    WHERE cancelled_at IS NULL`.execute(db);
  await sql`CREATE INDEX workflow_delegations_delegate ON joinery.workflow_delegations (delegate_id, ends_at)
    WHERE cancelled_at IS NULL`.execute(db);
  await sql`CREATE TRIGGER workflow_delegations_org_version
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON joinery.workflow_delegations
    FOR EACH STATEMENT EXECUTE FUNCTION joinery.bump_org_version()`.execute(db);
  await sql`CREATE INDEX workflow_notifications_unread_first ON joinery.workflow_notifications
    (user_id, (read_at IS NULL) DESC, created_at DESC, id DESC)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS joinery.workflow_notifications_unread_first`.execute(db);
  await sql`DROP TABLE IF EXISTS joinery.workflow_delegations`.execute(db);
}
