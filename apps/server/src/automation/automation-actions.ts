import type { AutomationAction, LogicContext } from '@joinery/rules';
import { JoineryError } from '@joinery/shared';
import { type Kysely, sql } from 'kysely';
import type { JoineryDatabase } from '../database/schema.ts';
import { enqueueJob } from '../jobs/job-queue.ts';
import type { FormRegistry, PublishedForm } from '../metadata/form-registry.ts';
import { attachRelated } from '../records/record-reader.ts';
import { type RecordBody, rowToRecord } from '../records/record-values.ts';
import { RecordWriter, type WriteContext } from '../records/record-writer.ts';
import { pickOwner } from './assign-owner.ts';
import {
  AUTOMATION_START_WORKFLOW_JOB,
  AUTOMATION_WEBHOOK_JOB,
  type StartWorkflowJobPayload,
  type WebhookJobPayload,
} from './automation-job-payloads.ts';
import type { StoredRule } from './automation-rule.repository.ts';
import { automationDb } from './automation-tables.ts';
import { evaluate, evaluateValues, fillTemplate } from './evaluate-logic.ts';
import { lockRecord } from './read-record.ts';
import type { ActionOutcome } from './run-log.ts';
import { setRows } from './set-rows.ts';
import { deadlineOf } from './task-deadline.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The record a run acts on: the triggering record (absent for schedules and webhooks). A
 * date-relative rule on subform rows names the row too: `set_fields` writes the row, the other
 * actions act on its parent record.
 */
export interface Subject {
  readonly form: PublishedForm;
  readonly id: string;
  readonly row?: { readonly subform: string; readonly id: string };
}

/** Everything an action runs with: the run's transaction, its rule, its record, its people. */
export interface ActionScope {
  readonly trx: Kysely<JoineryDatabase>;
  readonly forms: FormRegistry;
  readonly stored: StoredRule;
  readonly runId: string;
  readonly triggerKind: string;
  readonly subject: Subject | undefined;
  /** What the expressions read (the record, or the webhook's payload). */
  readonly data: unknown;
  readonly logic: LogicContext;
  /** Who writes: the user whose write triggered the rule (or the rule's author). */
  readonly write: WriteContext;
  /** Rule ids of the chain, this rule included (carried into jobs). */
  readonly chain: readonly string[];
  /** Records rewritten by the chain so far (`form/id` → record), kept by the runtime. */
  readonly latest: Map<string, RecordBody>;
}

/** `form/id`: the key of a record across the forms of an app. */
export function recordKey(form: PublishedForm, id: string): string {
  return `${form.appKey}/${form.formKey}/${id}`;
}

function subjectOf(scope: ActionScope, action: AutomationAction): Subject {
  if (!scope.subject) {
    throw new JoineryError('JNY_AUTOMATION_NO_RECORD', {
      action: action.type,
      trigger: scope.triggerKind,
    });
  }
  return scope.subject;
}

async function updateRecord(
  scope: ActionScope,
  form: PublishedForm,
  id: string,
  values: Record<string, unknown>,
): Promise<RecordBody> {
  const before = await lockRecord(scope.trx, form, id);
  const writer = new RecordWriter(scope.trx, scope.forms, form, scope.write);
  return writer.update(id, before.version, values);
}

function userIds(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.filter((item): item is string => typeof item === 'string' && UUID.test(item));
}

/** Keeps the ids of enabled users; refuses when none is left. */
async function existingUsers(
  scope: ActionScope,
  action: AutomationAction,
  value: unknown,
): Promise<string[]> {
  const ids = [...new Set(userIds(value))];
  const found =
    ids.length === 0
      ? []
      : await scope.trx
          .selectFrom('joinery.users')
          .select('id')
          .where('id', 'in', ids)
          .where('disabled', '=', false)
          .execute();
  if (found.length === 0) {
    throw new JoineryError('JNY_AUTOMATION_ASSIGNEE_INVALID', {
      action: action.type,
      value: JSON.stringify(value ?? null),
    });
  }
  return found.map((row) => row.id);
}

/** Rewrites one subform row of a record, keeping the other rows and every row id. */
async function updateRow(
  scope: ActionScope,
  subject: Subject & { row: NonNullable<Subject['row']> },
  values: Record<string, unknown>,
): Promise<RecordBody> {
  const { form, id, row } = subject;
  const before = await lockRecord(scope.trx, form, id);
  await attachRelated(scope.trx, scope.forms, form, [before], new Set([row.subform]));
  const rows = (before.values[row.subform] as Record<string, unknown>[] | null) ?? [];
  if (!rows.some((item) => item.id === row.id)) {
    throw new JoineryError('JNY_RECORD_NOT_FOUND', { id: row.id });
  }
  const next = rows.map((item) => (item.id === row.id ? { ...item, ...values } : item));
  const writer = new RecordWriter(scope.trx, scope.forms, form, scope.write);
  return writer.update(id, before.version, { [row.subform]: next });
}

async function notifyUsers(
  scope: ActionScope,
  users: readonly string[],
  kind: 'task' | 'notification',
  title: string,
  dueAt: Date | null = null,
): Promise<void> {
  await automationDb(scope.trx)
    .insertInto('joinery.notifications')
    .values(
      users.map((user) => ({
        user_id: user,
        kind,
        title: fillTemplate(title, scope.data).slice(0, 1000),
        app: scope.stored.appKey,
        form: scope.subject?.form.formKey ?? null,
        record_id: scope.subject?.id ?? null,
        rule_id: scope.stored.id,
        created_at: scope.write.now,
        due_at: dueAt,
      })),
    )
    .execute();
}

/**
 * Runs one action in the run's transaction. Data changes go through `RecordWriter` (validation,
 * formulas, history, rollups — and the rules those writes trigger, one level deeper in the
 * chain); slow work (webhooks, workflow starts) is enqueued in the same transaction, so it
 * happens exactly when the triggering change commits.
 */
export async function runAction(
  scope: ActionScope,
  action: AutomationAction,
  index: number,
): Promise<ActionOutcome> {
  const base = { index, type: action.type };
  switch (action.type) {
    case 'set_fields': {
      const subject = subjectOf(scope, action);
      const values = evaluateValues(action.values, scope.data, scope.logic);
      const { row } = subject;
      const record = row
        ? await updateRow(scope, { ...subject, row }, values)
        : await updateRecord(scope, subject.form, subject.id, values);
      return {
        ...base,
        status: 'done',
        detail: {
          recordId: record.id,
          ...(row ? { rowId: row.id } : {}),
          fields: Object.keys(values),
        },
      };
    }
    case 'create_record': {
      const form = await scope.forms.get(scope.stored.appKey, action.form, scope.trx);
      const values = evaluateValues(action.values, scope.data, scope.logic);
      const writer = new RecordWriter(scope.trx, scope.forms, form, scope.write);
      const record = await writer.create(values);
      return { ...base, status: 'done', detail: { form: action.form, recordId: record.id } };
    }
    case 'update_related': {
      const subject = subjectOf(scope, action);
      const field = subject.form.fields.get(action.relation);
      const target = String(field?.definition.config?.form ?? '');
      if (field?.definition.type !== 'relation' || target === '') {
        throw new JoineryError('JNY_AUTOMATION_RELATION_INVALID', {
          form: subject.form.formKey,
          relation: action.relation,
        });
      }
      const record = await lockRecord(scope.trx, subject.form, subject.id);
      const relatedId = record.values[action.relation];
      if (typeof relatedId !== 'string') {
        return { ...base, status: 'skipped', detail: { reason: 'no related record' } };
      }
      const form = await scope.forms.get(scope.stored.appKey, target, scope.trx);
      const values = evaluateValues(action.values, scope.data, scope.logic);
      await updateRecord(scope, form, relatedId, values);
      return { ...base, status: 'done', detail: { form: target, recordId: relatedId } };
    }
    case 'start_workflow': {
      const subject = subjectOf(scope, action);
      const key = `automation:start:${scope.runId}:${index}`;
      await enqueueJob(scope.trx, {
        task: AUTOMATION_START_WORKFLOW_JOB,
        payload: {
          runId: scope.runId,
          index,
          app: scope.stored.appKey,
          form: subject.form.formKey,
          recordId: subject.id,
          workflow: action.workflow,
          submitter: scope.write.userId,
          chain: [...scope.chain],
        } satisfies StartWorkflowJobPayload,
        key,
        maxAttempts: 5,
      });
      return { ...base, status: 'queued', detail: { workflow: action.workflow, job: key } };
    }
    case 'open_task': {
      let assignee: unknown;
      if (action.assignee !== undefined) {
        assignee = evaluate(action.assignee, scope.data, scope.logic);
      } else {
        const subject = subjectOf(scope, action);
        assignee = (await lockRecord(scope.trx, subject.form, subject.id)).owner;
      }
      const users = await existingUsers(scope, action, assignee);
      const dueAt = action.deadline
        ? deadlineOf(action.deadline, scope.data, scope.logic, scope.write.now)
        : null;
      await notifyUsers(scope, users, 'task', action.title, dueAt);
      return { ...base, status: 'done', detail: { users, dueAt: dueAt?.toISOString() ?? null } };
    }
    case 'notify': {
      const users = await existingUsers(
        scope,
        action,
        evaluate(action.to, scope.data, scope.logic),
      );
      await notifyUsers(scope, users, 'notification', action.message);
      return { ...base, status: 'done', detail: { users } };
    }
    case 'call_webhook': {
      const key = `automation:webhook:${scope.runId}:${index}`;
      // Only what the rule names leaves the server: no body, no record data.
      const body = action.body ? evaluateValues(action.body, scope.data, scope.logic) : null;
      await enqueueJob(scope.trx, {
        task: AUTOMATION_WEBHOOK_JOB,
        payload: {
          runId: scope.runId,
          index,
          url: action.url,
          body: {
            idempotencyKey: key,
            rule: { id: scope.stored.id, name: scope.stored.rule.name },
            trigger: scope.triggerKind,
            ...(scope.subject
              ? { record: { form: scope.subject.form.formKey, id: scope.subject.id } }
              : {}),
            data: body,
          },
        } satisfies WebhookJobPayload,
        key,
        maxAttempts: 5,
      });
      return { ...base, status: 'queued', detail: { url: action.url, job: key } };
    }
    case 'assign_owner': {
      const subject = subjectOf(scope, action);
      const before = await lockRecord(scope.trx, subject.form, subject.id);
      const owner = await pickOwner(scope.trx, {
        ruleId: scope.stored.id,
        // `department:Sales {channel}`: the team may name fields of the record.
        team: fillTemplate(action.team, scope.data),
        strategy: action.strategy,
        form: subject.form,
      });
      let record = await setOwner(scope, subject.form, before, owner);
      if (action.field !== undefined) {
        // The chosen member in a user field too (e.g. a case's `collector`), as any field write.
        const writer = new RecordWriter(scope.trx, scope.forms, subject.form, scope.write);
        record = await writer.update(subject.id, record.version, { [action.field]: owner });
      }
      scope.latest.set(recordKey(subject.form, subject.id), record);
      return {
        ...base,
        status: 'done',
        detail: { owner, ...(action.field ? { field: action.field } : {}) },
      };
    }
    case 'set_rows': {
      const { status, ...detail } = await setRows(scope, subjectOf(scope, action), action);
      return { ...base, status, detail };
    }
    case 'refuse':
      // Thrown inside the write's transaction: the write and everything the rules did roll back.
      throw new JoineryError('JNY_AUTOMATION_REFUSED', {
        zh: fillTemplate(action.message['zh-CN'], scope.data),
        en: fillTemplate(action.message.en, scope.data),
      });
  }
}

/**
 * The owner is a system column, not a field, so `RecordWriter` does not write it: the column is
 * set here with the same bookkeeping (version, updated by, history).
 */
async function setOwner(
  scope: ActionScope,
  form: PublishedForm,
  before: RecordBody,
  owner: string,
): Promise<RecordBody> {
  // Table identifiers come from published metadata; values are bound parameters.
  const updated = await sql<Record<string, unknown>>`
    update ${sql.id(form.table.schema, form.table.table)}
    set owner = ${owner}, version = version + 1, updated_at = now(),
        updated_by = ${scope.write.userId}
    where id = ${before.id} returning *`.execute(scope.trx);
  const record = rowToRecord(updated.rows[0] as Record<string, unknown>, form.table.columns);
  await sql`insert into joinery.record_history
      (form_id, record_id, action, record_version, changes, changed_by)
      values (${form.formId}, ${record.id}, 'update', ${record.version},
              ${JSON.stringify({ owner: { from: before.owner, to: owner } })},
              ${scope.write.userId})`.execute(scope.trx);
  await attachRelated(scope.trx, scope.forms, form, [record]);
  return record;
}
