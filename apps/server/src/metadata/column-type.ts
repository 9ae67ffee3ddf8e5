import { type RawBuilder, sql } from 'kysely';

/**
 * The Postgres column types field types may declare. A type reaches SQL only when it matches
 * this closed grammar; it comes from the field-type registry (code), never from a request.
 */
const COLUMN_TYPE =
  /^(text|uuid|jsonb|boolean|date|numeric|bigint|integer|text\[\]|uuid\[\]|timestamptz(\([0-6]\))?|numeric\(\d{1,2}, ?\d{1,2}\))$/;

/**
 * The column type as SQL. WARNING! This is `sql.raw` underneath: the type text must match the
 * closed grammar above (checked here), otherwise it throws — never pass anything from input.
 */
export function columnTypeSql(type: string): RawBuilder<unknown> {
  if (!COLUMN_TYPE.test(type)) throw new Error(`Unknown column type ${type}`);
  return sql.raw(type.replace(/\s+/g, ''));
}
