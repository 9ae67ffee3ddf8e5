import { isJoineryError, JoineryError } from '@joinery/shared';
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { RecordGuard } from '../access/record-guard.ts';
import type { JoineryDatabase } from '../database/schema.ts';
import type { FormRegistry, PublishedForm } from '../metadata/form-registry.ts';
import { attachRows, holdLookups } from '../records/record-reader.ts';
import { recordRow } from '../records/record-row.ts';
import { type RecordBody, rowToRecord } from '../records/record-values.ts';
import type { RecordRef } from './workflow-records.ts';

/** The record of a workflow as the viewer may see it, and the guard that decided. */
export interface GuardedRecord {
  readonly form: PublishedForm;
  readonly guard: RecordGuard;
  /** The form's own row: show it only through {@link WorkflowRecordAccess.present}. */
  readonly record: RecordBody;
}

/**
 * The records access layer applied to workflows: starting a workflow on a record and reading a
 * task, an instance or its timeline need the right to view that record — the viewer's roles,
 * row scope and field rights, exactly as the records API checks them. A record outside the
 * viewer's scope answers the caller's own 404 (`notFound`), so workflow ids reveal no records.
 */
export class WorkflowRecordAccess {
  constructor(
    private readonly db: Kysely<JoineryDatabase>,
    private readonly forms: FormRegistry,
  ) {}

  /** The records access layer for the viewer of `request` on `form`. */
  guardOf(request: FastifyRequest, form: PublishedForm): Promise<RecordGuard> {
    return RecordGuard.of(request, this.db, this.forms, form);
  }

  /**
   * Throws `notFound()` unless the viewer may view the record. `row`: the record's row when the
   * caller read it already (as `recordRow` does, of this very form), else it is read here.
   */
  async read(
    request: FastifyRequest,
    ref: RecordRef,
    notFound: () => JoineryError,
    row?: Record<string, unknown>,
  ): Promise<GuardedRecord> {
    const form = await this.forms.get(ref.app, ref.form).catch((error: unknown) => {
      if (isJoineryError(error)) throw notFound();
      throw error;
    });
    const guard = await this.guardOf(request, form);
    // Deleted records stay readable here: their instances and timelines are history.
    const found = row ?? (await recordRow(this.db, form, ref.recordId));
    if (found === undefined) throw notFound();
    const record = rowToRecord(found, form.table.columns);
    try {
      guard.assertInScope('view', record);
    } catch (error) {
      if (isJoineryError(error)) throw notFound();
      throw error;
    }
    return { form, guard, record };
  }

  /**
   * Rows of `form` as the viewer sees them, exactly as the records API shows records: with
   * their subform rows and many-relation ids, then through `guard.present` — unreadable fields
   * gone, personal data masked (in subform rows too; clear reads audited), lookups read under
   * the viewer's rights on the related form. One query per subform, junction and lookup field
   * for the whole page.
   */
  async present(
    form: PublishedForm,
    guard: RecordGuard,
    rows: RecordBody[],
  ): Promise<RecordBody[]> {
    await attachRows(this.db, form, rows);
    holdLookups(form, rows);
    return guard.present(rows);
  }
}

/**
 * Field edits carried by a workflow action (`approve`, `resubmit`) obey the viewer's field
 * write rights, as the records API's do: 403 naming each field at `/body/patch/<field>`, before
 * anything is written. The step's own editable list is checked by the engine on top.
 */
export function assertPatchWritable(
  guard: RecordGuard,
  patch: Readonly<Record<string, unknown>> | undefined,
): void {
  const refused = Object.keys(patch ?? {}).filter((field) => !guard.canWrite(field));
  if (refused.length === 0) return;
  throw new JoineryError(
    'JNY_WORKFLOW_RUNTIME_FIELDS_NOT_WRITABLE',
    { fields: refused.join(', ') },
    refused.map((field) => ({
      field: `/body/patch/${field}`,
      reason: { 'zh-CN': '无权修改此字段', en: 'You may not change this field' },
    })),
  );
}
