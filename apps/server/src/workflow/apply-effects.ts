import type { WorkflowEffect } from '@joinery/workflow';
import { type Insertable, type OperationNodeSource, sql, type Transaction } from 'kysely';
import { enqueueJob, removeJob } from '../jobs/job-queue.ts';
import { taskUuid } from './task-uuid.ts';
import type { RecordRef, WorkflowRecords } from './workflow-records.ts';
import type {
  WorkflowDatabase,
  WorkflowHistoryTable,
  WorkflowNotificationsTable,
  WorkflowTasksTable,
} from './workflow-tables.ts';

/** Job task names of the workflow runtime. */
export const WORKFLOW_TIMER_JOB = 'workflow_timer';
export const WORKFLOW_WEBHOOK_JOB = 'workflow_webhook';

/** Payload of a timer job: which instance to wake with which key. */
export interface TimerJobPayload {
  readonly instanceId: string;
  readonly jobKey: string;
}

/** Payload of a webhook job. */
export interface WebhookJobPayload {
  readonly instanceId: string;
  readonly jobKey: string;
  readonly url: string;
  readonly method: 'POST' | 'PUT' | 'PATCH' | 'GET';
  readonly body: unknown;
  readonly awaitResult: boolean;
}

/** Where effects are applied: the step's transaction, instance and record, and the actor. */
export interface EffectTarget {
  readonly trx: Transaction<WorkflowDatabase>;
  readonly instanceId: string;
  readonly record: RecordRef;
  /** The user whose action caused the step; null for timers and webhooks. */
  readonly actor: string | null;
  readonly records: WorkflowRecords;
  /** The step's instant (from the runtime's clock). */
  readonly now: string;
}

/** What changes for a task that was open before the step. */
interface TaskChange {
  close?: { reason: string; by: string | null; onBehalfOf?: string };
  claim?: { by: string | null; onBehalfOf: string | null };
}

/** The `on_behalf_of` a change writes (a claim's, or a delegate's closing), if any. */
function behalfOf(change: TaskChange): { set: boolean; value: string | null } {
  if (change.close?.onBehalfOf !== undefined) return { set: true, value: change.close.onBehalfOf };
  if (change.claim !== undefined) return { set: true, value: change.claim.onBehalfOf };
  return { set: false, value: null };
}

/**
 * The writes of one step to the workflow tables, collected from the effects and sent in one
 * statement (data-modifying CTEs) with the instance's own update — so a step costs one round
 * trip for tasks, timeline and notifications whatever it did.
 */
export interface StepWrites {
  readonly opened: Insertable<WorkflowTasksTable>[];
  readonly changed: Map<string, TaskChange>;
  readonly history: Insertable<WorkflowHistoryTable>[];
  readonly notifications: Insertable<WorkflowNotificationsTable>[];
}

/**
 * Applies one `advance` result's effects in the step's transaction. Record writes (through the
 * records runtime) and job queue changes happen in effect order as they come; task, timeline
 * and notification rows are collected into `StepWrites` for `writeStep`, folding a task opened
 * and changed within the same step into its final row.
 */
export async function applyEffects(
  target: EffectTarget,
  effects: readonly WorkflowEffect[],
): Promise<StepWrites> {
  const { trx, instanceId, now } = target;
  const writes: StepWrites = { opened: [], changed: new Map(), history: [], notifications: [] };
  const openedNow = new Map<string, Insertable<WorkflowTasksTable>>();
  for (const effect of effects) {
    switch (effect.type) {
      case 'open-task': {
        const row: Insertable<WorkflowTasksTable> = {
          id: taskUuid(instanceId, effect.taskId),
          instance_id: instanceId,
          task_key: effect.taskId,
          node_id: effect.nodeId,
          kind: effect.kind,
          assignees: [...effect.assignees],
          offered: effect.offered,
          claimed_by: null,
          on_behalf_of: effect.onBehalfOf ?? null,
          status: 'open',
          close_reason: null,
          closed_by: null,
          opened_at: effect.openedAt,
          closed_at: null,
          deadline: effect.deadline ?? null,
        };
        openedNow.set(effect.taskId, row);
        writes.opened.push(row);
        break;
      }
      case 'close-task': {
        const fresh = openedNow.get(effect.taskId);
        if (fresh) {
          Object.assign(fresh, {
            status: 'closed',
            close_reason: effect.reason,
            closed_by: effect.by ?? null,
            closed_at: now,
            ...(effect.onBehalfOf === undefined ? {} : { on_behalf_of: effect.onBehalfOf }),
          });
        } else {
          const change = writes.changed.get(effect.taskId) ?? {};
          change.close = {
            reason: effect.reason,
            by: effect.by ?? null,
            ...(effect.onBehalfOf === undefined ? {} : { onBehalfOf: effect.onBehalfOf }),
          };
          writes.changed.set(effect.taskId, change);
        }
        break;
      }
      case 'update-task': {
        const fresh = openedNow.get(effect.taskId);
        if (fresh) {
          fresh.claimed_by = effect.claimedBy;
          fresh.on_behalf_of = effect.onBehalfOf;
        } else {
          const change = writes.changed.get(effect.taskId) ?? {};
          change.claim = { by: effect.claimedBy, onBehalfOf: effect.onBehalfOf };
          writes.changed.set(effect.taskId, change);
        }
        break;
      }
      case 'update-record':
        await target.records.update(trx, target.record, effect.patch, target.actor);
        break;
      case 'create-record':
        await target.records.create(
          trx,
          { app: target.record.app, form: effect.form },
          effect.values,
          target.actor,
          target.record,
        );
        break;
      case 'notify':
        for (const userId of new Set(effect.userIds)) {
          writes.notifications.push({
            user_id: userId,
            instance_id: instanceId,
            kind: effect.kind,
            node_id: effect.nodeId ?? null,
            task_key: effect.taskId ?? null,
            message: effect.message ?? null,
            created_at: now,
            read_at: null,
          });
        }
        break;
      case 'schedule-job':
        await enqueueJob(trx, {
          task: WORKFLOW_TIMER_JOB,
          payload: { instanceId, jobKey: effect.key } satisfies TimerJobPayload,
          key: effect.key,
          runAt: effect.runAt,
          maxAttempts: 10,
        });
        break;
      case 'cancel-job':
        await removeJob(trx, effect.key);
        break;
      case 'call-webhook':
        await enqueueJob(trx, {
          task: WORKFLOW_WEBHOOK_JOB,
          payload: {
            instanceId,
            jobKey: effect.key,
            url: effect.url,
            method: effect.method,
            body: effect.body,
            awaitResult: effect.awaitResult,
          } satisfies WebhookJobPayload,
          key: effect.key,
          maxAttempts: 5,
        });
        break;
      case 'append-history': {
        const e = effect.entry;
        writes.history.push({
          instance_id: instanceId,
          at: e.at,
          actor: e.actor,
          action: e.action,
          node_id: e.nodeId ?? null,
          task_key: e.taskId ?? null,
          on_behalf_of: e.onBehalfOf ?? null,
          comment: e.comment ?? null,
          attachments: e.attachments === undefined ? null : [...e.attachments],
          time_spent_ms: e.timeSpentMs ?? null,
          details: e.details === undefined ? null : JSON.stringify(e.details),
        });
        break;
      }
      case 'instance-finished':
        // Stored with the state (status, outcome, finished_at) by the caller.
        break;
    }
  }
  return writes;
}

/**
 * Sends a step's collected writes and the instance's update as one statement; returns the
 * instance update's row. `also`: further writes of the step sent in the same statement (the
 * stored answer of its idempotency key). Changing a task that is not open is a bug of the
 * engine or the runtime: the step fails and rolls back. The CTEs are built from kysely queries
 * and constant SQL only.
 */
export async function writeStep<R>(
  trx: Transaction<WorkflowDatabase>,
  instanceId: string,
  now: string,
  writes: StepWrites,
  instanceUpdate: OperationNodeSource,
  also?: OperationNodeSource,
): Promise<R> {
  const ctes = [];
  const changed = [...writes.changed];
  if (changed.length > 0) {
    const rows = changed.map(([key, c]) => {
      const behalf = behalfOf(c);
      return sql`(${key}::text, ${c.close ? 'closed' : 'open'}::text, ${c.close?.reason ?? null}::text, ${c.close?.by ?? null}::uuid, ${c.claim !== undefined}::boolean, ${c.claim?.by ?? null}::uuid, ${behalf.set}::boolean, ${behalf.value}::uuid)`;
    });
    ctes.push(sql`changed AS (
      UPDATE joinery.workflow_tasks AS t SET
        status = v.status,
        close_reason = COALESCE(v.reason, t.close_reason),
        closed_by = CASE WHEN v.status = 'closed' THEN v.closed_by ELSE t.closed_by END,
        closed_at = CASE WHEN v.status = 'closed' THEN ${now}::timestamptz ELSE t.closed_at END,
        claimed_by = CASE WHEN v.set_claim THEN v.claimed_by ELSE t.claimed_by END,
        on_behalf_of = CASE WHEN v.set_behalf THEN v.on_behalf_of ELSE t.on_behalf_of END
      FROM (VALUES ${sql.join(rows)})
        AS v(task_key, status, reason, closed_by, set_claim, claimed_by, set_behalf, on_behalf_of)
      WHERE t.instance_id = ${instanceId} AND t.task_key = v.task_key AND t.status = 'open'
      RETURNING t.id)`);
  }
  if (writes.opened.length > 0) {
    ctes.push(
      sql`opened AS (${trx.insertInto('joinery.workflow_tasks').values(writes.opened).returning('id')})`,
    );
  }
  if (writes.history.length > 0) {
    ctes.push(
      sql`timeline AS (${trx.insertInto('joinery.workflow_history').values(writes.history).returning('id')})`,
    );
  }
  if (writes.notifications.length > 0) {
    ctes.push(
      sql`notified AS (${trx.insertInto('joinery.workflow_notifications').values(writes.notifications).returning('id')})`,
    );
  }
  if (also !== undefined) ctes.push(sql`also AS (${also})`);
  ctes.push(sql`instance AS (${instanceUpdate})`);
  const counted = changed.length > 0 ? sql`(SELECT count(*) FROM changed)::int` : sql`0`;
  const result = await sql<R & { changed_tasks: number }>`
    WITH ${sql.join(ctes)} SELECT instance.*, ${counted} AS changed_tasks FROM instance`.execute(
    trx,
  );
  const row = result.rows[0];
  if (row === undefined) throw new Error(`workflow ${instanceId}: the instance row is gone`);
  const { changed_tasks: changedTasks, ...instance } = row;
  if (changedTasks !== changed.length) {
    throw new Error(`workflow ${instanceId}: a task changed by the engine is not open`);
  }
  return instance as R;
}
