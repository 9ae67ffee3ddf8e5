import { computedInputs, evaluateForm, readsContext } from '@joinery/forms';
import { sql } from 'kysely';
import { columnTypeSql } from '../metadata/column-type.ts';
import type { FormRegistry, PublishedForm } from '../metadata/form-registry.ts';
import { attachRelated, type Queryable } from './record-reader.ts';
import { type RecordBody, rowToRecord } from './record-values.ts';

/** When derived values are recomputed: `$now`, and the business day `today` counts in. */
export interface RecomputeClock {
  readonly now: Date;
  readonly utcOffsetMinutes: number;
}

/**
 * Recomputes the stored computed fields `keys` (formulas, subform rollups) of `records`, whose
 * inputs got new values without a write of the records themselves: a rollup over related
 * records moved (`computedDependents` of it), or a publish added or changed a formula. Only rows whose
 * values differ are written, in one UPDATE; version, history and `updated_*` stay as they are
 * (derived data changed, not the record). Formulas reading `$user` keep their stored value:
 * they record who saved, and nobody is saving here. `today` and `$now` are those of `clock` (the
 * write or publish that caused it). Returns the records that changed.
 */
export async function recomputeComputed(
  trx: Queryable,
  forms: FormRegistry,
  form: PublishedForm,
  records: RecordBody[],
  keys: ReadonlySet<string>,
  clock: RecomputeClock,
): Promise<RecordBody[]> {
  const columns = form.table.columns.filter(
    ({ field }) => keys.has(field.key) && !readsContext(field.config?.logic ?? null, '$user'),
  );
  if (columns.length === 0 || records.length === 0) return [];
  const inputs = new Set(columns.flatMap(({ field }) => [...computedInputs(field)]));
  await attachRelated(trx, forms, form, records, inputs.has('*') ? undefined : inputs);

  const rows = records.map((record) => {
    const { values } = evaluateForm(form.definition, record.values, {
      now: clock.now,
      utcOffsetMinutes: clock.utcOffsetMinutes,
    });
    const row: Record<string, unknown> = { id: record.id };
    for (const column of columns) row[column.column] = values[column.field.key] ?? null;
    return row;
  });
  // One statement for the batch: the new values travel as one JSON parameter, typed by the
  // columns' own types (from validated metadata), and unchanged rows are left untouched.
  const shape = sql.join([
    sql`id uuid`,
    ...columns.map((column) => sql`${sql.id(column.column)} ${columnTypeSql(column.columnType)}`),
  ]);
  const stored = sql.join(columns.map((column) => sql`t.${sql.id(column.column)}`));
  const fresh = sql.join(columns.map((column) => sql`v.${sql.id(column.column)}`));
  const sets = sql.join(
    columns.map((column) => sql`${sql.id(column.column)} = v.${sql.id(column.column)}`),
  );
  const updated = await sql<Record<string, unknown>>`
    update ${sql.id(form.table.schema, form.table.table)} as t set ${sets}
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(${shape})
    where t.id = v.id and (${stored}) is distinct from (${fresh})
    returning t.*`.execute(trx);
  return updated.rows.map((row) => rowToRecord(row, form.table.columns));
}

/** Every row of a form's table (deleted ones too), a batch at a time in id order. */
export async function* allRecords(
  trx: Queryable,
  form: PublishedForm,
  batchSize = 1000,
): AsyncGenerator<RecordBody[]> {
  let after: string | null = null;
  for (;;) {
    const page: { rows: Record<string, unknown>[] } = await sql<Record<string, unknown>>`
      select * from ${sql.id(form.table.schema, form.table.table)}
      where ${after === null ? sql`true` : sql`id > ${after}`}
      order by id limit ${batchSize}`.execute(trx);
    if (page.rows.length === 0) return;
    const records = page.rows.map((row) => rowToRecord(row, form.table.columns));
    yield records;
    after = records[records.length - 1]?.id ?? null;
  }
}
