/**
 * Keys of apps, forms and fields become SQL identifiers (schema, table and column names), so
 * they follow one strict pattern: a lower-case letter, then up to 62 lower-case letters, digits
 * or underscores — 63 bytes, Postgres's identifier limit — and never a reserved word or a name
 * Joinery keeps for itself.
 */
export const KEY_PATTERN = '^[a-z][a-z0-9_]{0,62}$';

const keyRegex = new RegExp(KEY_PATTERN);

/** Columns every form table has; a field may not take their names. */
export const SYSTEM_FIELD_KEYS = Object.freeze([
  'id',
  'created_at',
  'created_by',
  'updated_at',
  'updated_by',
  'owner',
  'version',
  'deleted_at',
] as const);

/** Columns of subform child tables and relation junction tables. */
export const CHILD_TABLE_KEYS = Object.freeze(['parent_id', 'row_order', 'source_id', 'target_id']);

/** Postgres's own hidden columns: a column by these names cannot exist. */
const POSTGRES_SYSTEM_COLUMNS = ['oid', 'tableoid', 'xmin', 'xmax', 'cmin', 'cmax', 'ctid'];

/**
 * Postgres reserved key words (reserved, and "reserved (can be function or type)"), from the
 * SQL key words appendix of the Postgres manual. Identifiers are always quoted by kysely, so
 * these would work — they are refused to keep hand-written SQL and BI tools simple for IT.
 */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  ...'all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate collation column concurrently constraint create cross current_catalog current_date current_role current_schema current_time current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign freeze from full grant group having ilike in initially inner intersect into is isnull join lateral leading left like limit localtime localtimestamp natural not notnull null offset on only or order outer overlaps placing primary references returning right select session_user similar some symmetric system_user table tablesample then to trailing true union unique user using variadic verbose when where window with'.split(
    ' ',
  ),
  ...POSTGRES_SYSTEM_COLUMNS,
]);

/** Why a key is refused, or `null` when it is fine. */
export type KeyProblem = 'pattern' | 'reserved' | 'system';

/** Checks a key that will become an identifier; `system` applies to field keys only. */
export function checkKey(key: unknown, kind: 'app' | 'form' | 'field'): KeyProblem | null {
  if (typeof key !== 'string' || !keyRegex.test(key)) return 'pattern';
  if (RESERVED_WORDS.has(key) || key.startsWith('pg_')) return 'reserved';
  if (kind === 'field' && isSystemKey(key)) return 'system';
  if (kind === 'form' && key.includes('__')) return 'reserved';
  return null;
}

function isSystemKey(key: string): boolean {
  return (SYSTEM_FIELD_KEYS as readonly string[]).includes(key) || CHILD_TABLE_KEYS.includes(key);
}
