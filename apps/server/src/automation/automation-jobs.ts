import { isJoineryError } from '@joinery/shared';
import { type Kysely, sql } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../clock/clock.ts';
import type { JoineryDatabase } from '../database/schema.ts';
import type { JobHandler } from '../jobs/job-worker.ts';
import { callWebhook, type OutboundPolicy } from '../workflow/outbound-webhook.ts';
import type { WorkflowRuntime } from '../workflow/workflow-runtime.ts';
import {
  AUTOMATION_DATE_INDEX_JOB,
  AUTOMATION_DATE_RETRY_JOB,
  AUTOMATION_DATE_SCAN_JOB,
  AUTOMATION_SCHEDULE_JOB,
  AUTOMATION_START_WORKFLOW_JOB,
  AUTOMATION_WEBHOOK_JOB,
  type DateIndexJobPayload,
  type DateRetryJobPayload,
  type DateScanJobPayload,
  type ScheduleJobPayload,
  type StartWorkflowJobPayload,
  type WebhookJobPayload,
} from './automation-job-payloads.ts';
import { ruleById } from './automation-rule.repository.ts';
import type { AutomationRuntime } from './automation-runtime.ts';
import { runInChain } from './automation-runtime.ts';
import { scheduleRule } from './automation-schedule.ts';
import { automationDb } from './automation-tables.ts';
import { ensureDateIndex } from './date-index.ts';
import { retryDateFiring } from './date-trigger-retry.ts';
import { scanDateRule } from './date-trigger-scan.ts';
import { runError } from './run-log.ts';

/** What the automation job handlers are built from (the workflow services hold all of it). */
export interface AutomationJobDeps {
  readonly db: Kysely<JoineryDatabase>;
  readonly clock: Clock;
  readonly policy: OutboundPolicy;
  readonly workflow: WorkflowRuntime;
  readonly logger: Pick<Logger, 'warn' | 'error'>;
  /** The automation runtime (schedules run their rule through it). */
  readonly automation: AutomationRuntime;
}

/**
 * Marks the outcome of a queued action in its run's log entry (`actions[index].status`), and
 * the run as failed when the action finally failed.
 */
async function markAction(
  db: Kysely<JoineryDatabase>,
  runId: string,
  index: number,
  status: 'delivered' | 'refused' | 'failed' | 'started',
  error?: string,
): Promise<void> {
  // jsonb_set on the run's own row; every value is a bound parameter.
  await sql`
    update joinery.automation_runs
    set actions = jsonb_set(actions, ${`{${index},status}`}::text[], to_jsonb(${status}::text)),
        status = case when ${error ?? null}::text is null then status else 'failed' end,
        error = case when ${error ?? null}::text is null then error
                     else jsonb_build_object('code', null, 'message', ${error ?? null}::text) end
    where id = ${runId}`.execute(db);
}

/** Whether the rule already has a run for a schedule occurrence. */
async function ranFor(db: Kysely<JoineryDatabase>, ruleId: string, due: string): Promise<boolean> {
  const found = await automationDb(db)
    .selectFrom('joinery.automation_runs')
    .select('id')
    .where('rule_id', '=', ruleId)
    .where(sql<boolean>`trigger->>'due' = ${due}`)
    .executeTakeFirst();
  return found !== undefined;
}

/**
 * The job handlers of automation: outbound webhooks (checked against the outbound policy,
 * retried with backoff by the queue, idempotent by the key they carry), workflow starts after
 * the triggering change committed, schedule occurrences (run the rule, queue the next one), the
 * daily scans of date-relative rules, the retries of their failed firings and the indexes of the
 * date columns they scan.
 */
export function automationJobHandlers(deps: AutomationJobDeps): Record<string, JobHandler> {
  const { db, logger } = deps;
  return {
    [AUTOMATION_WEBHOOK_JOB]: async (payload, attempt) => {
      const job = payload as WebhookJobPayload;
      let failure: string;
      try {
        const answer = await callWebhook(deps.policy, {
          url: job.url,
          method: 'POST',
          body: job.body,
        });
        if (answer.status >= 200 && answer.status < 300) {
          await markAction(db, job.runId, job.index, 'delivered');
          return;
        }
        failure = `HTTP ${answer.status}`;
      } catch (error) {
        if (isJoineryError(error) && error.code === 'JNY_WORKFLOW_RUNTIME_WEBHOOK_REFUSED') {
          // A refused destination does not improve with retries.
          logger.warn({ url: job.url, reason: error.message }, 'automation webhook refused');
          await markAction(db, job.runId, job.index, 'refused', error.message);
          return;
        }
        failure = error instanceof Error ? error.message : String(error);
      }
      if (!attempt.last) throw new Error(`webhook ${job.url} failed: ${failure}`);
      logger.warn({ url: job.url, failure }, 'automation webhook failed for the last time');
      await markAction(db, job.runId, job.index, 'failed', failure);
    },
    [AUTOMATION_START_WORKFLOW_JOB]: async (payload) => {
      const job = payload as StartWorkflowJobPayload;
      try {
        await runInChain(job.chain, () =>
          deps.workflow.start({
            record: { app: job.app, form: job.form, recordId: job.recordId },
            workflow: job.workflow,
            submitter: job.submitter,
            idempotency: undefined,
          }),
        );
        await markAction(db, job.runId, job.index, 'started');
      } catch (error) {
        // The catalogue's errors (no such workflow, already running…) do not improve either.
        if (!isJoineryError(error)) throw error;
        await markAction(db, job.runId, job.index, 'failed', runError(error).message);
      }
    },
    [AUTOMATION_DATE_SCAN_JOB]: (payload) => scanDateRule(deps, payload as DateScanJobPayload),
    [AUTOMATION_DATE_RETRY_JOB]: (payload) => retryDateFiring(deps, payload as DateRetryJobPayload),
    [AUTOMATION_DATE_INDEX_JOB]: async (payload) => {
      const found = await ruleById(db, (payload as DateIndexJobPayload).ruleId);
      const trigger = found?.stored.rule.trigger;
      if (!found?.enabled || trigger?.kind !== 'date.relative') return;
      const form = await deps.automation.forms.get(found.stored.appKey, trigger.form);
      await ensureDateIndex(db, form, trigger);
    },
    [AUTOMATION_SCHEDULE_JOB]: async (payload) => {
      const job = payload as ScheduleJobPayload;
      const found = await ruleById(db, job.ruleId);
      if (!found?.enabled || found.stored.revision !== job.revision) return;
      const { stored } = found;
      const queueNext = (trx: Kysely<JoineryDatabase>) =>
        scheduleRule(
          trx,
          { id: stored.id, revision: stored.revision, enabled: true, trigger: stored.rule.trigger },
          new Date(Math.max(Date.parse(job.due), deps.clock.now().getTime())),
        );
      // A retried job whose run already committed (the worker stopped before it could mark the
      // job done) must not run the rule twice for the same occurrence.
      if (await ranFor(db, stored.id, job.due)) return;
      try {
        await deps.automation.runAlone(
          stored,
          {
            event: { kind: 'schedule', ruleId: stored.id },
            subject: undefined,
            data: {},
            old: null,
            next: null,
            trigger: { kind: 'schedule', due: job.due },
          },
          stored.createdBy,
          queueNext,
        );
      } catch (error) {
        // Logged in the run log by the runtime; the schedule goes on.
        logger.warn({ err: error, rule: stored.id }, 'scheduled automation run failed');
        await db.transaction().execute(queueNext);
      }
    },
  };
}
