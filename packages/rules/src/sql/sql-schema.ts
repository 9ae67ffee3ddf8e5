/**
 * The field types a condition can be translated over, with the in-memory representation a
 * record must use for the SQL filter and `compileLogic` to agree:
 * - `number`, `money`: a JavaScript number (money as the nearest double, not a string);
 * - `text`: a string; `boolean`: true/false;
 * - `date`: `YYYY-MM-DD`; `datetime`: `Date.prototype.toISOString()` form (UTC, milliseconds —
 *   store `timestamptz(3)`);
 * - `text[]`: an array of strings.
 * Every field is present in the record, `null` when empty.
 */
export type SqlFieldType =
  | 'text'
  | 'number'
  | 'money'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'text[]'
  /** A `uuid` column: in memory the lowercase canonical string (ids, owners, references). */
  | 'uuid';

/** One field of a form: the column that stores it and its type. */
export interface SqlField {
  readonly column: string;
  readonly type: SqlFieldType;
}

/**
 * A many-to-one relation (a reference field): `{"var": "customer.grade"}` reads `grade` of the
 * row of `table` whose `targetKey` equals this row's `foreignKey` column. It translates to a
 * correlated scalar subquery, so a dangling or empty reference reads as null — as `var` does
 * in memory when `record.customer` is null.
 */
export interface SqlRelation {
  readonly table: string;
  /** Column of the base table holding the reference. */
  readonly foreignKey: string;
  /** Column of the related table it points to (usually `id`). */
  readonly targetKey: string;
  readonly fields: Readonly<Record<string, SqlField>>;
}

/**
 * What `logicToSql` may reference. Identifiers come only from here (quoted with `sql.id`), never
 * from the expression: a field name in the expression is only a key to look up.
 */
export interface SqlSchema {
  /** The form's table. */
  readonly table: string;
  /** The name the query gives the table, if not its own (`from loans as l` → `l`). */
  readonly alias?: string;
  readonly fields: Readonly<Record<string, SqlField>>;
  readonly relations?: Readonly<Record<string, SqlRelation>>;
}
