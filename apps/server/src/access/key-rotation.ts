import { randomBytes } from 'node:crypto';
import type { FormDefinition } from '@joinery/forms';
import { type Kysely, sql } from 'kysely';
import type { JoineryDatabase } from '../database/schema.ts';
import { type PublishedForm, publishedForm } from '../metadata/form-registry.ts';
import type { ColumnField } from '../metadata/form-table.ts';
import { isCiphertext } from '../records/sensitive-history.ts';
import { FieldCipher, type KeyringFile, keyringFrom } from './field-cipher.ts';
import { RECHECK_MS, readKeyringText, writeKeyringFile } from './keyring-loader.ts';
import type { SensitiveField } from './sensitive-codec.ts';

/** Values re-encrypted per transaction: short transactions, so writers never wait long. */
const BATCH = 200;

/** Options of `rotateKeys`. */
export interface RotateOptions {
  /** Where progress lines go (the CLI prints them). */
  readonly report: (line: string) => void;
  /** How long to let running servers notice the new key before re-encrypting (default 2 s). */
  readonly settleMs?: number;
}

/** What a rotation did. */
export interface RotationOutcome {
  readonly keyId: string;
  /** False when an interrupted rotation was finished instead of starting a new one. */
  readonly addedKey: boolean;
  readonly reencrypted: number;
}

/**
 * Rotates the key of sensitive fields without stopping reads: adds a new key to the key file as
 * the current one (old keys stay, so every stored value remains readable, and the blind-index key
 * is written out so it never changes), lets running servers pick it up, then re-encrypts every
 * value under an older key — record columns and history — in small batches, each its own
 * transaction. Re-running after an interruption finds the values still under old keys and
 * finishes them without adding another key.
 */
export async function rotateKeys(
  db: Kysely<JoineryDatabase>,
  keyFile: string,
  options: RotateOptions,
): Promise<RotationOutcome> {
  let file = readKeyringText(keyFile);
  let cipher = new FieldCipher(keyringFrom(file));
  const forms = await sensitiveForms(db, cipher);
  const unfinished = await countStale(db, forms, file.current);
  const addedKey = unfinished === 0;
  if (addedKey) {
    file = withNewKey(file);
    writeKeyringFile(keyFile, file);
    cipher = new FieldCipher(keyringFrom(file));
    options.report(`Added key ${file.current} as the current key; old keys stay readable.`);
    await new Promise((resolve) => setTimeout(resolve, options.settleMs ?? 2 * RECHECK_MS));
  } else {
    options.report(`Finishing the rotation to key ${file.current}: ${unfinished} values left.`);
  }
  let reencrypted = 0;
  for (const form of await sensitiveForms(db, cipher)) {
    for (const column of sensitiveColumns(form)) {
      const codec = column.sensitive?.codec;
      if (!codec) continue;
      const done = await reencryptColumn(db, form, column, codec, file.current);
      const history = await reencryptHistory(db, form, column, codec, file.current);
      reencrypted += done + history;
      options.report(
        `${form.appKey}.${form.formKey}.${column.field.key}: ${done} values, ${history} history entries re-encrypted`,
      );
    }
  }
  options.report(`Done: every sensitive value is under key ${file.current}.`);
  return { keyId: file.current, addedKey, reencrypted };
}

/** The key file with one more random key, made current; the blind-index key written out. */
function withNewKey(file: KeyringFile): KeyringFile {
  const taken = new Set(Object.keys(file.keys));
  let n = taken.size + 1;
  while (taken.has(`k${n}`)) n += 1;
  const id = `k${n}`;
  return {
    current: id,
    keys: { ...file.keys, [id]: randomBytes(32).toString('base64') },
    indexKey: file.indexKey ?? keyringFrom(file).indexKey.toString('base64'),
  };
}

function sensitiveColumns(form: PublishedForm): ColumnField[] {
  return form.table.columns.filter((column) => column.sensitive !== null);
}

/** Every published form that has sensitive fields, deleted ones included (their data stays). */
async function sensitiveForms(
  db: Kysely<JoineryDatabase>,
  cipher: FieldCipher,
): Promise<PublishedForm[]> {
  const rows = await db
    .selectFrom('joinery.forms as f')
    .innerJoin('joinery.apps as a', 'a.id', 'f.app_id')
    .innerJoin('joinery.form_versions as v', (join) =>
      join.onRef('v.form_id', '=', 'f.id').onRef('v.version', '=', 'f.published_version'),
    )
    .select(['a.key as app_key', 'a.id as app_id', 'f.id as form_id', 'v.definition'])
    .orderBy('a.key')
    .orderBy('f.key')
    .execute();
  return rows
    .map((row) =>
      publishedForm(row.app_key, row.app_id, row.form_id, row.definition as FormDefinition, cipher),
    )
    .filter((form) => sensitiveColumns(form).length > 0);
}

/** How many stored values are under a key other than `current`. */
async function countStale(
  db: Kysely<JoineryDatabase>,
  forms: readonly PublishedForm[],
  current: string,
): Promise<number> {
  let total = 0;
  for (const form of forms) {
    for (const column of sensitiveColumns(form)) {
      const found = await sql<{ n: number }>`
        select count(*)::int as n from ${sql.id(form.table.schema, form.table.table)}
        where ${stale(sql.id(column.column), current)}`.execute(db);
      total += found.rows[0]?.n ?? 0;
    }
  }
  return total;
}

/** A stored value `jny1:<key id>:…` under another key than `current`. */
function stale(value: ReturnType<typeof sql.id>, current: string) {
  return sql<boolean>`${value} is not null and split_part(${value}, ':', 2) <> ${current}`;
}

/**
 * Re-encrypts one column's stale values, a batch per transaction: rows are locked, decrypted
 * and encrypted again under the current key (the blind index does not change). A writer that
 * changed a row meanwhile wrote it under the current key already.
 */
async function reencryptColumn(
  db: Kysely<JoineryDatabase>,
  form: PublishedForm,
  column: ColumnField,
  codec: SensitiveField,
  current: string,
): Promise<number> {
  const table = sql.id(form.table.schema, form.table.table);
  const name = sql.id(column.column);
  return inShortTransactions(db, async (trx) => {
    const rows = await sql<{ id: string; value: string }>`
      select id::text, ${name} as value from ${table}
      where ${stale(name, current)} order by id limit ${BATCH} for update`.execute(trx);
    if (rows.rows.length === 0) return 0;
    const ids = rows.rows.map((row) => row.id);
    const sealed = rows.rows.map((row) => codec.seal(codec.open(row.value)).stored);
    await sql`
      update ${table} as t set ${name} = v.stored
      from unnest(${ids}::uuid[], ${sealed}::text[]) as v(id, stored)
      where t.id = v.id`.execute(trx);
    return rows.rows.length;
  });
}

/** Runs `batch` in its own transaction until it handles nothing; the total it handled. */
async function inShortTransactions(
  db: Kysely<JoineryDatabase>,
  batch: (trx: Kysely<JoineryDatabase>) => Promise<number>,
): Promise<number> {
  let total = 0;
  for (;;) {
    const count = await db.transaction().execute(batch);
    if (count === 0) return total;
    total += count;
  }
}

/** The same for the field's values in the record history. */
async function reencryptHistory(
  db: Kysely<JoineryDatabase>,
  form: PublishedForm,
  column: ColumnField,
  codec: SensitiveField,
  current: string,
): Promise<number> {
  const key = column.field.key;
  const again = (value: unknown): unknown =>
    typeof value === 'string' && isCiphertext(value) && codec.isStale(value)
      ? codec.seal(codec.open(value)).stored
      : value;
  let after = 0;
  return inShortTransactions(db, async (trx) => {
    const rows = await sql<{ id: string; change: { from?: unknown; to?: unknown } | null }>`
      select id::text, changes -> ${key} as change from joinery.record_history
      where form_id = ${form.formId} and changes ? ${key} and id > ${after}
        and (split_part(changes -> ${key} ->> 'from', ':', 2) not in ('', ${current})
          or split_part(changes -> ${key} ->> 'to', ':', 2) not in ('', ${current}))
      order by id limit ${BATCH} for update`.execute(trx);
    const last = rows.rows[rows.rows.length - 1];
    if (!last) return 0;
    after = Number(last.id);
    const changes = rows.rows.map((row) =>
      JSON.stringify({ from: again(row.change?.from ?? null), to: again(row.change?.to ?? null) }),
    );
    await sql`
      update joinery.record_history as h
      set changes = jsonb_set(h.changes, array[${key}::text], v.change::jsonb)
      from unnest(${rows.rows.map((row) => row.id)}::bigint[], ${changes}::text[])
        as v(id, change)
      where h.id = v.id`.execute(trx);
    return rows.rows.length;
  });
}
