import type { RecordData } from '@joinery/rules';
import { JoineryError } from '@joinery/shared';
import { type Kysely, sql } from 'kysely';
import type { JoineryDatabase } from '../database/schema.ts';
import type { PublishedForm } from '../metadata/form-registry.ts';
import { recordRow } from '../records/record-row.ts';
import { type RecordBody, rowToRecord } from '../records/record-values.ts';

/** A live record of a form, read in the caller's transaction; undefined when absent or deleted. */
export async function readRecord(
  db: Kysely<JoineryDatabase>,
  form: PublishedForm,
  id: string,
): Promise<RecordBody | undefined> {
  const row = await recordRow(db, form, id, { live: true });
  return row ? rowToRecord(row, form.table.columns) : undefined;
}

/**
 * A live record read in a run's transaction and locked (the run is about to change it);
 * `JNY_RECORD_NOT_FOUND` when absent or deleted.
 */
export async function lockRecord(
  trx: Kysely<JoineryDatabase>,
  form: PublishedForm,
  id: string,
): Promise<RecordBody> {
  // Table identifiers come from published metadata; the id is a bound parameter.
  const found = await sql<Record<string, unknown>>`
    select * from ${sql.id(form.table.schema, form.table.table)}
    where id = ${id} and deleted_at is null for update`.execute(trx);
  const row = found.rows[0];
  if (!row) throw new JoineryError('JNY_RECORD_NOT_FOUND', { id });
  return rowToRecord(row, form.table.columns);
}

/** A record as conditions and expressions read it: its fields plus id and owner. */
export function recordData(record: RecordBody): RecordData {
  return { id: record.id, owner: record.owner, createdBy: record.createdBy, ...record.values };
}
