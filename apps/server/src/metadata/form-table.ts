import {
  type BoundFieldType,
  blindIndexColumn,
  type FieldDefinition,
  type FormDefinition,
  fieldTypes,
} from '@joinery/forms';
import { FieldCipher } from '../access/field-cipher.ts';
import { fieldIdentity, SensitiveField } from '../access/sensitive-codec.ts';

/** A field stored in a column of the form's (or a subform's) table. */
export interface ColumnField {
  readonly field: FieldDefinition;
  readonly bound: BoundFieldType;
  /** The column name: the field key (validated by the form engine as an identifier). */
  readonly column: string;
  readonly columnType: string;
  /**
   * Set for a sensitive field: the column holds ciphertext (`bound.fromDb` decrypts it) and
   * `indexColumn` the keyed hash that equality search and uniqueness use.
   */
  readonly sensitive: { readonly codec: SensitiveField; readonly indexColumn: string } | null;
}

/** A subform: rows in a child table with `id`, `parent_id`, `row_order` and the row fields. */
export interface SubformTable {
  readonly field: FieldDefinition;
  readonly table: string;
  readonly columns: readonly ColumnField[];
}

/** A many-relation: a junction table `source_id → target_id` towards another form's table. */
export interface JunctionTable {
  readonly field: FieldDefinition;
  readonly table: string;
  readonly targetForm: string;
}

/**
 * Where a form version's data lives: the Postgres schema `app_<app>`, its table (the form key),
 * one column per stored field, and the child and junction tables. Every name comes from keys the
 * form engine validated (`KEY_PATTERN`), and reaches SQL only through kysely's identifiers.
 */
export interface FormTable {
  readonly schema: string;
  readonly table: string;
  /** Stored fields (deleted ones included: their data stays until purged). */
  readonly columns: readonly ColumnField[];
  readonly subforms: readonly SubformTable[];
  readonly junctions: readonly JunctionTable[];
}

/** The Postgres schema of an app. */
export function appSchemaName(appKey: string): string {
  return `app_${appKey}`;
}

/** Binds a field to its type (the version it was saved with). */
export function bindField(field: FieldDefinition): BoundFieldType {
  const version = field.typeVersion ?? fieldTypes.latest(field.type)?.version ?? 1;
  return fieldTypes.get(field.type, version).bind(field);
}

/** Where sensitive values are decrypted: the cipher of the process, and whose fields they are. */
interface Sealing {
  readonly cipher: FieldCipher | undefined;
  readonly appKey: string;
  readonly formKey: string;
}

function columnsOf(fields: readonly FieldDefinition[], sealing: Sealing): ColumnField[] {
  return fields.flatMap((field): ColumnField[] => {
    const bound = bindField(field);
    if (bound.storage !== 'column' || !bound.columnType) return [];
    const plain = { field, bound, column: field.key, columnType: bound.columnType };
    if (!field.sensitive) return [{ ...plain, sensitive: null }];
    const codec = new SensitiveField(
      sealing.cipher ?? noCipher(sealing.formKey),
      fieldIdentity(sealing.appKey, sealing.formKey, field.id),
      field.key,
    );
    // Every read path turns a column value into a field value with `bound.fromDb`: decrypting
    // there means no reader can forget to.
    const decrypting: BoundFieldType = Object.freeze({
      ...bound,
      fromDb: (value: unknown) =>
        value === null || value === undefined ? null : bound.fromDb(codec.open(String(value))),
    });
    return [
      {
        ...plain,
        bound: decrypting,
        sensitive: { codec, indexColumn: blindIndexColumn(field.key) },
      },
    ];
  });
}

/** A cipher that refuses every use: a bug, since only metadata checks go without one. */
function noCipher(formKey: string): FieldCipher {
  return new FieldCipher(() => {
    throw new Error(`the form ${formKey} has sensitive fields but was loaded without a cipher`);
  });
}

/**
 * The physical layout of a form version in an app. `cipher` decrypts its sensitive fields; a
 * form with sensitive fields needs one (only metadata checks, which read no records, go without).
 */
export function formTable(appKey: string, form: FormDefinition, cipher?: FieldCipher): FormTable {
  const sealing: Sealing = { cipher, appKey, formKey: form.key };
  const subforms: SubformTable[] = [];
  const junctions: JunctionTable[] = [];
  for (const field of form.fields) {
    const bound = bindField(field);
    if (bound.storage === 'child-table') {
      subforms.push({
        field,
        table: `${form.key}__${field.key}`,
        columns: columnsOf(field.fields ?? [], sealing),
      });
    } else if (bound.storage === 'junction-table') {
      junctions.push({
        field,
        table: `${form.key}__${field.key}`,
        targetForm: String(field.config?.form ?? ''),
      });
    }
  }
  return {
    schema: appSchemaName(appKey),
    table: form.key,
    columns: columnsOf(form.fields, sealing),
    subforms,
    junctions,
  };
}
