import { computedDependents } from '@joinery/forms';
import { type RawBuilder, sql } from 'kysely';
import type { FormRegistry, PublishedForm } from '../metadata/form-registry.ts';
import { type RecomputeClock, recomputeComputed } from './recompute-computed.ts';
import type { Queryable } from './record-reader.ts';
import { rowToRecord } from './record-values.ts';

/** A record's one-relation values, by relation field key, before and after a change. */
export type RelationTargets = ReadonlyMap<string, ReadonlySet<string>>;

/** The SQL aggregate of a rollup (a fixed set; never taken from input). */
export function aggregate(kind: string, column: RawBuilder<unknown> | null): RawBuilder<unknown> {
  switch (kind) {
    case 'sum':
      return sql`sum(${column})`;
    case 'min':
      return sql`min(${column})`;
    case 'max':
      return sql`max(${column})`;
    case 'avg':
      return sql`round(avg(${column}), 10)`;
    default:
      return column ? sql`count(${column})` : sql`count(*)`;
  }
}

/** How many forms deep a change of derived values travels (a guard against relation cycles). */
const MAX_DEPTH = 8;

/**
 * Keeps rollups over related records current. When records of `source` change, every rollup of
 * any form of the app that aggregates `source` through a relation (`config.form` = source,
 * `config.via` = the relation field of source) is recomputed for the records the changed rows
 * pointed to, before or after the change — in the caller's transaction, with one UPDATE per
 * rollup that writes only the totals that moved. Soft-deleted source records do not count.
 * A total that moved carries on: the formulas of its record that read it are recomputed, and
 * the rollups of other forms over that record in turn.
 */
export async function refreshRelatedRollups(
  trx: Queryable,
  forms: FormRegistry,
  source: PublishedForm,
  targets: RelationTargets,
  clock: RecomputeClock,
  depth = 0,
): Promise<void> {
  if (targets.size === 0 || depth >= MAX_DEPTH) return;
  const all = await forms.allOf(source.appKey, trx);
  for (const form of all) {
    for (const column of form.table.columns) {
      const { field } = column;
      if (field.deleted || field.type !== 'rollup' || field.config?.form !== source.formKey)
        continue;
      const via = String(field.config.via ?? '');
      const ids = targets.get(via);
      if (!ids || ids.size === 0) continue;
      const viaColumn = source.table.columns.find((c) => c.field.key === via);
      if (!viaColumn) continue;
      const valueKey = typeof field.config.field === 'string' ? field.config.field : null;
      const valueColumn = valueKey
        ? source.table.columns.find((c) => c.field.key === valueKey)
        : undefined;
      if (valueKey && !valueColumn) continue;
      const aggregated = aggregate(
        String(field.config.aggregate ?? 'count'),
        valueColumn ? sql`s.${sql.id(valueColumn.column)}` : null,
      );
      const target = sql.id(form.table.schema, form.table.table);
      const moved = await sql<Record<string, unknown>>`
        update ${target} as t set ${sql.id(column.column)} = totals.value
        from (
          select r.id, (
            select ${aggregated} from ${sql.id(source.table.schema, source.table.table)} s
            where s.${sql.id(viaColumn.column)} = r.id and s.deleted_at is null) as value
          from ${target} r where r.id = any(${[...ids]}::uuid[])) as totals
        where t.id = totals.id and t.${sql.id(column.column)} is distinct from totals.value
        returning t.*`.execute(trx);
      const records = moved.rows.map((row) => rowToRecord(row, form.table.columns));
      const dependents = computedDependents(form.definition, new Set([field.key]));
      await recomputeComputed(trx, forms, form, records, dependents, clock);
      await refreshRelatedRollups(
        trx,
        forms,
        form,
        relationTargets(form, ...records.map((r) => r.values)),
        clock,
        depth + 1,
      );
    }
  }
}

/** The one-relation values of a record, for `refreshRelatedRollups`. */
export function relationTargets(
  form: PublishedForm,
  ...records: readonly (Readonly<Record<string, unknown>> | null | undefined)[]
): Map<string, Set<string>> {
  const targets = new Map<string, Set<string>>();
  for (const column of form.table.columns) {
    if (column.field.type !== 'relation') continue;
    const ids = new Set<string>();
    for (const record of records) {
      const value = record?.[column.field.key];
      if (typeof value === 'string') ids.add(value);
    }
    if (ids.size > 0) targets.set(column.field.key, ids);
  }
  return targets;
}
