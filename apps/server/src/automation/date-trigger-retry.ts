import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { JoineryDatabase } from '../database/schema.ts';
import type { DateRetryJobPayload } from './automation-job-payloads.ts';
import { ruleById } from './automation-rule.repository.ts';
import { automationDb } from './automation-tables.ts';
import { type DateRuleDeps, type DueSubject, runDateRule } from './date-trigger-fire.ts';
import { DATE_FIRING_ATTEMPTS, queueDateRetry } from './date-trigger-retry-queue.ts';

/** The ledger entry of an occurrence, locked in `trx`; undefined when there is none. */
async function lockEntry(trx: Kysely<JoineryDatabase>, ruleId: string, subject: DueSubject) {
  return automationDb(trx)
    .selectFrom('joinery.automation_date_firings')
    .select(['status', 'attempts'])
    .where('rule_id', '=', ruleId)
    .where('subject_id', '=', subject.subjectId)
    .where('occurrence', '=', subject.occurrence)
    .forUpdate()
    .executeTakeFirst();
}

async function settle(
  trx: Kysely<JoineryDatabase>,
  ruleId: string,
  subject: DueSubject,
  set: {
    status: 'fired' | 'retrying' | 'failed';
    attempts: number;
    run_id?: string;
    fired_at?: Date;
  },
): Promise<void> {
  await automationDb(trx)
    .updateTable('joinery.automation_date_firings')
    .set(set)
    .where('rule_id', '=', ruleId)
    .where('subject_id', '=', subject.subjectId)
    .where('occurrence', '=', subject.occurrence)
    .execute();
}

/**
 * One retry of a date-relative occurrence whose earlier run failed (ledger entry `retrying`):
 * in one transaction, lock the entry (only while it is still `retrying` — a retry that comes
 * twice does nothing the second time), lock and re-read the record, run the rule as it now
 * stands and mark the entry `fired` with the run. A failed run is logged by the runtime; then the
 * next attempt is queued with a longer wait, or, after the last one, the entry becomes `failed`.
 * The rule must still be enabled and scan the same date; else the occurrence is given up.
 */
export async function retryDateFiring(deps: DateRuleDeps, job: DateRetryJobPayload): Promise<void> {
  const subject: DueSubject = {
    subjectId: job.subjectId,
    recordId: job.recordId,
    occurrence: job.occurrence,
  };
  const found = await ruleById(deps.db, job.ruleId);
  const stored = found?.enabled ? found.stored : undefined;
  const trigger = stored?.rule.trigger;
  const runId = randomUUID();
  try {
    await deps.db.transaction().execute(async (trx) => {
      const entry = await lockEntry(trx, job.ruleId, subject);
      if (entry?.status !== 'retrying' || entry.attempts >= job.attempt) return;
      if (!stored || trigger?.kind !== 'date.relative') {
        await settle(trx, job.ruleId, subject, { status: 'failed', attempts: entry.attempts });
        return;
      }
      const form = await deps.automation.forms.get(stored.appKey, trigger.form);
      const ran = await runDateRule(
        trx,
        deps,
        stored,
        form,
        trigger,
        subject,
        runId,
        async () => true,
      );
      await settle(trx, job.ruleId, subject, {
        // A record deleted, or whose date moved, since: nothing is left to fire.
        status: ran ? 'fired' : 'failed',
        attempts: job.attempt,
        ...(ran ? { run_id: runId, fired_at: deps.clock.now() } : {}),
      });
    });
  } catch (error) {
    deps.logger.warn(
      { err: error, rule: job.ruleId, subject, attempt: job.attempt },
      'date-relative retry failed',
    );
    await deps.db.transaction().execute(async (trx) => {
      const entry = await lockEntry(trx, job.ruleId, subject);
      if (entry?.status !== 'retrying' || entry.attempts >= job.attempt) return;
      const last = job.attempt >= DATE_FIRING_ATTEMPTS;
      await settle(trx, job.ruleId, subject, {
        status: last ? 'failed' : 'retrying',
        attempts: job.attempt,
        run_id: runId,
      });
      if (!last) {
        await queueDateRetry(trx, job.ruleId, subject, job.attempt + 1, deps.clock.now());
      }
    });
  }
}
