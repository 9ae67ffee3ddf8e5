import { createHash } from 'node:crypto';
import type { DateRelativeTrigger } from '@joinery/rules';
import { type Kysely, sql } from 'kysely';
import type { JoineryDatabase } from '../database/schema.ts';
import type { PublishedForm } from '../metadata/form-registry.ts';

/** The table and column a date-relative rule scans, from the published form; null if gone. */
function scannedColumn(form: PublishedForm, trigger: DateRelativeTrigger) {
  const owner =
    trigger.subform === undefined
      ? form.table
      : form.table.subforms.find((s) => s.field.key === trigger.subform);
  const column = owner?.columns.find((c) => c.field.key === trigger.field && !c.field.deleted);
  return owner && column ? { table: owner.table, column: column.column } : null;
}

/** A stable index name within Postgres' 63 bytes, one per table and column. */
export function dateIndexName(table: string, column: string): string {
  const hash = createHash('sha256').update(`${table}.${column}`).digest('hex').slice(0, 10);
  return `jny_date_${table.slice(0, 24)}_${column.slice(0, 16)}_${hash}`;
}

/**
 * Indexes the date column a date-relative rule scans daily (one equality per scan), so the scan
 * reads only the rows due that day whatever the table's size. Built `CONCURRENTLY` (writes to the
 * form go on) outside any transaction, by a job queued when the rule is saved; an invalid index
 * left by an interrupted build is dropped and built again. Identifiers come only from the
 * published form (keys the form engine validated). Returns the index name, or null when the
 * form no longer has the field.
 */
export async function ensureDateIndex(
  db: Kysely<JoineryDatabase>,
  form: PublishedForm,
  trigger: DateRelativeTrigger,
): Promise<string | null> {
  const target = scannedColumn(form, trigger);
  if (!target) return null;
  const { schema } = form.table;
  const name = dateIndexName(target.table, target.column);
  const found = await sql<{ valid: boolean }>`
    select i.indisvalid as valid from pg_index i
    join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${schema} and c.relname = ${name}`.execute(db);
  const existing = found.rows[0];
  if (existing?.valid) return name;
  if (existing) await sql`drop index concurrently if exists ${sql.id(schema, name)}`.execute(db);
  await sql`create index concurrently if not exists ${sql.id(name)}
    on ${sql.id(schema, target.table)} (${sql.id(target.column)})`.execute(db);
  return name;
}
