import type { Transaction } from 'kysely';
import type { WorkflowDatabase } from './workflow-tables.ts';

/** The record an instance belongs to. */
export interface RecordRef {
  readonly app: string;
  readonly form: string;
  readonly recordId: string;
}

/** A record as the workflow engine sees it: field name → JSON value (money as a string). */
export type RecordSnapshot = Readonly<Record<string, unknown>>;

/**
 * What the workflow runtime needs from the records runtime — all inside the step's transaction,
 * so a step and the record changes it causes commit or fail together. An implementation must
 * validate every write the way the records API does (field types, required fields, history).
 */
export interface WorkflowRecords {
  /** The record now, or `JNY_WORKFLOW_RUNTIME_RECORD_NOT_FOUND`. */
  load(trx: Transaction<WorkflowDatabase>, ref: RecordRef): Promise<RecordSnapshot>;
  /** Writes fields of the record (a step's edits, an automated step's values). */
  update(
    trx: Transaction<WorkflowDatabase>,
    ref: RecordRef,
    patch: RecordSnapshot,
    actor: string | null,
  ): Promise<void>;
  /**
   * Creates a record in another form of the same app; returns its id. `source` is the
   * instance's own record (whose submitter system writes are attributed to).
   */
  create(
    trx: Transaction<WorkflowDatabase>,
    target: { readonly app: string; readonly form: string },
    values: RecordSnapshot,
    actor: string | null,
    source: RecordRef,
  ): Promise<string>;
}
