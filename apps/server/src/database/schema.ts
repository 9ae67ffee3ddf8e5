import type { ColumnType, Generated } from 'kysely';
import type { ReportTables } from '../reports/report-tables.ts';
import type { WorkflowTables } from '../workflow/workflow-tables.ts';

type CreatedAt = ColumnType<Date, Date | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** `joinery.users`: people who sign in. */
export interface UsersTable {
  id: Generated<string>;
  username: string;
  display_name: string;
  email: string | null;
  password_hash: string;
  locale: Generated<string>;
  is_admin: Generated<boolean>;
  department_id: string | null;
  disabled: Generated<boolean>;
  must_change_password: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** `joinery.departments`: the organisation as a tree, each with an optional manager. */
export interface DepartmentsTable {
  id: Generated<string>;
  name: string;
  parent_id: string | null;
  manager_id: string | null;
  created_at: CreatedAt;
}

/** `joinery.sessions`: cookie sessions; the id is a SHA-256 of the cookie value. */
export interface SessionsTable {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: CreatedAt;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

/** `joinery.api_tokens`: integration tokens; only a SHA-256 of the secret is kept. */
export interface ApiTokensTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: CreatedAt;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
}

/** `joinery.login_failures`: failed sign-ins per (lower-cased) username, for lockout. */
export interface LoginFailuresTable {
  username: string;
  failures: number;
  window_started_at: Timestamp;
  locked_until: Date | null;
}

/** `joinery.apps`: groups of forms; each app's records live in the Postgres schema `app_<key>`. */
export interface AppsTable {
  id: Generated<string>;
  key: string;
  label: unknown;
  description: unknown;
  created_by: string | null;
  created_at: CreatedAt;
}

/** `joinery.forms`: a form's draft definition and which version is live. */
export interface FormsTable {
  id: Generated<string>;
  app_id: string;
  key: string;
  draft: unknown;
  draft_updated_at: Timestamp;
  published_version: number | null;
  created_at: CreatedAt;
}

/** `joinery.form_versions`: published definitions; a row is never changed once written. */
export interface FormVersionsTable {
  form_id: string;
  version: number;
  definition: unknown;
  published_by: string | null;
  published_at: CreatedAt;
}

/** `joinery.record_history`: who changed which field of which record from what to what. */
export interface RecordHistoryTable {
  id: Generated<string>;
  form_id: string;
  /** The record; null on an import batch's entry, which lists its records in `record_ids`. */
  record_id: string | null;
  record_ids: ColumnType<string[] | null, string[] | null | undefined, never>;
  import_job_id: ColumnType<string | null, string | null | undefined, never>;
  action: string;
  record_version: number;
  changes: unknown;
  changed_by: string | null;
  changed_at: CreatedAt;
}

/** `joinery.serial_counters`: the last serial number counter per form field and date scope. */
export interface SerialCountersTable {
  form_id: string;
  field_id: string;
  scope: string;
  value: number | string;
}

/** `joinery.files`: uploaded files; the bytes live under `<data dir>/files/<storage_path>`. */
export interface FilesTable {
  id: string;
  form_id: string | null;
  field_key: string;
  storage_path: string;
  name: string;
  mime: string;
  size: number | string;
  sha256: string;
  uploaded_by: string | null;
  uploaded_at: CreatedAt;
}

/** `joinery.import_jobs`: one CSV/XLSX import, with counts a client polls for progress. */
export interface ImportJobsTable {
  id: Generated<string>;
  form_id: string;
  format: string;
  mode: string;
  status: string;
  total_rows: Generated<number>;
  processed_rows: Generated<number>;
  inserted_rows: Generated<number>;
  invalid_rows: Generated<number>;
  problems: Generated<unknown>;
  created_by: string | null;
  created_at: CreatedAt;
  finished_at: Date | null;
}

/** `joinery.roles`: named sets of permissions (JSON, see @joinery/access). */
export interface RolesTable {
  id: Generated<string>;
  key: string;
  name: ColumnType<{ 'zh-CN': string; en: string }, string, string>;
  permissions: ColumnType<unknown, string, string>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** `joinery.user_roles`: who holds which role. */
export interface UserRolesTable {
  user_id: string;
  role_id: string;
}

/** `joinery.audit_log`: append-only; each row's hash covers the previous row's hash. */
export interface AuditLogTable {
  id: Generated<number>;
  at: Date;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  target: string | null;
  ip: string | null;
  details: ColumnType<Record<string, unknown>, string, never>;
  prev_hash: string;
  hash: string;
}

/** Joinery's own tables (schema `joinery`), as kysely sees them (workflow tables included). */
export interface JoineryDatabase extends WorkflowTables, ReportTables {
  'joinery.roles': RolesTable;
  'joinery.user_roles': UserRolesTable;
  'joinery.audit_log': AuditLogTable;
  'joinery.users': UsersTable;
  'joinery.departments': DepartmentsTable;
  'joinery.sessions': SessionsTable;
  'joinery.api_tokens': ApiTokensTable;
  'joinery.login_failures': LoginFailuresTable;
  'joinery.apps': AppsTable;
  'joinery.forms': FormsTable;
  'joinery.form_versions': FormVersionsTable;
  'joinery.record_history': RecordHistoryTable;
  'joinery.serial_counters': SerialCountersTable;
  'joinery.files': FilesTable;
  'joinery.import_jobs': ImportJobsTable;
}
