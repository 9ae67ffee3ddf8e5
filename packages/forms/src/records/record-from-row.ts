import { dateTimeFromDb } from '../field-types/date-value.ts';
import { type FieldTypeRegistry, fieldTypes } from '../field-types/field-type-registry.ts';
import type { FormDefinition } from '../schema/app-definition.ts';

/** System values of a stored record, in their API form. */
export interface RecordSystemValues {
  readonly id: string;
  readonly created_at: string;
  readonly created_by: string | null;
  readonly updated_at: string;
  readonly updated_by: string | null;
  readonly owner: string | null;
  readonly version: number;
  readonly deleted_at: string | null;
}

const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
const time = (value: unknown) =>
  value === null || value === undefined ? null : dateTimeFromDb(value);

/**
 * Turns a row as `pg` returns it (columns named by field key) into the API record: system
 * values, then every live column-stored field in its canonical form (money `"12.50"`, dates
 * `YYYY-MM-DD`, date-times UTC ISO…). Deleted fields and unknown columns are left out, so a
 * `select *` never leaks a hidden field's data. Subform rows, many-relations and lookups are
 * loaded by the server and added under their keys.
 */
export function recordFromRow(
  form: FormDefinition,
  row: Readonly<Record<string, unknown>>,
  registry: FieldTypeRegistry = fieldTypes,
): RecordSystemValues & Readonly<Record<string, unknown>> {
  const record: Record<string, unknown> = {};
  for (const field of form.fields) {
    if (field.deleted) continue;
    const bound = registry.get(field.type, field.typeVersion ?? 1).bind(field);
    if (bound.storage !== 'column' || !Object.hasOwn(row, field.key)) continue;
    record[field.key] = bound.fromDb(row[field.key]);
  }
  return {
    ...record,
    id: String(row.id),
    created_at: time(row.created_at) ?? '',
    created_by: text(row.created_by),
    updated_at: time(row.updated_at) ?? '',
    updated_by: text(row.updated_by),
    owner: text(row.owner),
    version: Number(row.version),
    deleted_at: time(row.deleted_at),
  };
}
