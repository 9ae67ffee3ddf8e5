import { randomUUID } from 'node:crypto';
import { JoineryError } from '@joinery/shared';
import {
  advance,
  type CompiledWorkflow,
  type InstanceState,
  type OrgSnapshot,
  type WorkflowAction,
  type WorkflowEvent,
} from '@joinery/workflow';
import { type InferResult, type Kysely, sql, type Transaction } from 'kysely';
import type { Logger } from 'pino';
import { afterWorkflowStep } from '../automation/automation-hooks.ts';
import type { Clock } from '../clock/clock.ts';
import { isUniqueViolation } from '../database/pg-errors.ts';
import { executePrepared } from '../database/prepared.ts';
import {
  answerUpdate,
  answerValues,
  keyWithAnswer,
  reservationAfterLock,
  reserveKey,
  type StoredAnswer,
  storeAnswer,
  storedAnswer,
} from './action-keys.ts';
import {
  applyEffects,
  changedTasksOpen,
  collectWrites,
  writeStep,
  writesTablesOnly,
} from './apply-effects.ts';
import {
  INSTANCE_HEAD,
  type InstanceHead,
  instanceHeadExtras,
  type SeenInstance,
} from './instance-head.ts';
import { OrgSnapshots } from './load-org-snapshot.ts';
import { taskUuid } from './task-uuid.ts';
import type { WorkflowDefinitions } from './workflow-definitions.ts';
import type { RecordRef, WorkflowRecords } from './workflow-records.ts';
import type { WorkflowDatabase } from './workflow-tables.ts';

/** An open task as answered after a step. */
export interface OpenTaskView {
  readonly id: string;
  readonly key: string;
  readonly nodeId: string;
  readonly kind: string;
  readonly assignees: string[];
  readonly offered: boolean;
  readonly claimedBy: string | null;
  readonly deadline: string | null;
}

/** The state of an instance after a step: what the caller needs to go on. */
export interface InstanceSummary {
  readonly instanceId: string;
  readonly status: string;
  readonly outcome: string | null;
  readonly version: number;
  readonly openTasks: OpenTaskView[];
}

/** The idempotency of a request: whose key, which key, and a hash of what was asked. */
export interface Idempotency {
  readonly key: string;
  readonly fingerprint: string;
}

/** Events that do not come from a person (timers, webhooks, the API's external events). */
export type SystemEvent = Exclude<WorkflowEvent, { type: 'start' } | { type: 'action' }>;

/**
 * The durable workflow runtime. Every start, action and event is **one transaction**: lock the
 * instance row (`SELECT … FOR UPDATE`) and reserve the idempotency key after it, call the pure
 * engine's `advance`, apply its effects in order (tasks, record changes, timeline,
 * notifications, jobs enqueued in the same transaction), store the new state, store the answer
 * for the key, commit. Two approvers clicking at once are serialised by the row lock, so a step
 * completes once; a crash before the commit leaves nothing behind, and a retry with the same key
 * gets the first answer. An action whose caller read the instance already may first be written
 * as one statement guarded by the instance's version (see `act`).
 */
export class WorkflowRuntime {
  readonly #orgs = new OrgSnapshots();

  constructor(
    private readonly deps: {
      readonly db: Kysely<WorkflowDatabase>;
      readonly clock: Clock;
      readonly records: WorkflowRecords;
      readonly definitions: WorkflowDefinitions;
      readonly logger: Pick<Logger, 'warn' | 'error'>;
    },
  ) {}

  /** The organisation as the engine sees it now (the cached snapshot while unchanged). */
  async org(db: Kysely<WorkflowDatabase>): Promise<OrgSnapshot> {
    return this.#orgs.at(db, await this.#orgs.version(db));
  }

  /** The organisation at `version` of `joinery.org_version`, read by the caller (or later). */
  async orgAt(db: Kysely<WorkflowDatabase>, version: number): Promise<OrgSnapshot> {
    return this.#orgs.at(db, version);
  }

  /** Starts the form's workflow on a record; answers 201 with the instance. */
  async start(input: {
    readonly record: RecordRef;
    readonly workflow: string | undefined;
    readonly submitter: string;
    readonly idempotency: Idempotency | undefined;
  }): Promise<StoredAnswer> {
    const { db, definitions, records } = this.deps;
    try {
      return await db.transaction().execute(async (trx) => {
        const replay = await this.#replay(trx, input.submitter, input.idempotency);
        if (replay) return replay;
        const { record: ref } = input;
        const definition = await definitions.latest(trx, ref.app, ref.form, input.workflow);
        const workflow = await definitions.compiled(trx, definition.id);
        const record = await records.load(trx, ref);
        const instanceId = randomUUID();
        const now = this.deps.clock.now().toISOString();
        const org = await this.#orgs.at(trx, await this.#orgs.version(trx));
        const result = advance(
          workflow,
          undefined,
          { type: 'start', instanceId, submitter: input.submitter, record },
          { now, utcOffsetMinutes: this.deps.clock.utcOffsetMinutes, org, record },
        );
        const writes = await applyEffects(
          { trx, instanceId, record: ref, actor: input.submitter, records, now },
          result.effects,
        );
        // The instance row and its first tasks, timeline and notifications in one statement.
        const inserted = {
          id: instanceId,
          definition_id: definition.id,
          app: ref.app,
          form: ref.form,
          record_id: ref.recordId,
          submitter: input.submitter,
          status: result.state.status,
          outcome: result.state.outcome ?? null,
          state: JSON.stringify(result.state),
          started_at: now,
          updated_at: now,
          finished_at: result.state.status === 'finished' ? now : null,
        };
        const head = await writeStep<InstanceRow, typeof inserted>(trx, instanceId, now, writes, {
          shape: 'start',
          values: inserted,
          instance: (v) =>
            trx
              .insertInto('joinery.workflow_instances')
              .values({
                id: v.id,
                definition_id: v.definition_id,
                app: v.app,
                form: v.form,
                record_id: v.record_id,
                submitter: v.submitter,
                status: v.status,
                outcome: v.outcome,
                state: v.state,
                version: 1,
                started_at: v.started_at,
                updated_at: v.updated_at,
                finished_at: v.finished_at,
              })
              .returning(['status', 'outcome', 'version']),
        }).then((row) => written(instanceId, row));
        await afterWorkflowStep(this, trx, {
          instanceId,
          workflow: workflow.id,
          record: ref,
          actor: input.submitter,
          effects: result.effects,
        });
        const answer = {
          statusCode: 201,
          body: { instanceId, ...head, openTasks: openTasksOf(instanceId, result.state) },
        };
        if (input.idempotency) {
          await storeAnswer(trx, input.submitter, input.idempotency.key, instanceId, answer);
        }
        return answer;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new JoineryError('JNY_WORKFLOW_RUNTIME_ALREADY_RUNNING');
      throw error;
    }
  }

  /**
   * A person acts on an instance (task actions name the engine's task key). With `seen` (what
   * the caller read of the instance and its record, without a lock), a step that only writes
   * the workflow tables is first tried as **one statement**: every write of it depends on the
   * instance's update `WHERE version = <the version seen>` (and on the tasks it closes being
   * open), and the idempotency key is inserted with its answer in that statement — a key used
   * meanwhile fails it whole. Anything else (a step writing records or jobs, rules listening, a
   * key already used, an engine refusal, another step in between) takes the locking path: one
   * transaction with the instance row locked, as ever. Either way a step commits once or not
   * at all.
   */
  async act(input: {
    readonly instanceId: string;
    readonly actor: string;
    readonly action: WorkflowAction;
    readonly idempotency: Idempotency | undefined;
    readonly seen?: SeenInstance;
  }): Promise<StoredAnswer> {
    const key = input.idempotency ? `${input.actor}:${input.idempotency.key}` : undefined;
    const keyed = input.idempotency && { userId: input.actor, ...input.idempotency };
    const event: WorkflowEvent = {
      type: 'action',
      actor: input.actor,
      action: input.action,
      ...(key === undefined ? {} : { idempotencyKey: key }),
    };
    const unlocked =
      input.seen && (await this.#unlocked(input.instanceId, input.seen, event, keyed));
    if (unlocked) return unlocked;
    return this.deps.db.transaction().execute(async (trx) => {
      const step = await this.#step(trx, input.instanceId, input.actor, event, false, keyed);
      if (step === undefined) throw new JoineryError('JNY_WORKFLOW_RUNTIME_INSTANCE_NOT_FOUND');
      if ('replay' in step) return step.replay;
      const answer = { statusCode: 200, body: step.head };
      if (keyed && !step.answerStored) {
        await storeAnswer(trx, keyed.userId, keyed.key, input.instanceId, answer);
      }
      return answer;
    });
  }

  /**
   * Delivers a system event (a timer fired, a webhook answered, an external event arrived).
   * Unknown instances are ignored: a job may outlive the instance it was for.
   */
  async deliver(instanceId: string, event: SystemEvent): Promise<InstanceSummary | undefined> {
    return this.deps.db.transaction().execute(async (trx) => {
      // Without an idempotency key, a step never replays.
      const step = await this.#step(trx, instanceId, null, event, true);
      return step && 'head' in step ? step.head : undefined;
    });
  }

  async #replay(
    trx: Transaction<WorkflowDatabase>,
    userId: string,
    idempotency: Idempotency | undefined,
  ): Promise<StoredAnswer | undefined> {
    if (!idempotency) return undefined;
    return reserveKey(trx, userId, idempotency.key, idempotency.fingerprint);
  }

  /**
   * `act`'s step as one statement on what was `seen`: the answer, or undefined when the
   * locking path must take the step (nothing was written).
   */
  async #unlocked(
    instanceId: string,
    seen: SeenInstance,
    event: WorkflowEvent,
    keyed: (Idempotency & { readonly userId: string }) | undefined,
  ): Promise<StoredAnswer | undefined> {
    const { instance, record } = seen;
    const state = instance.state as InstanceState;
    if (seen.keyUsed || instance.workflow_rules || record === undefined) return undefined;
    if (state.status === 'finished') return undefined;
    const { db, definitions, clock } = this.deps;
    const workflow = await definitions.compiled(db, instance.definition_id);
    const org = await this.#orgs.at(db, Number(instance.org_version));
    const now = clock.now().toISOString();
    let result: ReturnType<typeof advance>;
    try {
      result = advance(workflow, state, event, {
        now,
        utcOffsetMinutes: clock.utcOffsetMinutes,
        org,
        record,
      });
    } catch {
      // Refused on what was seen: the locked step decides (and answers the refusal).
      return undefined;
    }
    if (result.effects.length === 0 || !writesTablesOnly(result.effects)) return undefined;
    const writes = collectWrites(instanceId, now, result.effects);
    const head = headAfter(instanceId, instance, result.state);
    const answer = { statusCode: 200, body: head };
    try {
      const values = {
        ...updateValues(instanceId, instance, result.state, now),
        seenVersion: instance.version,
        changedKeys: [...writes.changed.keys()],
        changedCount: writes.changed.size,
        // The key's answer: written only with a key (`also`).
        userId: keyed?.userId ?? '',
        key: keyed?.key ?? '',
        fingerprint: keyed?.fingerprint ?? '',
        ...answerValues(answer),
      };
      const changes = writes.changed.size > 0;
      const updated = await writeStep<InstanceRow, typeof values>(db, instanceId, now, writes, {
        shape: `unlocked|${keyed !== undefined}`,
        values,
        instance: (v) =>
          this.#instanceUpdate(db, v)
            .where('version', '=', v.seenVersion)
            .where(changedTasksOpen(v.instanceId, v.changedKeys, v.changedCount, changes)),
        also: keyed && keyWithAnswer,
      });
      if (updated === undefined) return undefined;
      assertHead(instanceId, updated, head);
      return answer;
    } catch (error) {
      // The key was used meanwhile: the statement wrote nothing; the locked step replays.
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
  }

  /** The instance's update after a step (the version is bumped), of `updateValues`' values. */
  #instanceUpdate(db: Kysely<WorkflowDatabase>, v: UpdateValues) {
    return db
      .updateTable('joinery.workflow_instances')
      .set((eb) => ({
        state: v.state,
        status: v.status,
        outcome: v.outcome,
        version: eb('version', '+', 1),
        updated_at: v.updatedAt,
        finished_at: v.finishedAt,
      }))
      .where('id', '=', v.instanceId)
      .returning(['status', 'outcome', 'version']);
  }

  /**
   * One step of one instance, inside `trx`: its status afterwards, or undefined when the
   * instance does not exist (and `missingIsFine`). The instance row is locked first; with an
   * idempotency key (`keyed`), the key is reserved in the same statement, after the lock
   * (`reservationAfterLock`): a key already used answers its stored first answer (`replay`)
   * and the step does nothing; else a step that writes stores its answer (200 and the status)
   * in its write statement, and `answerStored` says whether it did.
   */
  async #step(
    trx: Transaction<WorkflowDatabase>,
    instanceId: string,
    actor: string | null,
    event: WorkflowEvent,
    missingIsFine = false,
    keyed?: Idempotency & { readonly userId: string },
  ): Promise<
    { head: InstanceSummary; answerStored: boolean } | { replay: StoredAnswer } | undefined
  > {
    // The key's reservation, or (no key) a row standing for one.
    const reserving = keyed
      ? reservationAfterLock(keyed.userId, keyed.key, keyed.fingerprint)
      : sql`SELECT NULL::uuid AS user_id`;
    const locking = trx
      .with('locked', (db) =>
        db
          .selectFrom('joinery.workflow_instances as i')
          .select(INSTANCE_HEAD)
          .select(instanceHeadExtras())
          .where('i.id', '=', instanceId)
          .forUpdate(),
      )
      // A raw CTE body is written as is: the parentheses are ours.
      .with('reserved', () => sql<{ user_id: string | null }>`(${reserving})`)
      .selectFrom('locked')
      .selectAll()
      // 1 when the idempotency key was new (reserved now), 0 when a first request used it.
      .select(sql<number>`(SELECT count(*) FROM reserved)::int`.as('reserved'));
    // Prepared on the transaction's connection: one text with a key, one without.
    const [row] = await executePrepared<InferResult<typeof locking>[number]>(trx, sql`${locking}`);
    if (row === undefined) {
      if (missingIsFine) return undefined;
      throw new JoineryError('JNY_WORKFLOW_RUNTIME_INSTANCE_NOT_FOUND');
    }
    if (keyed && row.reserved === 0) {
      return { replay: await storedAnswer(trx, keyed.userId, keyed.key, keyed.fingerprint) };
    }
    const { definitions, records } = this.deps;
    const workflow: CompiledWorkflow = await definitions.compiled(trx, row.definition_id);
    // The stored JSON is the engine's own state, written by the step before.
    const state = row.state as InstanceState;
    const ref: RecordRef = { app: row.app, form: row.form, recordId: row.record_id };
    const finished = state.status === 'finished';
    const [org, record] = finished
      ? [{ users: {}, departments: {}, admins: [] }, undefined]
      : await Promise.all([this.#orgs.at(trx, Number(row.org_version)), records.load(trx, ref)]);
    const now = this.deps.clock.now().toISOString();
    const result = advance(workflow, state, event, {
      now,
      utcOffsetMinutes: this.deps.clock.utcOffsetMinutes,
      org,
      ...(record === undefined ? {} : { record }),
    });
    if (result.effects.length === 0 && result.state === state) {
      const head = {
        instanceId,
        status: row.status,
        outcome: row.outcome,
        version: row.version,
        openTasks: openTasksOf(instanceId, state),
      };
      return { head, answerStored: false };
    }
    const writes = await applyEffects(
      { trx, instanceId, record: ref, actor, records, now },
      result.effects,
    );
    // The instance is locked: its row after the update is known now, and so is the answer.
    const head = headAfter(instanceId, row, result.state);
    const values = {
      ...updateValues(instanceId, row, result.state, now),
      // The key's answer: written only with a key (`also`).
      userId: keyed?.userId ?? '',
      key: keyed?.key ?? '',
      ...answerValues({ statusCode: 200, body: head }),
    };
    const updated = await writeStep<InstanceRow, typeof values>(trx, instanceId, now, writes, {
      shape: `locked|${keyed !== undefined}`,
      values,
      instance: (v) => this.#instanceUpdate(trx, v),
      also: keyed && ((v) => answerUpdate(trx, v)),
    });
    assertHead(instanceId, written(instanceId, updated), head);
    if (row.workflow_rules) {
      await afterWorkflowStep(this, trx, {
        instanceId,
        workflow: workflow.id,
        record: ref,
        actor,
        effects: result.effects,
      });
    }
    return { head, answerStored: keyed !== undefined };
  }
}

/** What an instance's update after a step to `next` from `row` writes. */
function updateValues(
  instanceId: string,
  row: { readonly finished_at: Date | null },
  next: InstanceState,
  now: string,
) {
  return {
    instanceId,
    state: JSON.stringify(next),
    status: next.status,
    outcome: next.outcome ?? null,
    updatedAt: now,
    finishedAt: next.status === 'finished' ? (row.finished_at ?? now) : null,
  };
}

/** The values of `#instanceUpdate` (maybe placeholders). */
type UpdateValues = ReturnType<typeof updateValues>;

/** The instance's columns a step's write answers. */
interface InstanceRow {
  readonly status: string;
  readonly outcome: string | null;
  readonly version: number;
}

/** The instance's summary once a step took it from `row` to `next` (one version on). */
function headAfter(instanceId: string, row: InstanceHead, next: InstanceState): InstanceSummary {
  return {
    instanceId,
    status: next.status,
    outcome: next.outcome ?? null,
    version: row.version + 1,
    openTasks: openTasksOf(instanceId, next),
  };
}

/** The row a step's write answered; a step's instance row cannot vanish under its lock. */
function written<R>(instanceId: string, row: R | undefined): R {
  if (row === undefined) throw new Error(`workflow ${instanceId}: the instance row is gone`);
  return row;
}

/** The write answered what the step computed, or the instance changed under the step. */
function assertHead(instanceId: string, updated: InstanceRow, head: InstanceSummary): void {
  if (updated.version !== head.version || updated.status !== head.status) {
    throw new Error(`workflow ${instanceId}: the instance changed under its lock`);
  }
}

/** The instance's status and open tasks, read from the database (for views and start). */
export async function summarize(
  db: Kysely<WorkflowDatabase> | Transaction<WorkflowDatabase>,
  instanceId: string,
): Promise<InstanceSummary> {
  const instance = await db
    .selectFrom('joinery.workflow_instances')
    .select(['status', 'outcome', 'version', 'state'])
    .where('id', '=', instanceId)
    .executeTakeFirstOrThrow();
  const { state, ...head } = instance;
  // The stored JSON is the engine's own state.
  return { instanceId, ...head, openTasks: openTasksOf(instanceId, state as InstanceState) };
}

/**
 * The open tasks of an instance, from the engine's state: the task table holds the same rows
 * (same ids, see `taskUuid`), written in the same transaction.
 */
function openTasksOf(instanceId: string, state: InstanceState): OpenTaskView[] {
  return Object.values(state.tasks)
    .map((task) => {
      const offered = task.candidates !== undefined;
      return {
        id: taskUuid(instanceId, task.id),
        key: task.id,
        nodeId: task.nodeId,
        kind: task.kind,
        assignees: [
          ...(offered ? (task.candidates ?? []) : task.assignee === null ? [] : [task.assignee]),
        ],
        offered,
        claimedBy: offered ? task.assignee : null,
        deadline: task.deadline ?? null,
        openedAt: task.openedAt,
      };
    })
    .sort((a, b) => a.openedAt.localeCompare(b.openedAt) || a.key.localeCompare(b.key))
    .map(({ openedAt: _sorted, ...view }) => view);
}
