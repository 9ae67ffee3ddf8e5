import type { Kysely } from 'kysely';
import type { JoineryDatabase } from '../database/schema.ts';
import { fileFieldsOf } from '../files/file-fields.ts';
import { referableFiles } from '../files/referable-files.ts';
import type { FormRegistry } from '../metadata/form-registry.ts';
import { attachRelated } from '../records/record-reader.ts';
import { recordRow } from '../records/record-row.ts';
import { rowToRecord } from '../records/record-values.ts';

/**
 * Refuses (400 naming `/body/attachments`) a task or instance action whose attachments are not
 * files the actor uploaded or files the instance's record already holds: the timeline shows them
 * to everyone who may see the instance, so an id alone must not be enough to attach a file.
 */
export async function assertAttachable(
  db: Kysely<JoineryDatabase>,
  forms: FormRegistry,
  userId: string,
  instanceId: string,
  attachments: readonly string[] | undefined,
): Promise<void> {
  if (attachments === undefined || attachments.length === 0) return;
  await referableFiles(db, {
    ids: attachments,
    userId,
    held: await heldByRecordOf(db, forms, instanceId),
    field: '/body/attachments',
  });
}

/** The ids of the files the record of an instance holds, in any file field. */
async function heldByRecordOf(
  db: Kysely<JoineryDatabase>,
  forms: FormRegistry,
  instanceId: string,
): Promise<string[]> {
  const instance = await db
    .selectFrom('joinery.workflow_instances')
    .select(['app', 'form', 'record_id'])
    .where('id', '=', instanceId)
    .executeTakeFirst();
  if (!instance) return [];
  const form = await forms.get(instance.app, instance.form);
  const row = await recordRow(db, form, instance.record_id);
  if (!row) return [];
  const record = rowToRecord(row, form.table.columns);
  await attachRelated(db, forms, form, [record]);
  return fileFieldsOf(form).flatMap((field) => field.refsIn(record.values).map((ref) => ref.id));
}
