import { isJoineryError } from '@joinery/shared';
import type { Logger } from 'pino';
import type { JobHandler } from '../jobs/job-worker.ts';
import {
  type TimerJobPayload,
  type WebhookJobPayload,
  WORKFLOW_TIMER_JOB,
  WORKFLOW_WEBHOOK_JOB,
} from './apply-effects.ts';
import { callWebhook, type OutboundPolicy } from './outbound-webhook.ts';
import type { WorkflowRuntime } from './workflow-runtime.ts';

/**
 * The job handlers of the workflow runtime. A timer job wakes its instance through the same
 * one-transaction step as any action (the engine ignores timers it no longer expects, so a job
 * that fires twice or late is harmless). A webhook job calls out — outside any transaction —
 * and, when the instance awaits the answer, reports it back as a `job-result` step; failures are
 * retried by the queue with backoff, and the last failure is reported as a failed result.
 */
export function workflowJobHandlers(
  runtime: WorkflowRuntime,
  policy: OutboundPolicy,
  logger: Pick<Logger, 'warn'>,
): Record<string, JobHandler> {
  return {
    [WORKFLOW_TIMER_JOB]: async (payload) => {
      const { instanceId, jobKey } = payload as TimerJobPayload;
      await runtime.deliver(instanceId, { type: 'timer', jobKey });
    },
    [WORKFLOW_WEBHOOK_JOB]: async (payload, attempt) => {
      const job = payload as WebhookJobPayload;
      let failure: string;
      try {
        const answer = await callWebhook(policy, job);
        if (answer.status >= 200 && answer.status < 300) {
          if (job.awaitResult) {
            const patch = patchOf(answer.body);
            await runtime.deliver(job.instanceId, {
              type: 'job-result',
              jobKey: job.jobKey,
              ok: true,
              ...(patch === undefined ? {} : { patch }),
            });
          }
          return;
        }
        failure = `HTTP ${answer.status}`;
      } catch (error) {
        // A refused address will not improve with retries.
        if (isJoineryError(error) && error.code === 'JNY_WORKFLOW_RUNTIME_WEBHOOK_REFUSED') {
          logger.warn({ url: job.url, reason: error.message }, 'webhook refused');
          if (job.awaitResult) {
            await runtime.deliver(job.instanceId, {
              type: 'job-result',
              jobKey: job.jobKey,
              ok: false,
              error: error.message,
            });
          }
          return;
        }
        failure = error instanceof Error ? error.message : String(error);
      }
      if (!attempt.last) throw new Error(`webhook ${job.url} failed: ${failure}`);
      logger.warn({ url: job.url, failure }, 'webhook failed for the last time');
      if (job.awaitResult) {
        await runtime.deliver(job.instanceId, {
          type: 'job-result',
          jobKey: job.jobKey,
          ok: false,
          error: failure,
        });
      }
    },
  };
}

/** `{ "patch": { … } }` in a webhook's answer: fields to write back to the record. */
function patchOf(body: unknown): Record<string, unknown> | undefined {
  if (typeof body !== 'object' || body === null || !('patch' in body)) return undefined;
  const patch = body.patch;
  return typeof patch === 'object' && patch !== null && !Array.isArray(patch)
    ? { ...patch }
    : undefined;
}
