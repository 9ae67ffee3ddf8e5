import type { ColumnType, Generated, Kysely } from 'kysely';
import type { JoineryDatabase } from '../database/schema.ts';

type Instant = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string, string>;

/** `joinery.automation_rules`: one validated rule definition of one app. */
export interface AutomationRulesTable {
  id: string;
  app_id: string;
  name: string;
  enabled: boolean;
  trigger_kind: string;
  /** The form a record trigger watches; null for schedules, workflow events and webhooks. */
  trigger_form: string | null;
  definition: Json;
  /** Bumped on every change: a waiting schedule job for an older revision is ignored. */
  revision: ColumnType<number, number | undefined, number>;
  /** SHA-256 (hex) of the inbound webhook's secret; the secret itself is shown once. */
  hook_secret_hash: string | null;
  created_by: string | null;
  created_at: Instant;
  updated_at: Instant;
}

/** `joinery.automation_runs`: the run log (what fired, whether it matched, what it did). */
export interface AutomationRunsTable {
  id: string;
  rule_id: string;
  app_id: string;
  trigger: Json;
  /** Rule ids from the outermost rule down to this one's parent. */
  chain: Json;
  matched: boolean;
  status: string;
  actions: Json;
  error: Json | null;
  started_at: Instant;
  duration_ms: number;
}

/** `joinery.automation_assignment_cursors`: who a rule's round robin gave the last record to. */
export interface AutomationAssignmentCursorsTable {
  rule_id: string;
  team: string;
  last_user_id: string | null;
  assigned: ColumnType<string, number | undefined, number | string>;
}

/** `joinery.notifications`: tasks and messages for one user. */
export interface NotificationsTable {
  id: Generated<string>;
  user_id: string;
  kind: string;
  title: string;
  app: string | null;
  form: string | null;
  record_id: string | null;
  rule_id: string | null;
  created_at: Instant;
  read_at: Date | null;
  /** When a task is due (its rule's deadline); null for none and for messages. */
  due_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/** `joinery.automation_date_firings`: the occurrences of date-relative rules already decided. */
export interface AutomationDateFiringsTable {
  rule_id: string;
  /** The record, or the subform row, the rule fired for. */
  subject_id: string;
  /** The date value it fired for (a moved date is a new occurrence). */
  occurrence: ColumnType<string, string, string>;
  /** The run that decided it (or the last failed run while `retrying`). */
  run_id: string;
  fired_at: Instant;
  /** `fired` (decided), `retrying` (a retry job is queued) or `failed` (every attempt failed). */
  status: ColumnType<DateFiringStatus, DateFiringStatus | undefined, DateFiringStatus>;
  /** Runs so far. */
  attempts: ColumnType<number, number | undefined, number>;
}

/** Where a date-relative occurrence stands in the ledger. */
export type DateFiringStatus = 'fired' | 'retrying' | 'failed';

/** The automation tables, as kysely sees them. */
export type AutomationTables = {
  'joinery.automation_rules': AutomationRulesTable;
  'joinery.automation_runs': AutomationRunsTable;
  'joinery.automation_assignment_cursors': AutomationAssignmentCursorsTable;
  'joinery.notifications': NotificationsTable;
  'joinery.automation_date_firings': AutomationDateFiringsTable;
};

/** Joinery's tables plus the automation ones. */
export type AutomationDatabase = JoineryDatabase & AutomationTables;

/** A kysely view of the database (or of a transaction) that knows the automation tables. */
export function automationDb(db: Kysely<JoineryDatabase>): Kysely<AutomationDatabase> {
  return db.withTables<AutomationTables>();
}
