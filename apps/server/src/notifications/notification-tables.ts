import type { Kysely } from 'kysely';
import type { AutomationTables } from '../automation/automation-tables.ts';
import type { JoineryDatabase } from '../database/schema.ts';

/** Where a notification comes from: a workflow step, or an automation rule's action. */
export type NotificationSource = 'workflow' | 'automation';

/**
 * `joinery.user_notifications` (a view, migration 0013): every notification of every user, one
 * row shape for both sources. `id` is the source table's id as text (digits for workflow rows,
 * a UUID for automation ones).
 */
export interface UserNotificationsView {
  id: string;
  source: NotificationSource;
  user_id: string;
  kind: string;
  /** An automation task's or message's title; null for workflow rows. */
  title: string | null;
  /** A workflow notification's message; null for automation rows. */
  message: string | null;
  app: string | null;
  form: string | null;
  record_id: string | null;
  instance_id: string | null;
  node_id: string | null;
  task_key: string | null;
  /** When an automation task is due; null otherwise. */
  due_at: Date | null;
  created_at: Date;
  read_at: Date | null;
}

/** The automation table and the view the notifications API reads and marks. */
type NotificationTables = Pick<AutomationTables, 'joinery.notifications'> & {
  'joinery.user_notifications': UserNotificationsView;
};

/** Joinery's tables (the workflow ones included) plus {@link NotificationTables}. */
export type NotificationDatabase = JoineryDatabase & NotificationTables;

/** A kysely view of the database that knows the notification tables and view. */
export function notificationDb(db: Kysely<JoineryDatabase>): Kysely<NotificationDatabase> {
  return db.withTables<NotificationTables>();
}
