import { fileFieldsOf } from '../files/file-fields.ts';
import { referableFiles } from '../files/referable-files.ts';
import type { PublishedForm } from '../metadata/form-registry.ts';
import type { Queryable } from './record-reader.ts';

/**
 * Checks the file references of a record write, subform rows included: each must name a file
 * uploaded for this form and field, either by the writer or already held by the record in that
 * field (an update keeping it). Name, size and type are then taken from the upload, never from
 * the client. Any other id refuses the whole write, naming the field.
 */
export async function checkRecordFiles(
  db: Queryable,
  form: PublishedForm,
  userId: string,
  values: Record<string, unknown>,
  before: Readonly<Record<string, unknown>> | null,
): Promise<void> {
  for (const field of fileFieldsOf(form)) {
    const ids = field.refsIn(values).map((ref) => ref.id);
    if (ids.length === 0) continue;
    const files = await referableFiles(db, {
      ids,
      userId,
      held: before ? field.refsIn(before).map((ref) => ref.id) : [],
      field: field.key,
      uploadedFor: { formId: form.formId, fieldKey: field.key },
    });
    field.replaceIn(values, (refs) => refs.map((ref) => files.get(ref.id.toLowerCase())));
  }
}
