import { createHash } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { JoineryDatabase } from '../database/schema.ts';
import { canonicalJson } from './canonical-json.ts';

/** One fact for the audit log. Sensitive values must already be masked by the caller. */
export interface AuditEntry {
  /** What happened, e.g. `auth.login`, `record.update`, `role.update`, `record.unmask`. */
  readonly action: string;
  readonly actorId?: string | null;
  readonly actorName?: string | null;
  /** What it happened to, e.g. `user:<id>` or `crm.customer:<id>`. */
  readonly target?: string | null;
  readonly ip?: string | null;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** The `prev_hash` of the very first entry. */
export const GENESIS_HASH = '0'.repeat(64);

// Serialises appends so each entry chains to exactly one predecessor. Held to commit, so an
// entry written in a business transaction is chained only if that transaction commits.
const CHAIN_LOCK = 0x6a6e795f61756474n; // "jny_audt"

type Db = Kysely<JoineryDatabase> | Transaction<JoineryDatabase>;

/** The hash of an entry given its predecessor's hash. */
export function entryHash(
  prevHash: string,
  row: {
    at: Date;
    actor_id: string | null;
    actor_name: string | null;
    action: string;
    target: string | null;
    ip: string | null;
    details: unknown;
  },
): string {
  const body = canonicalJson({
    at: row.at.toISOString(),
    actor_id: row.actor_id,
    actor_name: row.actor_name,
    action: row.action,
    target: row.target,
    ip: row.ip,
    details: row.details,
  });
  return createHash('sha256').update(`${prevHash}\n${body}`).digest('hex');
}

/**
 * Appends an entry, chained to the previous one. Pass a transaction to make the entry part of a
 * business change (it is written only if the change commits); otherwise one is opened.
 */
export async function appendAudit(db: Db, entry: AuditEntry): Promise<void> {
  if (!db.isTransaction) {
    await db.transaction().execute((trx) => appendAudit(trx, entry));
    return;
  }
  await sql`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`.execute(db);
  const last = await db
    .selectFrom('joinery.audit_log')
    .select('hash')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const prevHash = last?.hash ?? GENESIS_HASH;
  const row = {
    at: new Date(),
    actor_id: entry.actorId ?? null,
    actor_name: entry.actorName ?? null,
    action: entry.action,
    target: entry.target ?? null,
    ip: entry.ip ?? null,
    details: entry.details ?? {},
  };
  await db
    .insertInto('joinery.audit_log')
    .values({
      ...row,
      details: JSON.stringify(row.details),
      prev_hash: prevHash,
      hash: entryHash(prevHash, row),
    })
    .execute();
}

/** The outcome of checking the chain. */
export type AuditVerification =
  | { readonly ok: true; readonly entries: number; readonly headHash: string }
  | {
      readonly ok: false;
      readonly entries: number;
      readonly brokenAt: number;
      readonly reason: 'hash' | 'chain';
    };

/**
 * Recomputes every hash in order. An edited row fails its own hash; a deleted or inserted row
 * breaks the chain of the next one. Record the head hash elsewhere to detect truncation too.
 */
export async function verifyAuditLog(
  db: Kysely<JoineryDatabase>,
  batch = 5000,
): Promise<AuditVerification> {
  let prevHash: string | undefined;
  let firstLink: { id: number; prevHash: string } | undefined;
  const purgedHeads = new Set<string>([GENESIS_HASH]);
  let lastId = 0;
  let entries = 0;
  for (;;) {
    const rows = await db
      .selectFrom('joinery.audit_log')
      .selectAll()
      .where('id', '>', lastId)
      .orderBy('id')
      .limit(batch)
      .execute();
    for (const row of rows) {
      firstLink ??= { id: row.id, prevHash: row.prev_hash };
      if (row.action === 'audit.purge' && typeof row.details.lastDeletedHash === 'string') {
        purgedHeads.add(row.details.lastDeletedHash);
      }
      if (prevHash !== undefined && row.prev_hash !== prevHash) {
        return { ok: false, entries, brokenAt: row.id, reason: 'chain' };
      }
      if (entryHash(row.prev_hash, row) !== row.hash) {
        return { ok: false, entries, brokenAt: row.id, reason: 'hash' };
      }
      prevHash = row.hash;
      lastId = row.id;
      entries++;
    }
    if (rows.length < batch) break;
  }
  // The oldest row links to the genesis, or to the last row a recorded purge deleted.
  if (firstLink && !purgedHeads.has(firstLink.prevHash)) {
    return { ok: false, entries, brokenAt: firstLink.id, reason: 'chain' };
  }
  return { ok: true, entries, headHash: prevHash ?? GENESIS_HASH };
}

/**
 * Deletes entries older than `before` (the retention setting), then records the purge — with
 * the hash of the last deleted entry — as a new entry. Returns how many were deleted.
 */
export async function purgeAuditLog(db: Kysely<JoineryDatabase>, before: Date): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`.execute(trx);
    await sql`SELECT set_config('joinery.audit_purge', 'on', true)`.execute(trx);
    const deleted = await trx
      .deleteFrom('joinery.audit_log')
      .where('at', '<', before)
      .returning(['id', 'hash'])
      .execute();
    await sql`SELECT set_config('joinery.audit_purge', 'off', true)`.execute(trx);
    if (deleted.length === 0) return 0;
    const last = deleted.reduce((a, b) => (a.id > b.id ? a : b));
    await appendAudit(trx, {
      action: 'audit.purge',
      details: {
        before: before.toISOString(),
        deleted: deleted.length,
        lastDeletedHash: last.hash,
      },
    });
    return deleted.length;
  });
}
