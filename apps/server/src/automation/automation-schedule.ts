import type { AutomationTrigger } from '@joinery/rules';
import { Cron } from 'croner';
import type { Kysely } from 'kysely';
import type { JoineryDatabase } from '../database/schema.ts';
import { enqueueJob, removeJob } from '../jobs/job-queue.ts';
import {
  AUTOMATION_DATE_INDEX_JOB,
  AUTOMATION_SCHEDULE_JOB,
  type DateIndexJobPayload,
  type ScheduleJobPayload,
} from './automation-job-payloads.ts';
import { scheduleDateScan } from './date-trigger-schedule.ts';

/**
 * The next instant a cron fires strictly after `after`, in the rule's time zone (UTC when it has
 * none); null when it never fires again. The rules package checked the expression when the rule
 * was saved; croner computes the occurrence.
 */
export function nextOccurrence(
  trigger: Extract<AutomationTrigger, { kind: 'schedule' }>,
  after: Date,
): Date | null {
  const cron = new Cron(trigger.cron, { timezone: trigger.timeZone ?? 'UTC', paused: true });
  return cron.nextRun(after);
}

/** The job key of a rule's schedule: one waiting job per rule, replaced on every change. */
export function scheduleJobKey(ruleId: string): string {
  return `automation:schedule:${ruleId}`;
}

/**
 * Puts the rule's next occurrence on the job queue, in the caller's transaction (the job exists
 * exactly when the rule change commits); a date-relative rule gets its first scan, which fires
 * only what falls due from now on, and a job that indexes the date column it scans. Removes it when the rule is off or neither.
 */
export async function scheduleRule(
  trx: Kysely<JoineryDatabase>,
  rule: {
    readonly id: string;
    readonly revision: number;
    readonly enabled: boolean;
    readonly trigger: AutomationTrigger;
  },
  after: Date,
): Promise<Date | null> {
  const key = scheduleJobKey(rule.id);
  if (rule.enabled && rule.trigger.kind === 'date.relative') {
    // The column the scans read gets its index, built by a job outside this transaction.
    await enqueueJob(trx, {
      task: AUTOMATION_DATE_INDEX_JOB,
      payload: { ruleId: rule.id } satisfies DateIndexJobPayload,
      key: `automation:date-index:${rule.id}`,
      maxAttempts: 5,
    });
    return scheduleDateScan(trx, key, { ...rule, trigger: rule.trigger }, after, after);
  }
  const next =
    rule.enabled && rule.trigger.kind === 'schedule' ? nextOccurrence(rule.trigger, after) : null;
  if (next === null) {
    await removeJob(trx, key);
    return null;
  }
  await enqueueJob(trx, {
    task: AUTOMATION_SCHEDULE_JOB,
    payload: {
      ruleId: rule.id,
      revision: rule.revision,
      due: next.toISOString(),
    } satisfies ScheduleJobPayload,
    key,
    runAt: next,
    maxAttempts: 10,
  });
  return next;
}
