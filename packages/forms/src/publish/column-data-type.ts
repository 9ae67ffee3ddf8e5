import { type ColumnDataType, type Expression, sql } from 'kysely';

/** A column type kysely accepts: one of its known names, or a fixed SQL fragment. */
export type ColumnType = ColumnDataType | Expression<unknown>;

/** Column types as kysely data types (constants; kysely has no array types). */
const KNOWN: Readonly<Record<string, ColumnType>> = {
  text: 'text',
  numeric: 'numeric',
  'numeric(18, 2)': 'numeric(18, 2)',
  'numeric(9, 4)': 'numeric(9, 4)',
  date: 'date',
  'timestamptz(3)': 'timestamptz(3)',
  boolean: 'boolean',
  uuid: 'uuid',
  jsonb: 'jsonb',
  'text[]': sql`text[]`,
};

/** The same types as SQL fragments, for `ALTER … TYPE … USING` and casts. */
const AS_SQL: Readonly<Record<string, Expression<unknown>>> = {
  text: sql`text`,
  numeric: sql`numeric`,
  'numeric(18, 2)': sql`numeric(18, 2)`,
  'numeric(9, 4)': sql`numeric(9, 4)`,
  date: sql`date`,
  'timestamptz(3)': sql`timestamptz(3)`,
  boolean: sql`boolean`,
  uuid: sql`uuid`,
  jsonb: sql`jsonb`,
  'text[]': sql`text[]`,
};

/**
 * The kysely data type of a field type's column type. Column types come from the field type
 * registry, never from a form definition; an unknown one is a bug in a field type.
 */
export function columnDataType(columnType: string): ColumnType {
  const type = KNOWN[columnType];
  if (type === undefined) throw new Error(`No kysely data type for column type ${columnType}`);
  return type;
}

/** The column type as a constant SQL fragment. */
export function columnTypeSql(columnType: string): Expression<unknown> {
  const type = AS_SQL[columnType];
  if (type === undefined) throw new Error(`No SQL for column type ${columnType}`);
  return type;
}

/** Integer and fraction digits a numeric column type holds, or null for other types. */
export function numericLimits(columnType: string): { integer: number; scale: number } | null {
  if (columnType === 'numeric(18, 2)') return { integer: 16, scale: 2 };
  if (columnType === 'numeric(9, 4)') return { integer: 5, scale: 4 };
  if (columnType === 'numeric') return { integer: 15, scale: 10 };
  return null;
}
