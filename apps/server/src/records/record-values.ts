import { dateTimeFromDb } from '@joinery/forms';
import type { ColumnField } from '../metadata/form-table.ts';

/** A record as the API shows it: system fields, then field values by key. */
export interface RecordBody {
  id: string;
  version: number;
  createdAt: string;
  createdBy: string | null;
  updatedAt: string;
  updatedBy: string | null;
  owner: string | null;
  deletedAt: string | null;
  values: Record<string, unknown>;
  expanded?: Record<string, unknown>;
}

/** The system columns every form table has, as list filters and sorts may name them. */
export const SYSTEM_COLUMNS: Readonly<
  Record<string, { column: string; type: 'uuid' | 'datetime' | 'number'; notNull: boolean }>
> = Object.freeze({
  id: { column: 'id', type: 'uuid', notNull: true },
  created_at: { column: 'created_at', type: 'datetime', notNull: true },
  updated_at: { column: 'updated_at', type: 'datetime', notNull: true },
  created_by: { column: 'created_by', type: 'uuid', notNull: false },
  updated_by: { column: 'updated_by', type: 'uuid', notNull: false },
  owner: { column: 'owner', type: 'uuid', notNull: false },
  version: { column: 'version', type: 'number', notNull: true },
});

/**
 * A normalised field value as a `pg` parameter. `jsonb` columns take JSON text (pg would send a
 * JavaScript array as a Postgres array); everything else goes as is (money and percent as
 * decimal strings, so nothing passes through a float).
 */
export function toColumnValue(column: ColumnField, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (column.columnType === 'jsonb') return JSON.stringify(value);
  return value;
}

/**
 * The columns a field value is written to, with their parameters: the field's column and, for
 * a sensitive field, the ciphertext there and its keyed hash in the blind-index column. Values
 * reach here validated and normalised, so equal values hash equally.
 */
export function columnWrites(column: ColumnField, value: unknown): [string, unknown][] {
  if (!column.sensitive) return [[column.column, toColumnValue(column, value)]];
  const { codec, indexColumn } = column.sensitive;
  if (value === null || value === undefined) {
    return [
      [column.column, null],
      [indexColumn, null],
    ];
  }
  const sealed = codec.seal(String(value));
  return [
    [column.column, sealed.stored],
    [indexColumn, sealed.index],
  ];
}

/** A row of a form table as the API shows it (deleted fields left out). */
export function rowToRecord(
  row: Readonly<Record<string, unknown>>,
  columns: readonly ColumnField[],
): RecordBody {
  const values: Record<string, unknown> = {};
  for (const column of columns) {
    if (column.field.deleted) continue;
    if (Object.hasOwn(row, column.column))
      values[column.field.key] = column.bound.fromDb(row[column.column]);
  }
  return {
    id: String(row.id),
    version: Number(row.version),
    createdAt: dateTimeFromDb(row.created_at),
    createdBy: (row.created_by as string | null) ?? null,
    updatedAt: dateTimeFromDb(row.updated_at),
    updatedBy: (row.updated_by as string | null) ?? null,
    owner: (row.owner as string | null) ?? null,
    deletedAt: row.deleted_at ? dateTimeFromDb(row.deleted_at) : null,
    values,
  };
}

/** Subform rows (child table rows) as the API shows them: `id` and the row's field values. */
export function childRowToValues(
  row: Readonly<Record<string, unknown>>,
  columns: readonly ColumnField[],
): Record<string, unknown> {
  const values: Record<string, unknown> = { id: String(row.id) };
  for (const column of columns) {
    if (column.field.deleted) continue;
    values[column.field.key] = column.bound.fromDb(row[column.column]);
  }
  return values;
}
