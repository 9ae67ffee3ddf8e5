import type { WorkflowEffect } from '@joinery/workflow';
import {
  type Expression,
  type Insertable,
  type Kysely,
  type OperationNodeSource,
  type SqlBool,
  sql,
  type Transaction,
} from 'kysely';
import { executeShaped } from '../database/prepared.ts';
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
 * statement (data-modifying CTEs) with the instance's own write — so a step costs one round
 * trip for tasks, timeline and notifications whatever it did.
 */
export interface StepWrites {
  readonly opened: Insertable<WorkflowTasksTable>[];
  readonly changed: Map<string, TaskChange>;
  /** Timeline rows; `details` as the JSON value itself (the statement sends rows as JSON). */
  readonly history: (Omit<Insertable<WorkflowHistoryTable>, 'details'> & { details: unknown })[];
  readonly notifications: Insertable<WorkflowNotificationsTable>[];
}

/** The effects `collectWrites` turns into rows of the workflow tables: nothing else to do. */
const TABLE_EFFECTS: ReadonlySet<WorkflowEffect['type']> = new Set([
  'open-task',
  'close-task',
  'update-task',
  'notify',
  'append-history',
  'instance-finished',
]);

/**
 * True when every effect only writes the workflow tables (tasks, timeline, notifications, the
 * instance): no record write, no job — a step one statement can write on its own.
 */
export function writesTablesOnly(effects: readonly WorkflowEffect[]): boolean {
  return effects.every((effect) => TABLE_EFFECTS.has(effect.type));
}

/**
 * Applies one `advance` result's effects in the step's transaction. Record writes (through the
 * records runtime) and job queue changes happen in effect order as they come; task, timeline
 * and notification rows are collected into `StepWrites` (`collectWrites`) for `writeStep`.
 */
export async function applyEffects(
  target: EffectTarget,
  effects: readonly WorkflowEffect[],
): Promise<StepWrites> {
  const { trx, instanceId } = target;
  for (const effect of effects) {
    switch (effect.type) {
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
      default:
        // A table effect: collected below.
        break;
    }
  }
  return collectWrites(instanceId, target.now, effects);
}

/**
 * The task, timeline and notification rows of one step's effects, in effect order, folding a
 * task opened and changed within the same step into its final row. Other effects are
 * `applyEffects`' to carry out.
 */
export function collectWrites(
  instanceId: string,
  now: string,
  effects: readonly WorkflowEffect[],
): StepWrites {
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
          details: e.details ?? null,
        });
        break;
      }
      default:
        // Carried out by `applyEffects` (records, jobs) or stored with the state (finished).
        break;
    }
  }
  return writes;
}

/**
 * The instance's write of a step, and what goes with it, as parts of a shaped statement (see
 * `executeShaped`): `instance` and `also` build them from `values` (placeholders the first time
 * a shape is seen), `shape` names every branch they take.
 */
export interface InstanceWrite<V extends Record<string, unknown>> {
  readonly shape: string;
  readonly values: V;
  readonly instance: (values: V) => OperationNodeSource;
  readonly also?: ((values: V) => OperationNodeSource) | undefined;
}

/** The values `writeStep` adds to the instance write's. */
interface StepValues {
  readonly stepInstance: string;
  readonly stepNow: string;
  readonly changedRows: string;
  readonly openedRows: string;
  readonly timelineRows: string;
  readonly notifiedRows: string;
}

/**
 * Sends a step's collected writes and the instance's write as one statement; returns the
 * instance write's row, or undefined when it wrote none (its conditions failed: then nothing at
 * all is written). The instance's write is the CTE `instance`, and every other write of the
 * step selects from it — PostgreSQL runs every data-modifying CTE whether or not it is read, so
 * a write that did not depend on it would happen alone. `also`: further writes of the step sent
 * in the same statement (its idempotency key's answer), which must depend on `instance` too.
 * Changing a task that is not open is a bug of the engine or the runtime: the step fails and
 * rolls back. Rows go as one JSON parameter per table, so the text depends only on which CTEs
 * the step has and their columns: a shaped statement, prepared (planned once per connection,
 * in a transaction or not), built from kysely queries, constant SQL and our own column names.
 */
export async function writeStep<R, V extends Record<string, unknown>>(
  db: Kysely<WorkflowDatabase>,
  instanceId: string,
  now: string,
  writes: StepWrites,
  write: InstanceWrite<V>,
): Promise<R | undefined> {
  const changed = [...writes.changed].map(([key, c]) => {
    const behalf = behalfOf(c);
    return {
      task_key: key,
      status: c.close ? 'closed' : 'open',
      reason: c.close?.reason ?? null,
      closed_by: c.close?.by ?? null,
      set_claim: c.claim !== undefined,
      claimed_by: c.claim?.by ?? null,
      set_behalf: behalf.set,
      on_behalf_of: behalf.value,
    };
  });
  const values: V & StepValues = {
    ...write.values,
    stepInstance: instanceId,
    stepNow: now,
    changedRows: JSON.stringify(changed),
    openedRows: JSON.stringify(writes.opened),
    timelineRows: JSON.stringify(writes.history),
    notifiedRows: JSON.stringify(writes.notifications),
  };
  const shape = [
    'step',
    write.shape,
    write.also !== undefined,
    changed.length > 0,
    columnsOf(writes.opened),
    columnsOf(writes.history),
    columnsOf(writes.notifications),
  ].join('|');
  const [row] = await executeShaped<R & { changed_tasks: number }, V & StepValues>(
    db,
    shape,
    values,
    (v) => {
      const ctes = [sql`instance AS (${write.instance(v)})`];
      if (changed.length > 0) {
        ctes.push(sql`changed AS (
          UPDATE joinery.workflow_tasks AS t SET
            status = v.status,
            close_reason = COALESCE(v.reason, t.close_reason),
            closed_by = CASE WHEN v.status = 'closed' THEN v.closed_by ELSE t.closed_by END,
            closed_at = CASE WHEN v.status = 'closed' THEN ${v.stepNow}::timestamptz
              ELSE t.closed_at END,
            claimed_by = CASE WHEN v.set_claim THEN v.claimed_by ELSE t.claimed_by END,
            on_behalf_of = CASE WHEN v.set_behalf THEN v.on_behalf_of ELSE t.on_behalf_of END
          FROM jsonb_to_recordset(${v.changedRows}::jsonb) AS v(task_key text, status text,
            reason text, closed_by uuid, set_claim boolean, claimed_by uuid, set_behalf boolean,
            on_behalf_of uuid)
          WHERE t.instance_id = ${v.stepInstance} AND t.task_key = v.task_key
            AND t.status = 'open' AND EXISTS (SELECT FROM instance)
          RETURNING t.id)`);
      }
      ctes.push(...insertRows('opened', 'joinery.workflow_tasks', writes.opened, v.openedRows));
      ctes.push(
        ...insertRows('timeline', 'joinery.workflow_history', writes.history, v.timelineRows),
      );
      ctes.push(
        ...insertRows(
          'notified',
          'joinery.workflow_notifications',
          writes.notifications,
          v.notifiedRows,
        ),
      );
      if (write.also !== undefined) ctes.push(sql`also AS (${write.also(v)})`);
      const counted = changed.length > 0 ? sql`(SELECT count(*) FROM changed)::int` : sql`0`;
      return sql`WITH ${sql.join(ctes)} SELECT instance.*, ${counted} AS changed_tasks FROM instance`;
    },
  );
  if (row === undefined) return undefined;
  const { changed_tasks: changedTasks, ...instance } = row;
  if (changedTasks !== changed.length) {
    throw new Error(`workflow ${instanceId}: a task changed by the engine is not open`);
  }
  return instance as R;
}

/** The columns of a step's rows of one table (all have the same: the keys this module sets). */
function columnsOf(rows: readonly object[]): string {
  const [first] = rows;
  return first === undefined ? '' : Object.keys(first).join(',');
}

/**
 * A CTE `name` inserting `rows` (sent as the JSON array `json`) into `table` once `instance`
 * was written (none without rows), typed by the table's own row type.
 */
function insertRows(name: string, table: string, rows: readonly object[], json: string) {
  const [first] = rows;
  if (first === undefined) return [];
  const columns = sql.join(Object.keys(first).map((column) => sql.ref(column)));
  return [
    sql`${sql.raw(name)} AS (
      INSERT INTO ${sql.table(table)} (${columns})
      SELECT ${columns} FROM jsonb_populate_recordset(NULL::${sql.table(table)}, ${json}::jsonb)
      WHERE EXISTS (SELECT FROM instance)
      RETURNING id)`,
  ];
}

/**
 * A condition for the instance's write: the `count` tasks the step changes (`keys`) are still
 * open. A step written without the instance lock (see `WorkflowRuntime.act`) adds it, so that a
 * task found not open leaves everything unwritten (the locked retry then fails and rolls back).
 * Arguments may be a shaped statement's placeholders; whether `count` is 0 is part of the
 * statement's shape (`writeStep`'s: whether the step changes tasks).
 */
export function changedTasksOpen(
  instanceId: string,
  keys: readonly string[],
  count: number,
  changesTasks: boolean,
): Expression<SqlBool> {
  if (!changesTasks) return sql<SqlBool>`true`;
  return sql<SqlBool>`(SELECT count(*) FROM joinery.workflow_tasks
    WHERE instance_id = ${instanceId} AND task_key = ANY(${keys}::text[]) AND status = 'open')
    = ${count}`;
}
