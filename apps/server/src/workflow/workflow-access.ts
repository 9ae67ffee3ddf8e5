import { JoineryError } from '@joinery/shared';
import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { StatementCredential } from '../auth/authenticate.ts';
import { guardSql } from '../auth/credential-cache.ts';
import type { Principal } from '../auth/principal.ts';
import { executeShaped } from '../database/prepared.ts';
import type { PublishedForm } from '../metadata/form-registry.ts';
import { recordColumnNames } from '../records/record-row.ts';
import { INSTANCE_HEAD, type InstanceHead, instanceHeadExtras } from './instance-head.ts';
import type { WorkflowDatabase } from './workflow-tables.ts';

/**
 * Whether `principal` may read an instance: administrators, the submitter, anyone who holds or
 * held one of its tasks (or may act on one for an absent user: `delegated`, from
 * `delegatedTasks`), and the
 * users it was copied (CC) or notified to. Others get the same
 * 404 as for an instance that does not exist, so ids reveal nothing.
 */
export async function assertCanSeeInstance(
  db: Kysely<WorkflowDatabase>,
  principal: Principal,
  instanceId: string,
  delegated: readonly string[] = [],
): Promise<void> {
  const user = principal.userId;
  const found = await db
    .selectFrom('joinery.workflow_instances as i')
    .select('i.id')
    .where('i.id', '=', instanceId)
    .$if(!principal.isAdmin, (q) =>
      q.where((eb) =>
        eb.or([
          eb('i.submitter', '=', user),
          eb.exists(
            eb
              .selectFrom('joinery.workflow_tasks as t')
              .select('t.id')
              .whereRef('t.instance_id', '=', 'i.id')
              .where((t) =>
                t.or([
                  t(sql.val(user), '=', t.fn.any('t.assignees')),
                  t('t.claimed_by', '=', user),
                  t('t.closed_by', '=', user),
                  t('t.on_behalf_of', '=', user),
                  ...standingIn(delegated),
                ]),
              ),
          ),
          eb.exists(
            eb
              .selectFrom('joinery.workflow_notifications as n')
              .select('n.id')
              .whereRef('n.instance_id', '=', 'i.id')
              .where('n.user_id', '=', user),
          ),
        ]),
      ),
    )
    .executeTakeFirst();
  if (!found) throw new JoineryError('JNY_WORKFLOW_RUNTIME_INSTANCE_NOT_FOUND');
}

/** A task row as the task routes need it, once the caller may see it, with its instance's. */
export interface VisibleTask {
  readonly id: string;
  readonly instanceId: string;
  readonly key: string;
  readonly nodeId: string;
  readonly definitionId: string;
  /** The instance's record. */
  readonly record: { readonly app: string; readonly form: string; readonly recordId: string };
}

/**
 * The task `taskId` if `principal` may see it: its assignees (or candidates), whoever claimed or
 * closed it, the absent user it was delegated for, a delegate the engine lets act on it while
 * it is open (`delegated`, from `delegatedTasks`), and administrators. Otherwise 404.
 */
export async function visibleTask(
  db: Kysely<WorkflowDatabase>,
  principal: Principal,
  taskId: string,
  delegated: readonly string[] = [],
): Promise<VisibleTask> {
  const row = await taskQuery(
    db,
    principal.isAdmin,
    principal.userId,
    taskId,
    delegated,
    delegated.length,
  )
    .select(['i.definition_id', 'i.app', 'i.form', 'i.record_id'])
    .executeTakeFirst();
  if (!row) throw new JoineryError('JNY_WORKFLOW_TASK_NOT_FOUND', { taskId });
  return visible(row);
}

/**
 * `visibleTask` for acting on it: with what the step reads of its instance (without a lock, see
 * `WorkflowRuntime.act`) and whether the caller already used the idempotency key `key` — one
 * statement. Given the form the task's record belongs to (a `TaskForms` hint), the record's row
 * comes in the same statement, joined only if the instance names that form (`recordRow`).
 * `credential`: the request's, verified by that statement (its guard is in the `WHERE`; no row
 * cannot tell a failed guard from a task not found: it reports the guard failed, and the
 * request is redone after a full resolve, which answers the 404).
 */
export async function actionableTask(
  db: Kysely<WorkflowDatabase>,
  principal: Principal,
  taskId: string,
  delegated: readonly string[],
  key: string | undefined,
  form?: PublishedForm,
  credential?: StatementCredential,
): Promise<
  VisibleTask & {
    readonly instance: InstanceHead;
    readonly keyUsed: boolean;
    /** The record's row (as `recordRow` reads it), when `form` was its form. */
    readonly recordRow: Record<string, unknown> | undefined;
  }
> {
  const call = credential?.guard;
  // Built once per shape (see `executeShaped`); prepared: one text per kind of caller
  // (administrator, delegate, with a key or not, session or token) and form version (the
  // record's columns are named, and a publish may change them).
  const shape = [
    'actionable-task',
    principal.isAdmin,
    delegated.length > 0,
    key !== undefined,
    call?.fn,
    form && `${form.formId}@${Number(form.version)}`,
  ].join('|');
  const values: ActionableValues = {
    taskId,
    user: principal.userId,
    delegated,
    key: key ?? '',
    app: form?.appKey ?? '',
    form: form?.formKey ?? '',
    ...Object.fromEntries((call?.args ?? []).map((arg, i) => [`guard${i}`, arg])),
  };
  const [row] = await executeShaped<ActionableRow, ActionableValues>(db, shape, values, (v) => {
    const used =
      key === undefined
        ? sql<boolean>`false`
        : sql<boolean>`EXISTS (SELECT FROM joinery.workflow_action_keys
            WHERE user_id = ${v.user} AND key = ${v.key})`;
    const task = taskQuery(db, principal.isAdmin, v.user, v.taskId, v.delegated, delegated.length);
    // The guard's arity is its function's, named in the shape.
    const guard = call && guardSql({ fn: call.fn, args: call.args.map((_, i) => v[`guard${i}`]) });
    const query = (guard ? task.where(guard) : task)
      .select(INSTANCE_HEAD)
      .select(instanceHeadExtras())
      .select(used.as('key_used'));
    if (form === undefined) return sql`${query}`;
    return sql`SELECT q.*, ${sql.join(
      recordColumnNames(form).map(
        (name) => sql`${sql.id('r', name)} AS ${sql.id(`${RECORD_PREFIX}${name}`)}`,
      ),
    )}
      FROM (${query}) AS q LEFT JOIN ${sql.id(form.table.schema, form.table.table)} AS r
        ON r.id = q.record_id::uuid AND q.app = ${v.app} AND q.form = ${v.form}
      /* ${sql.raw(`form version ${Number(form.version)}`)} */`;
  });
  credential?.held(row !== undefined);
  if (!row) throw new JoineryError('JNY_WORKFLOW_TASK_NOT_FOUND', { taskId });
  const record: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) {
    if (name.startsWith(RECORD_PREFIX)) record[name.slice(RECORD_PREFIX.length)] = value;
  }
  const { key_used: keyUsed, ...instance } = row;
  return {
    ...visible(row),
    instance,
    keyUsed,
    recordRow: record.id === undefined || record.id === null ? undefined : record,
  };
}

/** The values of `actionableTask`'s statement (`guard0`… the guard's arguments). */
type ActionableValues = Record<string, unknown> & {
  readonly taskId: string;
  readonly user: string;
  readonly delegated: readonly string[];
  readonly key: string;
  readonly app: string;
  readonly form: string;
};

/** `actionableTask`'s row: the task, its instance, the key's use, the record's columns. */
type ActionableRow = InstanceHead & {
  readonly id: string;
  readonly instance_id: string;
  readonly task_key: string;
  readonly node_id: string;
  readonly key_used: boolean;
} & Record<string, unknown>;

/** The prefix of the record's columns in `actionableTask`'s row. */
const RECORD_PREFIX = 'record:';

/**
 * The task `taskId`, joined with its instance, if `user` (an administrator or not) may see it
 * (see `visibleTask`); `delegatedCount` is how many tasks `delegated` holds.
 */
function taskQuery(
  db: Kysely<WorkflowDatabase>,
  isAdmin: boolean,
  user: string,
  taskId: string,
  delegated: readonly string[],
  delegatedCount: number,
) {
  return db
    .selectFrom('joinery.workflow_tasks as t')
    .innerJoin('joinery.workflow_instances as i', 'i.id', 't.instance_id')
    .select(['t.id', 't.instance_id', 't.task_key', 't.node_id'])
    .where('t.id', '=', taskId)
    .$if(!isAdmin, (q) =>
      q.where((t) =>
        t.or([
          t(sql.val(user), '=', t.fn.any('t.assignees')),
          t('t.claimed_by', '=', user),
          t('t.closed_by', '=', user),
          t('t.on_behalf_of', '=', user),
          ...standingIn(delegated, delegatedCount),
        ]),
      ),
    );
}

function visible(row: {
  id: string;
  instance_id: string;
  task_key: string;
  node_id: string;
  definition_id: string;
  app: string;
  form: string;
  record_id: string;
}): VisibleTask {
  return {
    id: row.id,
    instanceId: row.instance_id,
    key: row.task_key,
    nodeId: row.node_id,
    definitionId: row.definition_id,
    record: { app: row.app, form: row.form, recordId: row.record_id },
  };
}

/**
 * The tasks (alias `t`) among `delegated` — the open tasks a user may act on for absent users,
 * as `delegatedTasks` found them with the engine's own check. Bound values only; `count` is
 * how many it holds (given apart when `delegated` is a shaped statement's placeholder).
 */
export function standingIn(
  delegated: readonly string[],
  count = delegated.length,
): RawBuilder<SqlBool>[] {
  if (count === 0) return [];
  return [sql<SqlBool>`t.id = ANY(${delegated}::uuid[])`];
}
