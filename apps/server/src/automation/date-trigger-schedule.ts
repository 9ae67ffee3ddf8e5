import { type DateRelativeTrigger, nextFireTime } from '@joinery/rules';
import type { Kysely } from 'kysely';
import type { JoineryDatabase } from '../database/schema.ts';
import { enqueueJob } from '../jobs/job-queue.ts';
import { AUTOMATION_DATE_SCAN_JOB, type DateScanJobPayload } from './automation-job-payloads.ts';

/**
 * Queues the next scan of a date-relative rule, in the caller's transaction, under the rule's one
 * schedule `key` (`scheduleJobKey`: a rule change replaces it): at the first firing time after `now`, to fire what
 * falls due after `after`. Returns when it runs.
 */
export async function scheduleDateScan(
  trx: Kysely<JoineryDatabase>,
  key: string,
  rule: { readonly id: string; readonly revision: number; readonly trigger: DateRelativeTrigger },
  now: Date,
  after: Date,
): Promise<Date> {
  const due = nextFireTime(rule.trigger, now);
  await enqueueJob(trx, {
    task: AUTOMATION_DATE_SCAN_JOB,
    payload: {
      ruleId: rule.id,
      revision: rule.revision,
      due: due.toISOString(),
      after: after.toISOString(),
    } satisfies DateScanJobPayload,
    key,
    runAt: due,
    maxAttempts: 10,
  });
  return due;
}
