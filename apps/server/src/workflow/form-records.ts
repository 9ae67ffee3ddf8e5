import { JoineryError, type Locale } from '@joinery/shared';
import type { Transaction } from 'kysely';
import type { FormRegistry, PublishedForm } from '../metadata/form-registry.ts';
import { recordRow } from '../records/record-row.ts';
import { type RecordBody, rowToRecord } from '../records/record-values.ts';
import { RecordWriter, type WriteContext } from '../records/record-writer.ts';
import type { RecordRef, RecordSnapshot, WorkflowRecords } from './workflow-records.ts';
import type { WorkflowDatabase } from './workflow-tables.ts';

/**
 * A record as the workflow engine sees it. The record's owner and creator are columns of every
 * form table, not fields; conditions and `record-field` assignees may still name them.
 */
export function engineRecord(record: RecordBody): RecordSnapshot {
  return { owner: record.owner, createdBy: record.createdBy, ...record.values };
}

/**
 * `WorkflowRecords` on the records runtime: forms resolved from published metadata, writes
 * through `RecordWriter` — the same validation, formulas, history and rollups as the records
 * API — inside the workflow step's transaction. Errors keep the caller's language only as far
 * as the runtime knows it (en for system steps).
 */
export class FormRecords implements WorkflowRecords {
  constructor(
    private readonly forms: FormRegistry,
    private readonly context: {
      readonly clock: { now(): Date; readonly utcOffsetMinutes?: number };
      readonly locale?: Locale;
      /** Who system writes are attributed to when no person acted (the submitter). */
      readonly submitterOf: (trx: Transaction<WorkflowDatabase>, ref: RecordRef) => Promise<string>;
    },
  ) {}

  async load(trx: Transaction<WorkflowDatabase>, ref: RecordRef): Promise<RecordSnapshot> {
    const form = await this.#form(trx, ref.app, ref.form);
    return engineRecord(await this.#read(trx, form, ref, false));
  }

  async update(
    trx: Transaction<WorkflowDatabase>,
    ref: RecordRef,
    patch: RecordSnapshot,
    actor: string | null,
  ): Promise<void> {
    if (Object.keys(patch).length === 0) return;
    const form = await this.#form(trx, ref.app, ref.form);
    // Lock first, so the version handed to the writer is the one it will find.
    const current = await this.#read(trx, form, ref, true);
    const writer = await this.#writer(trx, form, ref, actor);
    await writer.update(ref.recordId, current.version, patch);
  }

  async create(
    trx: Transaction<WorkflowDatabase>,
    target: { readonly app: string; readonly form: string },
    values: RecordSnapshot,
    actor: string | null,
    source: RecordRef,
  ): Promise<string> {
    const form = await this.#form(trx, target.app, target.form);
    const writer = await this.#writer(trx, form, source, actor);
    return (await writer.create(values)).id;
  }

  #form(trx: Transaction<WorkflowDatabase>, app: string, form: string): Promise<PublishedForm> {
    return this.forms.get(app, form, trx);
  }

  async #read(
    trx: Transaction<WorkflowDatabase>,
    form: PublishedForm,
    ref: RecordRef,
    lock: boolean,
  ) {
    const row = await recordRow(trx, form, ref.recordId, { live: true, forUpdate: lock });
    if (row === undefined) {
      throw new JoineryError('JNY_WORKFLOW_RUNTIME_RECORD_NOT_FOUND', {
        form: ref.form,
        recordId: ref.recordId,
      });
    }
    return rowToRecord(row, form.table.columns);
  }

  async #writer(
    trx: Transaction<WorkflowDatabase>,
    form: PublishedForm,
    ref: RecordRef,
    actor: string | null,
  ): Promise<RecordWriter> {
    const userId = actor ?? (await this.context.submitterOf(trx, ref));
    const context: WriteContext = {
      userId,
      locale: this.context.locale ?? 'en',
      now: this.context.clock.now(),
      user: { id: userId },
      ...(this.context.clock.utcOffsetMinutes === undefined
        ? {}
        : { utcOffsetMinutes: this.context.clock.utcOffsetMinutes }),
    };
    return new RecordWriter(trx, this.forms, form, context);
  }
}
