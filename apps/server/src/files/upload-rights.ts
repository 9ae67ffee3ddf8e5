import { JoineryError } from '@joinery/shared';
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { RecordGuard } from '../access/record-guard.ts';
import { principalOf } from '../auth/authenticate.ts';
import type { Principal } from '../auth/principal.ts';
import type { JoineryDatabase } from '../database/schema.ts';
import type { PublishedForm } from '../metadata/form-registry.ts';
import type { RecordService } from '../records/record-service.ts';
import { visibleTask } from '../workflow/workflow-access.ts';
import type { FileField } from './file-fields.ts';

/** What an upload is for, from its query: a record being edited, or a task being acted on. */
export interface UploadTarget {
  readonly record?: string | undefined;
  readonly task?: string | undefined;
}

/** The open tasks the sender may act on for absent colleagues (see `delegatedTasks`). */
export type DelegatedTasksOf = (principal: Principal) => Promise<readonly string[]>;

/**
 * Refuses, before a byte of the file is read, an upload its sender could not attach: a file is
 * stored for one form and field (`joinery.files`) and a write attaches only such files, so an
 * upload needs what attaching it needs. Either the sender's roles grant `create` or `edit` on
 * the form (`edit`, with the record in their edit rows, when the upload names its record) and
 * the write right on the field (a subform's, for its rows' files); or the upload names a
 * workflow task on a record of the form that the sender holds, or acts on for an absent
 * colleague (a comment's attachment, or a field the step lets them fill). Otherwise 403 (404
 * for a record or task they cannot see).
 */
export async function assertMayUpload(
  request: FastifyRequest,
  db: Kysely<JoineryDatabase>,
  records: RecordService,
  form: PublishedForm,
  field: FileField,
  target: UploadTarget,
  delegatedOf: DelegatedTasksOf,
): Promise<void> {
  if (target.task !== undefined) {
    const principal = principalOf(request);
    const task = await visibleTask(db, principal, target.task, await delegatedOf(principal));
    const { app, form: formKey, recordId } = task.record;
    const elsewhere =
      app !== form.appKey ||
      formKey !== form.formKey ||
      (target.record !== undefined && target.record !== recordId);
    if (elsewhere) throw new JoineryError('JNY_WORKFLOW_TASK_NOT_FOUND', { taskId: target.task });
    return;
  }
  const guard = await RecordGuard.of(request, db, records.forms, form);
  if (target.record !== undefined) {
    guard.require('edit').assertInScope('edit', await records.get(form, target.record));
  } else if (!guard.allows('create') && !guard.allows('edit')) {
    throw new JoineryError('JNY_AUTH_FORBIDDEN');
  }
  if (!guard.canWrite(field.readKey)) {
    throw new JoineryError('JNY_AUTH_FORBIDDEN', {}, [
      {
        field: '/querystring/field',
        reason: { 'zh-CN': '无权修改此字段', en: 'You may not change this field' },
      },
    ]);
  }
}
