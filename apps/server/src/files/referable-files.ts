import { JoineryError } from '@joinery/shared';
import { type Kysely, sql } from 'kysely';
import type { JoineryDatabase } from '../database/schema.ts';

/** What a write may say about a file it references: taken from the upload, never the client. */
export interface ReferableFile {
  readonly id: string;
  readonly name: string;
  readonly size: number;
  readonly mime: string;
}

/** What a write references and on whose behalf. */
export interface FileReferences {
  /** The ids the write names (any case); each must be a file the writer may reference. */
  readonly ids: readonly string[];
  readonly userId: string;
  /** Ids already held where the write goes (kept on an update, not newly attached). */
  readonly held: readonly string[];
  /** The field named in the refusal (`docs`, `guarantors.scan`, `/body/attachments`). */
  readonly field: string;
  /** When set, the files must have been uploaded for this form and field. */
  readonly uploadedFor?: { readonly formId: string; readonly fieldKey: string };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The files a write may reference, by lower-case id: each exists, and the writer uploaded it or
 * it is already held where the write goes. Anything else refuses the whole write (400 naming the
 * field): attaching a file is what grants others the right to download it, so knowing an id must
 * not be enough to attach it.
 */
export async function referableFiles(
  db: Kysely<JoineryDatabase>,
  refs: FileReferences,
): Promise<Map<string, ReferableFile>> {
  const ids = refs.ids.map((id) => id.toLowerCase());
  const found = ids.every((id) => UUID.test(id))
    ? await sql<{ id: string; name: string; size: string | number; mime: string }>`
        select id::text, name, size, mime from joinery.files
        where id = any(${ids}::uuid[])
          ${refs.uploadedFor ? sql`and form_id = ${refs.uploadedFor.formId} and field_key = ${refs.uploadedFor.fieldKey}` : sql``}
          and (uploaded_by = ${refs.userId} or id::text = any(${refs.held}::text[]))`.execute(db)
    : { rows: [] };
  const byId = new Map(
    found.rows.map((row) => [row.id, { ...row, size: Number(row.size) } satisfies ReferableFile]),
  );
  if (ids.some((id) => !byId.has(id))) {
    throw new JoineryError('JNY_FILE_REFERENCE_REFUSED', { field: refs.field }, [
      {
        field: refs.field,
        reason: {
          'zh-CN': '文件不存在，或既不是您上传的、也不在这条记录上',
          en: 'No such file, or you neither uploaded it nor find it on this record',
        },
      },
    ]);
  }
  return byId;
}
