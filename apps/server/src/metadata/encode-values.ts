import type { EncodeValues } from '@joinery/forms';
import { type Kysely, sql } from 'kysely';
import type { SensitiveField } from '../access/sensitive-codec.ts';
import type { JoineryDatabase } from '../database/schema.ts';
import { isCiphertext } from '../records/sensitive-history.ts';

const BATCH = 500;

/**
 * Runs a publish's `encode-values` step inside the publish transaction: every existing value of
 * the field is encrypted (with its blind index filled) or decrypted, in batches of ids, and so
 * are the field's values in the record history. The table is already locked by the publish's
 * DDL, so no write slips between the batches; any failure rolls the whole publish back.
 * Identifiers come from the publish plan, built from validated metadata.
 */
export async function encodeValues(
  trx: Kysely<JoineryDatabase>,
  step: EncodeValues,
  codec: SensitiveField,
  formId: string,
): Promise<void> {
  const table = sql.id(step.schema, step.table);
  const column = sql.id(step.column);
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await sql<{ id: string; value: string }>`
      select id::text, ${column} as value from ${table}
      where ${column} is not null and id > ${after}::uuid order by id limit ${BATCH}`.execute(trx);
    const last = rows.rows[rows.rows.length - 1];
    if (!last) break;
    after = last.id;
    const ids = rows.rows.map((row) => row.id);
    if (step.to === 'cipher') {
      const sealed = rows.rows.map((row) => codec.seal(String(row.value)));
      await sql`
        update ${table} as t
        set ${column} = v.stored, ${sql.id(step.indexColumn)} = v.index
        from unnest(${ids}::uuid[], ${sealed.map((s) => s.stored)}::text[],
                    ${sealed.map((s) => s.index)}::text[]) as v(id, stored, index)
        where t.id = v.id`.execute(trx);
    } else {
      const plain = rows.rows.map((row) => codec.open(String(row.value)));
      await sql`
        update ${table} as t set ${column} = v.plain
        from unnest(${ids}::uuid[], ${plain}::text[]) as v(id, plain)
        where t.id = v.id`.execute(trx);
    }
  }
  await encodeHistory(trx, step, codec, formId);
}

/** The field's values in the record history, encoded the same way. */
async function encodeHistory(
  trx: Kysely<JoineryDatabase>,
  step: EncodeValues,
  codec: SensitiveField,
  formId: string,
): Promise<void> {
  const encode = (value: unknown): unknown => {
    if (typeof value !== 'string') return value;
    if (step.to === 'cipher') return isCiphertext(value) ? value : codec.seal(value).stored;
    return isCiphertext(value) ? codec.open(value) : value;
  };
  let after = 0;
  for (;;) {
    const rows = await sql<{ id: string; change: { from?: unknown; to?: unknown } }>`
      select id::text, changes -> ${step.column} as change from joinery.record_history
      where form_id = ${formId} and changes ? ${step.column} and id > ${after}
      order by id limit ${BATCH}`.execute(trx);
    const last = rows.rows[rows.rows.length - 1];
    if (!last) break;
    after = Number(last.id);
    const changes = rows.rows.map((row) =>
      JSON.stringify({
        from: encode(row.change?.from ?? null),
        to: encode(row.change?.to ?? null),
      }),
    );
    await sql`
      update joinery.record_history as h
      set changes = jsonb_set(h.changes, array[${step.column}::text], v.change::jsonb)
      from unnest(${rows.rows.map((row) => row.id)}::bigint[], ${changes}::text[]) as v(id, change)
      where h.id = v.id`.execute(trx);
  }
}
