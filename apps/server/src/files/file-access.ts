import { isJoineryError, JoineryError } from '@joinery/shared';
import type { FastifyRequest } from 'fastify';
import { type Kysely, sql } from 'kysely';
import { RecordGuard } from '../access/record-guard.ts';
import { principalOf } from '../auth/authenticate.ts';
import type { JoineryDatabase } from '../database/schema.ts';
import type { RecordService } from '../records/record-service.ts';
import { assertCanSeeInstance } from '../workflow/workflow-access.ts';
import { fileFieldOf } from './file-fields.ts';

/** The stored facts about a file that decide who may download it. */
export interface FileOwner {
  readonly id: string;
  readonly form_id: string | null;
  readonly field_key: string;
  readonly uploaded_by: string | null;
}

/** Why a download is allowed: the record or workflow instance it was read through. */
export type DownloadGrant =
  | { readonly via: 'uploader' }
  | { readonly via: 'record'; readonly form: string; readonly record: string }
  | { readonly via: 'instance'; readonly instance: string };

/** How many holders of one file are tried before the download is refused. */
const HOLDERS_TRIED = 100;

/**
 * Who may download a file. A file held by records (in a form field or a subform row) goes to
 * whoever the record guard lets read one of them and that field — action right, row scope, field
 * read right — and a file on a workflow timeline to whoever may see that instance. A file
 * nothing holds yet goes to its uploader only. Everyone else gets the 404 of a file that does not
 * exist, so an id reveals nothing.
 */
export async function downloadGrant(
  request: FastifyRequest,
  db: Kysely<JoineryDatabase>,
  records: RecordService,
  file: FileOwner,
): Promise<DownloadGrant> {
  const held = await recordHolders(db, records, file);
  if (held) {
    const guard = await RecordGuard.of(request, db, records.forms, held.form);
    for (const id of held.ids) {
      const record = await records.get(held.form, id);
      if (guard.mayRead(record, held.readKey)) {
        return { via: 'record', form: `${held.form.appKey}.${held.form.formKey}`, record: id };
      }
    }
  }
  const instances = await sql<{ instance_id: string }>`
    select distinct instance_id::text from joinery.workflow_history
    where ${file.id} = any(attachments) limit ${HOLDERS_TRIED}`.execute(db);
  const principal = principalOf(request);
  for (const { instance_id: instance } of instances.rows) {
    if (await canSeeInstance(db, request, instance)) return { via: 'instance', instance };
  }
  const attached = (held?.ids.length ?? 0) > 0 || instances.rows.length > 0;
  if (!attached && file.uploaded_by === principal.userId) return { via: 'uploader' };
  throw new JoineryError('JNY_FILE_NOT_FOUND', { id: file.id });
}

/** The records (live or soft-deleted) holding the file in the field it was uploaded for. */
async function recordHolders(db: Kysely<JoineryDatabase>, records: RecordService, file: FileOwner) {
  if (file.form_id === null) return undefined;
  const keys = await db
    .selectFrom('joinery.forms as f')
    .innerJoin('joinery.apps as a', 'a.id', 'f.app_id')
    .select(['a.key as app', 'f.key as form', 'f.published_version'])
    .where('f.id', '=', file.form_id)
    .executeTakeFirst();
  if (!keys || keys.published_version === null) return undefined;
  const form = await records.forms.get(keys.app, keys.form);
  const field = fileFieldOf(form, file.field_key);
  if (!field) return undefined;
  // Table and column names come from published metadata; the file id is a bound parameter.
  const rows = await sql<{ id: string }>`
    select distinct ${sql.id(field.recordIdColumn)}::text as id
    from ${sql.id(form.table.schema, field.table)}
    where ${sql.id(field.column.column)} @> ${JSON.stringify([{ id: file.id }])}::jsonb
    limit ${HOLDERS_TRIED}`.execute(db);
  return { form, readKey: field.readKey, ids: rows.rows.map((row) => row.id) };
}

async function canSeeInstance(
  db: Kysely<JoineryDatabase>,
  request: FastifyRequest,
  instance: string,
): Promise<boolean> {
  try {
    await assertCanSeeInstance(db, principalOf(request), instance);
    return true;
  } catch (error) {
    if (isJoineryError(error) && error.status === 404) return false;
    throw error;
  }
}
