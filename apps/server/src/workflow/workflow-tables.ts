import type { ColumnType, Generated, Kysely } from 'kysely';
import type { JoineryDatabase } from '../database/schema.ts';

type Instant = ColumnType<Date, Date | string, Date | string>;
type Json = ColumnType<unknown, string, string>;

/** `joinery.workflow_definitions`: published workflow versions; a row never changes. */
export interface WorkflowDefinitionsTable {
  id: Generated<string>;
  app: string;
  form: string;
  key: string;
  version: number;
  definition: Json;
  published_by: string | null;
  published_at: ColumnType<Date, Date | string | undefined, never>;
}

/** `joinery.workflow_instances`: one approval of one record; `state` is the engine's state. */
export interface WorkflowInstancesTable {
  id: string;
  definition_id: string;
  app: string;
  form: string;
  record_id: string;
  submitter: string;
  status: string;
  outcome: string | null;
  state: Json;
  /** Bumped by every step: a cheap change counter for clients and tests. */
  version: number;
  started_at: Instant;
  updated_at: Instant;
  finished_at: Instant | null;
}

/** `joinery.workflow_tasks`: the inbox; open tasks and, once closed, who closed them and why. */
export interface WorkflowTasksTable {
  id: Generated<string>;
  instance_id: string;
  task_key: string;
  node_id: string;
  kind: string;
  assignees: string[];
  offered: boolean;
  claimed_by: string | null;
  on_behalf_of: string | null;
  status: 'open' | 'closed';
  close_reason: string | null;
  closed_by: string | null;
  opened_at: Instant;
  closed_at: Instant | null;
  deadline: Instant | null;
}

/** `joinery.workflow_history`: the timeline of an instance, in insertion order. */
export interface WorkflowHistoryTable {
  id: Generated<string>;
  instance_id: string;
  at: Instant;
  actor: string | null;
  action: string;
  node_id: string | null;
  task_key: string | null;
  on_behalf_of: string | null;
  comment: string | null;
  attachments: string[] | null;
  time_spent_ms: number | null;
  details: Json | null;
}

/** `joinery.workflow_notifications`: messages for users (CC, reminders, outcomes…). */
export interface WorkflowNotificationsTable {
  id: Generated<string>;
  user_id: string;
  instance_id: string;
  kind: string;
  node_id: string | null;
  task_key: string | null;
  message: string | null;
  created_at: Instant;
  read_at: Instant | null;
}

/** `joinery.workflow_delegations`: absences; from–to, tasks for `user_id` go to `delegate_id`. */
export interface WorkflowDelegationsTable {
  id: Generated<string>;
  user_id: string;
  delegate_id: string;
  starts_at: Instant;
  ends_at: Instant;
  reason: string | null;
  created_by: string;
  created_at: Instant;
  cancelled_at: Instant | null;
}

/** `joinery.workflow_action_keys`: the first answer to each (user, idempotency key). */
export interface WorkflowActionKeysTable {
  user_id: string;
  key: string;
  instance_id: string | null;
  fingerprint: string;
  status_code: number;
  response: Json;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

/** The workflow tables, as kysely sees them; `JoineryDatabase` extends this. */
export type WorkflowTables = {
  'joinery.workflow_definitions': WorkflowDefinitionsTable;
  'joinery.workflow_instances': WorkflowInstancesTable;
  'joinery.workflow_tasks': WorkflowTasksTable;
  'joinery.workflow_history': WorkflowHistoryTable;
  'joinery.workflow_notifications': WorkflowNotificationsTable;
  'joinery.workflow_action_keys': WorkflowActionKeysTable;
  'joinery.workflow_delegations': WorkflowDelegationsTable;
};

/** Joinery's database types, which include the workflow tables (see `database/schema.ts`). */
export type WorkflowDatabase = JoineryDatabase;

/** The server's kysely instance (kept as a seam for the workflow modules). */
export function workflowDb(db: Kysely<JoineryDatabase>): Kysely<WorkflowDatabase> {
  return db;
}
