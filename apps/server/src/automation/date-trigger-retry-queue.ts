import type { Kysely } from 'kysely';
import type { JoineryDatabase } from '../database/schema.ts';
import { enqueueJob } from '../jobs/job-queue.ts';
import { AUTOMATION_DATE_RETRY_JOB, type DateRetryJobPayload } from './automation-job-payloads.ts';
import type { DueSubject } from './date-trigger-fire.ts';

/** Runs of one date-relative occurrence at most: the scan's firing and three retries. */
export const DATE_FIRING_ATTEMPTS = 4;

/** The wait before the first retry; each further retry waits four times longer (5, 20, 80 min). */
export const DATE_RETRY_DELAY_MS = 5 * 60_000;

/** The wait before attempt `attempt` (2 for the first retry). */
export function dateRetryDelay(attempt: number): number {
  return DATE_RETRY_DELAY_MS * 4 ** (attempt - 2);
}

/**
 * Queues attempt `attempt` at an occurrence whose run failed, in the caller's transaction (the one
 * that records the failure in the ledger), after the backoff, on the engine's clock. One job per
 * occurrence and attempt; the job is retried by the queue only if its process dies.
 */
export async function queueDateRetry(
  trx: Kysely<JoineryDatabase>,
  ruleId: string,
  subject: DueSubject,
  attempt: number,
  now: Date,
): Promise<void> {
  await enqueueJob(trx, {
    task: AUTOMATION_DATE_RETRY_JOB,
    payload: { ruleId, ...subject, attempt } satisfies DateRetryJobPayload,
    key: `automation:date-retry:${ruleId}:${subject.subjectId}:${subject.occurrence}:${attempt}`,
    runAt: new Date(now.getTime() + dateRetryDelay(attempt)),
    maxAttempts: 3,
  });
}
