import type { FieldDefinition } from '@joinery/forms';
import type { PublishedForm } from '../metadata/form-registry.ts';
import type { ColumnField } from '../metadata/form-table.ts';

/** A file reference as stored in an attachment or image column. */
export interface StoredFileRef {
  readonly id: string;
}

/**
 * Where the files of one attachment or image field live: a column of the form's table (`docs`)
 * or of a subform's child table (`guarantors.scan`, one value per row).
 */
export interface FileField {
  /** The key uploads are made for and `joinery.files.field_key` holds. */
  readonly key: string;
  readonly definition: FieldDefinition;
  /** The top-level field whose read right covers these files (the subform for its rows). */
  readonly readKey: string;
  /** The table (in the app's schema) and its column holding the references. */
  readonly table: string;
  readonly column: ColumnField;
  /** The column of that table holding the id of the record the files belong to. */
  readonly recordIdColumn: 'id' | 'parent_id';
  /** Every file reference of the field in a record's values (all subform rows). */
  refsIn(values: Readonly<Record<string, unknown>>): StoredFileRef[];
  /** `values` with each list of references at the field replaced by `replace(list)`. */
  replaceIn(
    values: Record<string, unknown>,
    replace: (refs: readonly StoredFileRef[]) => unknown[],
  ): void;
}

const isFileType = (field: FieldDefinition) =>
  !field.deleted && (field.type === 'attachment' || field.type === 'image');

const refsOf = (value: unknown): StoredFileRef[] =>
  Array.isArray(value)
    ? value.filter(
        (ref): ref is StoredFileRef =>
          typeof ref === 'object' && ref !== null && typeof ref.id === 'string',
      )
    : [];

/** The live attachment and image fields of a form, its subforms' row fields included. */
export function fileFieldsOf(form: PublishedForm): FileField[] {
  const found: FileField[] = [];
  for (const column of form.table.columns) {
    if (!isFileType(column.field)) continue;
    const key = column.field.key;
    found.push({
      key,
      definition: column.field,
      readKey: key,
      table: form.table.table,
      column,
      recordIdColumn: 'id',
      refsIn: (values) => refsOf(values[key]),
      replaceIn: (values, replace) => {
        if (Array.isArray(values[key])) values[key] = replace(refsOf(values[key]));
      },
    });
  }
  for (const subform of form.table.subforms) {
    if (subform.field.deleted) continue;
    const parent = subform.field.key;
    const rowsOf = (values: Readonly<Record<string, unknown>>) =>
      (Array.isArray(values[parent]) ? values[parent] : []) as Record<string, unknown>[];
    for (const column of subform.columns) {
      if (!isFileType(column.field)) continue;
      const child = column.field.key;
      found.push({
        key: `${parent}.${child}`,
        definition: column.field,
        readKey: parent,
        table: subform.table,
        column,
        recordIdColumn: 'parent_id',
        refsIn: (values) => rowsOf(values).flatMap((row) => refsOf(row?.[child])),
        replaceIn: (values, replace) => {
          if (!Array.isArray(values[parent])) return;
          values[parent] = rowsOf(values).map((row) =>
            Array.isArray(row?.[child]) ? { ...row, [child]: replace(refsOf(row[child])) } : row,
          );
        },
      });
    }
  }
  return found;
}

/** The file field `key` (`docs` or `subform.field`) of a form, when it is one. */
export function fileFieldOf(form: PublishedForm, key: string): FileField | undefined {
  return fileFieldsOf(form).find((field) => field.key === key);
}
