import { createHash } from 'node:crypto';
import { JoineryError } from '@joinery/shared';
import { sql, type Transaction } from 'kysely';
import type { WorkflowDatabase } from './workflow-tables.ts';

/** The first answer given to a request, replayed for its retries. */
export interface StoredAnswer {
  readonly statusCode: number;
  readonly body: unknown;
}

/** A stable hash of what a request asks for (without its idempotency key). */
export function fingerprintOf(what: unknown): string {
  return createHash('sha256').update(JSON.stringify(what)).digest('base64url');
}

/**
 * Reserves `(userId, key)` in the step's transaction. Returns undefined when the key is new —
 * the caller proceeds and must `storeAnswer` before committing — or the stored first answer.
 * A concurrent request with the same key waits on the row until the first commits (then gets
 * its answer) or rolls back (then proceeds itself): a retried request never acts twice.
 */
export async function reserveKey(
  trx: Transaction<WorkflowDatabase>,
  userId: string,
  key: string,
  fingerprint: string,
): Promise<StoredAnswer | undefined> {
  const reserved = await reservation(trx, userId, key, fingerprint).executeTakeFirst();
  if (reserved) return undefined;
  return storedAnswer(trx, userId, key, fingerprint);
}

/**
 * The insert `reserveKey` runs, as a query returning one row when the key is new: an action
 * sends it as a CTE of its instance lock (one round trip for both), with the same waits.
 */
export function reservation(
  trx: Transaction<WorkflowDatabase>,
  userId: string,
  key: string,
  fingerprint: string,
) {
  return trx
    .insertInto('joinery.workflow_action_keys')
    .values({ user_id: userId, key, fingerprint, status_code: 0, response: 'null' })
    .onConflict((oc) => oc.doNothing())
    .returning('user_id');
}

/** The first answer stored under a key already reserved; 422 when the retry asks otherwise. */
export async function storedAnswer(
  trx: Transaction<WorkflowDatabase>,
  userId: string,
  key: string,
  fingerprint: string,
): Promise<StoredAnswer> {
  const stored = await trx
    .selectFrom('joinery.workflow_action_keys')
    .select(['fingerprint', 'status_code', 'response'])
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  if (stored.fingerprint !== fingerprint) {
    throw new JoineryError('JNY_WORKFLOW_RUNTIME_KEY_REUSED', { key });
  }
  return { statusCode: stored.status_code, body: stored.response };
}

/** Stores the answer of a reserved key, in the same transaction as the step. */
export async function storeAnswer(
  trx: Transaction<WorkflowDatabase>,
  userId: string,
  key: string,
  instanceId: string,
  answer: StoredAnswer,
): Promise<void> {
  await answerUpdate(trx, { userId, key, instanceId, ...answerValues(answer) }).execute();
}

/** What a key stores of an answer: its status and its body as JSON text. */
export function answerValues(answer: StoredAnswer) {
  return { statusCode: answer.statusCode, response: JSON.stringify(answer.body) };
}

/** The key and answer `answerUpdate` and `keyWithAnswer` write (maybe placeholders). */
export interface KeyAnswer {
  readonly userId: string;
  readonly key: string;
  readonly instanceId: string;
  readonly statusCode: number;
  /** The answer's body as JSON text. */
  readonly response: string;
}

/**
 * The update `storeAnswer` runs, as a query: a step that writes sends it inside its one write
 * statement (`writeStep`), saving a round trip per action.
 */
export function answerUpdate(trx: Transaction<WorkflowDatabase>, answer: KeyAnswer) {
  return trx
    .updateTable('joinery.workflow_action_keys')
    .set({
      instance_id: answer.instanceId,
      status_code: answer.statusCode,
      response: answer.response,
    })
    .where('user_id', '=', answer.userId)
    .where('key', '=', answer.key);
}

/**
 * `reservation` for an action: the key inserted from the CTE `locked` — the instance row
 * locked first, so two requests with one key on one instance queue on the instance lock like
 * any two steps — one row when the key is new, none when a first request used it.
 */
export function reservationAfterLock(userId: string, key: string, fingerprint: string) {
  return sql<{ user_id: string }>`
    INSERT INTO joinery.workflow_action_keys (user_id, key, fingerprint, status_code, response)
    SELECT ${userId}::uuid, ${key}::text, ${fingerprint}::text, 0, 'null'::jsonb FROM locked
    ON CONFLICT DO NOTHING RETURNING user_id`;
}

/**
 * The key with its answer, inserted once the CTE `instance` wrote its row: for a step written
 * without the instance lock. A key already used fails the whole statement (unique violation),
 * so nothing of the step is written; the caller then takes the locking path, which replays.
 */
export function keyWithAnswer(answer: KeyAnswer & { readonly fingerprint: string }) {
  return sql`
    INSERT INTO joinery.workflow_action_keys
      (user_id, key, fingerprint, instance_id, status_code, response)
    SELECT ${answer.userId}::uuid, ${answer.key}::text, ${answer.fingerprint}::text,
      ${answer.instanceId}::uuid, ${answer.statusCode}::int, ${answer.response}::jsonb FROM instance`;
}
