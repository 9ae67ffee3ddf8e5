import type { WorkflowEffect } from '@joinery/workflow';
import type { Kysely, RawBuilder, SqlBool } from 'kysely';
import type { JoineryDatabase } from '../database/schema.ts';
import type { FormRegistry, PublishedForm } from '../metadata/form-registry.ts';
import type { RecordBody } from '../records/record-values.ts';
import type { WriteContext } from '../records/record-writer.ts';

/** A record write, as `RecordWriter` reports it from inside its transaction. */
export interface RecordChange {
  readonly kind: 'created' | 'updated' | 'deleted' | 'restored';
  readonly form: PublishedForm;
  readonly context: WriteContext;
  /** The record before the write (null for a creation). */
  readonly old: RecordBody | null;
  /** The record as written. */
  readonly record: RecordBody;
}

/** One step of a workflow instance, as the workflow runtime reports it from its transaction. */
export interface WorkflowStep {
  readonly instanceId: string;
  /** The workflow's key (its definition id). */
  readonly workflow: string;
  readonly record: { readonly app: string; readonly form: string; readonly recordId: string };
  readonly actor: string | null;
  readonly effects: readonly WorkflowEffect[];
}

/** What the runtime listens with (implemented by `AutomationRuntime`). */
export interface AutomationListener {
  /**
   * Runs the rules a record write triggers, in the write's transaction. Returns the triggering
   * record as it stands after the rules changed it, when they did.
   */
  onRecordChange(
    trx: Kysely<JoineryDatabase>,
    forms: FormRegistry,
    change: RecordChange,
  ): Promise<RecordBody | undefined>;
  /** Whether any enabled rule watches writes of the form (a write must then run in a transaction). */
  watches(db: Kysely<JoineryDatabase>, form: PublishedForm): Promise<boolean>;
  /** The same as SQL, true when rules watch the form, for a statement to test as it runs. */
  watchedSql(form: PublishedForm): RawBuilder<SqlBool>;
  /** Runs the rules a workflow step triggers, in the step's transaction. */
  onWorkflowStep(trx: Kysely<JoineryDatabase>, step: WorkflowStep): Promise<void>;
}

/**
 * Which runtime listens to which source. The records and workflow runtimes are built by their
 * own modules (several per process in tests, one per database); a listener is attached to the
 * very `FormRegistry` or `WorkflowRuntime` object it serves, so the hooks below need nothing but
 * the object the caller already holds, and a source nobody attached to runs no rules.
 */
const listeners = new WeakMap<object, AutomationListener>();

/** Makes `listener` run the rules of writes made through `source`. */
export function attachAutomation(source: object, listener: AutomationListener): void {
  listeners.set(source, listener);
}

/**
 * Called by `RecordWriter` after each create, update, delete and restore, inside the write's
 * transaction (rules that change data run there, so a failing rule rolls the write back).
 * Returns the record as the rules left it, or undefined when they did not touch it.
 */
export async function afterRecordWrite(
  trx: Kysely<JoineryDatabase>,
  forms: FormRegistry,
  change: RecordChange,
): Promise<RecordBody | undefined> {
  const listener = listeners.get(forms);
  return listener ? listener.onRecordChange(trx, forms, change) : undefined;
}

/**
 * Whether a write of `form` through `forms` would run rules. A caller that may write without a
 * transaction (a one-statement create) asks first: rules need the write's transaction.
 */
export async function automationWatches(
  db: Kysely<JoineryDatabase>,
  forms: FormRegistry,
  form: PublishedForm,
): Promise<boolean> {
  const listener = listeners.get(forms);
  return listener ? listener.watches(db, form) : false;
}

/**
 * `automationWatches` as SQL, for a one-statement create that writes only while it is false (no
 * round trip of its own); undefined when nobody listens to `forms` (no rules can run).
 */
export function automationWatchedSql(
  forms: FormRegistry,
  form: PublishedForm,
): RawBuilder<SqlBool> | undefined {
  return listeners.get(forms)?.watchedSql(form);
}

/** Called by the workflow runtime after it applied a step's effects, inside the step's transaction. */
export async function afterWorkflowStep(
  source: object,
  trx: Kysely<JoineryDatabase>,
  step: WorkflowStep,
): Promise<void> {
  await listeners.get(source)?.onWorkflowStep(trx, step);
}
