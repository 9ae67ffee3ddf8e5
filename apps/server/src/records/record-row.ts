import { isCanonicalUuid } from '@joinery/rules';
import { type QueryExecutorProvider, sql } from 'kysely';
import type { PublishedForm } from '../metadata/form-registry.ts';

/**
 * The stored row of a record by its id, or undefined. The id is compared as a uuid, so the
 * primary key finds it (`id::text = $1` would read the whole table); text that is not a uuid as
 * Postgres prints it names no record and is answered so before the cast could fail. Table
 * identifiers come from published metadata; the id is a bound parameter.
 */
export async function recordRow(
  db: QueryExecutorProvider,
  form: PublishedForm,
  id: string,
  options: { readonly live?: boolean; readonly forUpdate?: boolean } = {},
): Promise<Record<string, unknown> | undefined> {
  if (!isCanonicalUuid(id)) return undefined;
  const found = await sql<Record<string, unknown>>`
    select * from ${sql.id(form.table.schema, form.table.table)}
    where id = ${id}::uuid ${options.live ? sql`and deleted_at is null` : sql``}
    ${options.forUpdate ? sql`for update` : sql``}`.execute(db);
  return found.rows[0];
}

/**
 * The columns `rowToRecord` reads of a form's row: the system columns and the live field
 * columns, for statements that name them (a prepared statement must not `select *`).
 */
export function recordColumnNames(form: PublishedForm): string[] {
  const fields = form.table.columns.filter((column) => !column.field.deleted);
  return [
    ...['id', 'version', 'created_at', 'created_by', 'updated_at', 'updated_by', 'owner'],
    ...['deleted_at', ...fields.map((column) => column.column)],
  ];
}
