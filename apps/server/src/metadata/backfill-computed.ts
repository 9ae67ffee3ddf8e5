import { computedDependents, type FieldDefinition, type FormDefinition } from '@joinery/forms';
import { sql, type Transaction } from 'kysely';
import type { JoineryDatabase } from '../database/schema.ts';
import {
  allRecords,
  type RecomputeClock,
  recomputeComputed,
} from '../records/recompute-computed.ts';
import { aggregate, refreshRelatedRollups, relationTargets } from '../records/related-rollups.ts';
import { FormRegistry } from './form-registry.ts';
import { appSchemaName } from './form-table.ts';

/**
 * Computes, for the rows a table already holds, the computed fields a publish added or changed
 * — and the formulas that read them — in the publish transaction, so no record ever shows an
 * empty or stale value: rollups over related records by one UPDATE each, then formulas and
 * subform rollups a batch at a time through the same form engine as a write. Totals that moved
 * carry on to the rollups of other forms over these records. Runs after the new version is
 * recorded, so the records code inside the transaction reads the new definition.
 */
export async function backfillComputed(
  trx: Transaction<JoineryDatabase>,
  appKey: string,
  live: FormDefinition | null,
  next: FormDefinition,
  others: readonly FormDefinition[],
  clock: RecomputeClock,
): Promise<void> {
  if (!live) return; // a new table has no rows yet
  const changed = next.fields.filter(
    (field) =>
      !field.deleted &&
      (field.type === 'formula' || field.type === 'rollup') &&
      JSON.stringify(live.fields.find((before) => before.id === field.id)?.config) !==
        JSON.stringify(field.config),
  );
  if (changed.length === 0) return;
  for (const field of changed) await backfillRelatedRollup(trx, appKey, next, field, others);

  const keys = new Set([
    ...changed.filter((field) => !isRelatedRollup(field)).map((field) => field.key),
    ...computedDependents(next, new Set(changed.map((field) => field.key))),
  ]);
  if (keys.size === 0) return;
  const forms = new FormRegistry(trx);
  const form = await forms.get(appKey, next.key, trx);
  for await (const records of allRecords(trx, form)) {
    const moved = await recomputeComputed(trx, forms, form, records, keys, clock);
    const targets = relationTargets(form, ...moved.map((record) => record.values));
    await refreshRelatedRollups(trx, forms, form, targets, clock);
  }
}

function isRelatedRollup(field: FieldDefinition): boolean {
  return field.type === 'rollup' && typeof field.config?.form === 'string';
}

/** A rollup over related records, computed for every row by one UPDATE. */
async function backfillRelatedRollup(
  trx: Transaction<JoineryDatabase>,
  appKey: string,
  next: FormDefinition,
  field: FieldDefinition,
  others: readonly FormDefinition[],
): Promise<void> {
  if (!isRelatedRollup(field)) return;
  const schema = appSchemaName(appKey);
  const source = others.find((form) => form.key === field.config?.form);
  const via = source?.fields.find((f) => f.key === field.config?.via && !f.deleted);
  const valueKey = typeof field.config?.field === 'string' ? field.config.field : null;
  const value = valueKey ? source?.fields.find((f) => f.key === valueKey && !f.deleted) : null;
  if (!source || !via || (valueKey && !value)) return;
  const aggregated = aggregate(
    String(field.config?.aggregate ?? 'count'),
    value ? sql`s.${sql.id(value.key)}` : null,
  );
  await sql`
    update ${sql.id(schema, next.key)} as t
    set ${sql.id(field.key)} = (
      select ${aggregated} from ${sql.id(schema, source.key)} s
      where s.${sql.id(via.key)} = t.id and s.deleted_at is null)`.execute(trx);
}
