import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { JoineryError } from '@joinery/shared';
import { fieldPermissionsOf, visibleFields } from '@joinery/workflow';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { principalOf, withStatementCredential } from '../auth/authenticate.ts';
import type { Principal } from '../auth/principal.ts';
import { errorResponses, IdParams } from '../http/schemas.ts';
import { fingerprintOf, type StoredAnswer } from './action-keys.ts';
import { engineRecord } from './form-records.ts';
import { viewableRecords } from './inbox-record-scope.ts';
import { inboxSearch } from './inbox-search.ts';
import { withSummaries } from './inbox-summaries.ts';
import { taskAction } from './task-action.ts';
import { actionableTask, visibleTask } from './workflow-access.ts';
import { assertAttachable } from './workflow-attachments.ts';
import { delegatedTasks } from './workflow-delegated-tasks.ts';
import { WorkflowInbox } from './workflow-inbox.ts';
import { assertPatchWritable, WorkflowRecordAccess } from './workflow-record-access.ts';
import {
  IdempotencyHeaders,
  InstanceSummary,
  Key,
  TaskActionBody,
  TaskListItem,
} from './workflow-schemas.ts';
import type { WorkflowServices } from './workflow-services.ts';

const Counts = Type.Object({
  todo: Type.Integer(),
  done: Type.Integer(),
  cc: Type.Integer(),
  started: Type.Integer(),
});

/** The idempotency key of a request: the `Idempotency-Key` header, else the body's field. */
function idempotencyKeyOf(request: FastifyRequest, bodyKey: string | undefined) {
  const header = request.headers['idempotency-key'];
  return typeof header === 'string' && header.length > 0 ? header : bodyKey;
}

/** The idempotency of a request: its key (see `idempotencyKeyOf`) and a hash of `what`. */
export function idempotencyOf(
  request: FastifyRequest,
  bodyKey: string | undefined,
  what: unknown,
): { key: string; fingerprint: string } | undefined {
  const key = idempotencyKeyOf(request, bodyKey);
  return key === undefined ? undefined : { key, fingerprint: fingerprintOf(what) };
}

/** Sends a step's (possibly replayed) answer. */
export function sendAnswer(reply: FastifyReply, answer: StoredAnswer) {
  return reply.status(answer.statusCode).send(answer.body);
}

/** The inbox: to-do, done, CC'd and started-by-me lists; a task's view; acting on a task. */
export const workflowTaskRoutes: FastifyPluginAsyncTypebox<{ services: WorkflowServices }> = async (
  app,
  { services },
) => {
  const { db, runtime, definitions, taskForms } = services;
  const inbox = new WorkflowInbox(db);
  const recordAccess = new WorkflowRecordAccess(db, services.forms);
  /** The open tasks the caller may act on for absent users (the engine's check). */
  const delegatedOf = (principal: Principal) => delegatedTasks(services, principal);
  /**
   * The task `id` and its record, if the caller may see the task and view its record (roles,
   * row scope); the same 404 otherwise, so a changed scope or a removed role closes the task.
   */
  const guardedTask = async (request: FastifyRequest, id: string) => {
    const principal = principalOf(request);
    const task = await visibleTask(db, principal, id, await delegatedOf(principal));
    const guarded = await recordAccess.read(
      request,
      task.record,
      () => new JoineryError('JNY_WORKFLOW_TASK_NOT_FOUND', { taskId: id }),
    );
    return { task, definitionId: task.definitionId, ...guarded };
  };

  app.get(
    '/api/workflow/tasks',
    {
      config: { access: 'user' },
      schema: {
        tags: ['workflow'],
        summary: "The caller's inbox: to-do, done, CC'd or started-by-me, with counts of each",
        description:
          'Only instances whose record the caller may view (roles, row scope), and delegated tasks the engine would let them act on. Each line carries the record’s fields the caller may read and the step shows, personal data masked unless their role may unmask it.',
        querystring: Type.Object(
          {
            box: Type.Optional(Type.Enum(['todo', 'done', 'cc', 'started'])),
            app: Type.Optional(Key),
            form: Type.Optional(Key),
            nodeId: Type.Optional(Type.String({ maxLength: 100 })),
            status: Type.Optional(Type.Enum(['running', 'returned', 'finished'])),
            overdue: Type.Optional(
              Type.Boolean({
                description:
                  'Only overdue work: tasks whose deadline passed while open; instances with an open task past its deadline',
              }),
            ),
            q: Type.Optional(
              Type.String({
                minLength: 1,
                maxLength: 200,
                description:
                  'Text search over the record’s fields the caller may read and sees in clear',
              }),
            ),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(TaskListItem), counts: Counts }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const user = principal.userId;
      const {
        box = 'todo',
        limit = 50,
        offset = 0,
        app: appKey,
        form,
        nodeId,
        status,
        overdue,
        q,
      } = request.query;
      const now = services.clock.now();
      const where = {
        ...(appKey === undefined ? {} : { app: appKey }),
        ...(form === undefined ? {} : { form }),
      };
      const filter = {
        ...where,
        ...(nodeId === undefined ? {} : { nodeId }),
        ...(status === undefined ? {} : { status }),
        ...(overdue === true ? { overdueAt: now } : {}),
        ...(q === undefined || q.trim() === ''
          ? {}
          : {
              matching: await inboxSearch(request, db, services.forms, recordAccess, q, where),
            }),
      };
      const viewer = {
        user,
        delegated: await delegatedOf(principal),
        records: await viewableRecords(request, db, services.forms, recordAccess),
      };
      const [items, counts] = await Promise.all([
        inbox.list(box, viewer, filter, { limit, offset }, now),
        inbox.counts(viewer, filter),
      ]);
      return { items: await withSummaries(request, services, recordAccess, items), counts };
    },
  );

  app.get(
    '/api/workflow/tasks/:id',
    {
      config: { access: 'user' },
      schema: {
        tags: ['workflow'],
        summary: "A task with the record's fields this step shows and which it lets edit",
        description:
          'Only fields both the step shows and the caller’s roles may read; personal data masked unless they may unmask it. A record outside the caller’s row scope answers 404.',
        params: IdParams,
        response: {
          200: Type.Object({
            id: Type.String(),
            instanceId: Type.String(),
            key: Type.String(),
            nodeId: Type.String(),
            /** The absent user a delegate does the task for (代理), else null, and their name. */
            onBehalfOf: Type.Union([Type.String(), Type.Null()]),
            onBehalfOfName: Type.Union([Type.String(), Type.Null()]),
            record: Type.Record(Type.String(), Type.Unknown()),
            visibleFields: Type.Array(Type.String()),
            editableFields: Type.Array(Type.String()),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { task, definitionId, form, guard, record } = await guardedTask(
        request,
        request.params.id,
      );
      const workflow = await definitions.compiled(db, definitionId);
      const permissions = fieldPermissionsOf(workflow, task.nodeId);
      const delegation = await db
        .selectFrom('joinery.workflow_tasks as t')
        .leftJoin('joinery.users as b', 'b.id', 't.on_behalf_of')
        .select(['t.on_behalf_of', 'b.display_name'])
        .where('t.id', '=', task.id)
        .executeTakeFirstOrThrow();
      // The caller's field rights first (unreadable fields gone, personal data masked, lookups
      // under their rights on the related form), then what the step shows.
      await recordAccess.present(form, guard, [record]);
      const { values } = record;
      const readable: Record<string, unknown> = {
        owner: record.owner,
        createdBy: record.createdBy,
        ...values,
      };
      const shown = visibleFields(permissions, Object.keys(readable));
      const hidden = new Set(permissions?.hidden ?? []);
      return {
        ...task,
        onBehalfOf: delegation.on_behalf_of,
        onBehalfOfName: delegation.display_name,
        record: Object.fromEntries(shown.map((field) => [field, readable[field]])),
        visibleFields: shown,
        editableFields: (permissions?.editable ?? []).filter(
          (f) => !hidden.has(f) && guard.canRead(f) && guard.canWrite(f),
        ),
      };
    },
  );

  app.post(
    '/api/workflow/tasks/:id/actions',
    {
      config: { access: 'user', verifiedInStatement: true },
      schema: {
        tags: ['workflow'],
        summary:
          'Act on a task: approve (with the step’s field edits), reject, return, transfer, add a signer, claim, release, comment, remind',
        description:
          'One transaction; send an `Idempotency-Key` header (or `idempotencyKey`) so a retried request returns the first answer and never acts twice. A task whose record the caller may no longer view answers 404; field edits need the caller’s write right on each field (403 naming them).',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: TaskActionBody,
        response: { 200: InstanceSummary, ...errorResponses, 422: errorResponses[409] },
      },
    },
    async (request, reply) => {
      const { idempotencyKey, ...input } = request.body;
      const id = request.params.id;
      // The task, with its instance as the step will read it (no lock), in one statement — the
      // record too when this process knows its form; else the record next. The record serves
      // the view check and the engine. That statement verifies a credential recalled from the
      // cache too: until it did, nothing is written.
      const hint = taskForms.of(id);
      const { principal, task } = await withStatementCredential(request, async (credential) => {
        const { principal } = credential;
        const task = await actionableTask(
          db,
          principal,
          id,
          await delegatedOf(principal),
          idempotencyKeyOf(request, idempotencyKey),
          hint && (await services.forms.get(hint.app, hint.form).catch(() => undefined)),
          credential,
        );
        return { principal, task };
      });
      taskForms.remember([task.id], task.record);
      const { guard, record } = await recordAccess.read(
        request,
        task.record,
        () => new JoineryError('JNY_WORKFLOW_TASK_NOT_FOUND', { taskId: id }),
        task.recordRow,
      );
      assertPatchWritable(guard, input.patch);
      await assertAttachable(
        db,
        services.forms,
        principal.userId,
        task.instanceId,
        input.attachments,
      );
      const answer = await runtime.act({
        instanceId: task.instanceId,
        actor: principal.userId,
        action: taskAction(task.key, input),
        idempotency: idempotencyOf(request, idempotencyKey, { task: task.id, input }),
        seen: {
          instance: task.instance,
          keyUsed: task.keyUsed,
          record: record.deletedAt === null ? engineRecord(record) : undefined,
        },
      });
      taskForms.rememberAnswer(answer, task.record);
      return sendAnswer(reply, answer);
    },
  );
};
