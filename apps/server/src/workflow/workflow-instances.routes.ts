import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { JoineryError } from '@joinery/shared';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { principalOf } from '../auth/authenticate.ts';
import { errorResponses, IdParams } from '../http/schemas.ts';
import { instanceAction } from './task-action.ts';
import { assertCanSeeInstance } from './workflow-access.ts';
import { assertAttachable } from './workflow-attachments.ts';
import { delegatedTasks } from './workflow-delegated-tasks.ts';
import { assertPatchWritable, WorkflowRecordAccess } from './workflow-record-access.ts';
import { summarize } from './workflow-runtime.ts';
import {
  IdempotencyHeaders,
  IdempotencyKey,
  InstanceActionBody,
  InstanceSummary,
  Key,
  TimelineEntry,
} from './workflow-schemas.ts';
import type { WorkflowServices } from './workflow-services.ts';
import { idempotencyOf, sendAnswer } from './workflow-tasks.routes.ts';

const StartBody = Type.Object(
  {
    app: Key,
    form: Key,
    recordId: Type.String({ minLength: 1, maxLength: 100 }),
    /** The workflow's key; may be left out when the form has only one. */
    workflow: Type.Optional(Type.String({ minLength: 1, maxLength: 63 })),
    idempotencyKey: Type.Optional(IdempotencyKey),
  },
  { additionalProperties: false },
);

/** Starting instances, acting on them as a whole, their timeline, and external events. */
export const workflowInstanceRoutes: FastifyPluginAsyncTypebox<{
  services: WorkflowServices;
}> = async (app, { services }) => {
  const { db, runtime } = services;
  const recordAccess = new WorkflowRecordAccess(db, services.forms);
  /**
   * 404 unless the caller may see the instance (a participant, or standing in for one) and
   * may view its record (roles and row scope, as the records API checks them); the record and
   * its guard otherwise.
   */
  const assertReadable = async (request: FastifyRequest, id: string) => {
    const principal = principalOf(request);
    const delegated = await delegatedTasks(services, principal);
    await assertCanSeeInstance(db, principal, id, delegated);
    const ref = await db
      .selectFrom('joinery.workflow_instances')
      .select(['app', 'form', 'record_id as recordId'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return recordAccess.read(
      request,
      ref,
      () => new JoineryError('JNY_WORKFLOW_RUNTIME_INSTANCE_NOT_FOUND'),
    );
  };

  app.post(
    '/api/workflow/instances',
    {
      config: { access: 'user' },
      schema: {
        tags: ['workflow'],
        summary: "Submit a record: start its form's workflow (the caller is the submitter)",
        headers: IdempotencyHeaders,
        body: StartBody,
        response: { 201: InstanceSummary, ...errorResponses, 422: errorResponses[409] },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { idempotencyKey, workflow, ...record } = request.body;
      // Only a record the submitter may view can be submitted (else 404, as if it did not exist).
      await recordAccess.read(
        request,
        record,
        () =>
          new JoineryError('JNY_WORKFLOW_RUNTIME_RECORD_NOT_FOUND', {
            form: record.form,
            recordId: record.recordId,
          }),
      );
      const answer = await runtime.start({
        record,
        workflow,
        submitter: principal.userId,
        idempotency: idempotencyOf(request, idempotencyKey, { start: record, workflow }),
      });
      services.taskForms.rememberAnswer(answer, record);
      return sendAnswer(reply, answer);
    },
  );

  app.get(
    '/api/workflow/instances/:id',
    {
      config: { access: 'user' },
      schema: {
        tags: ['workflow'],
        summary: 'An instance: its record, status and open tasks (participants and admins only)',
        params: IdParams,
        response: {
          200: Type.Object({
            ...InstanceSummary.properties,
            app: Type.String(),
            form: Type.String(),
            recordId: Type.String(),
            submitter: Type.String(),
            workflow: Type.String(),
            workflowVersion: Type.Integer(),
            startedAt: Type.String(),
            finishedAt: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { id } = request.params;
      await assertReadable(request, id);
      const row = await db
        .selectFrom('joinery.workflow_instances as i')
        .innerJoin('joinery.workflow_definitions as d', 'd.id', 'i.definition_id')
        .select([
          'i.app',
          'i.form',
          'i.record_id',
          'i.submitter',
          'd.key',
          'd.version',
          'i.started_at',
          'i.finished_at',
        ])
        .where('i.id', '=', id)
        .executeTakeFirstOrThrow();
      return {
        ...(await summarize(db, id)),
        app: row.app,
        form: row.form,
        recordId: row.record_id,
        submitter: row.submitter,
        workflow: row.key,
        workflowVersion: row.version,
        startedAt: row.started_at.toISOString(),
        finishedAt: row.finished_at === null ? null : row.finished_at.toISOString(),
      };
    },
  );

  app.get(
    '/api/workflow/instances/:id/timeline',
    {
      config: { access: 'user' },
      schema: {
        tags: ['workflow'],
        summary: 'Who did what and when, with comments, and the time spent per step',
        params: IdParams,
        response: {
          200: Type.Object({
            entries: Type.Array(TimelineEntry),
            steps: Type.Array(
              Type.Object({
                nodeId: Type.String(),
                decisions: Type.Integer(),
                timeSpentMs: Type.Number(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { id } = request.params;
      await assertReadable(request, id);
      const rows = await db
        .selectFrom('joinery.workflow_history as h')
        .leftJoin('joinery.users as u', 'u.id', 'h.actor')
        .leftJoin('joinery.users as b', 'b.id', 'h.on_behalf_of')
        .select([
          'h.at',
          'h.actor',
          'u.display_name',
          'h.action',
          'h.node_id',
          'h.task_key',
          'h.on_behalf_of',
          'b.display_name as on_behalf_of_name',
          'h.comment',
          'h.attachments',
          'h.time_spent_ms',
          'h.details',
        ])
        .where('h.instance_id', '=', id)
        .orderBy('h.id')
        .execute();
      const steps = new Map<string, { decisions: number; timeSpentMs: number }>();
      for (const r of rows) {
        if (r.node_id === null || r.time_spent_ms === null) continue;
        const step = steps.get(r.node_id) ?? { decisions: 0, timeSpentMs: 0 };
        steps.set(r.node_id, {
          decisions: step.decisions + 1,
          timeSpentMs: step.timeSpentMs + Number(r.time_spent_ms),
        });
      }
      return {
        entries: rows.map((r) => ({
          at: r.at.toISOString(),
          actor: r.actor,
          actorName: r.display_name,
          action: r.action,
          nodeId: r.node_id,
          taskKey: r.task_key,
          onBehalfOf: r.on_behalf_of,
          onBehalfOfName: r.on_behalf_of_name,
          comment: r.comment,
          attachments: r.attachments ?? [],
          timeSpentMs: r.time_spent_ms === null ? null : Number(r.time_spent_ms),
          details: r.details,
        })),
        steps: [...steps].map(([nodeId, s]) => ({ nodeId, ...s })),
      };
    },
  );

  app.post(
    '/api/workflow/instances/:id/actions',
    {
      config: { access: 'user' },
      schema: {
        tags: ['workflow'],
        summary:
          'Act on the whole instance: withdraw or resubmit (submitter), remind, comment, cancel (admin)',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: InstanceActionBody,
        response: { 200: InstanceSummary, ...errorResponses, 422: errorResponses[409] },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { id } = request.params;
      const { guard } = await assertReadable(request, id);
      const { idempotencyKey, ...input } = request.body;
      assertPatchWritable(guard, input.patch);
      await assertAttachable(db, services.forms, principal.userId, id, input.attachments);
      const answer = await runtime.act({
        instanceId: id,
        actor: principal.userId,
        action: instanceAction(input),
        idempotency: idempotencyOf(request, idempotencyKey, { instance: id, input }),
      });
      return sendAnswer(reply, answer);
    },
  );

  app.post(
    '/api/workflow/instances/:id/events',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['workflow'],
        summary:
          'Deliver an external event to an instance (kept if it arrives before the instance waits for it)',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            payload: Type.Optional(Type.Unknown()),
            idempotencyKey: Type.Optional(IdempotencyKey),
          },
          { additionalProperties: false },
        ),
        response: { 200: InstanceSummary, ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { name, payload, idempotencyKey } = request.body;
      const key = idempotencyOf(request, idempotencyKey, null)?.key;
      const summary = await runtime.deliver(id, {
        type: 'external',
        name,
        ...(payload === undefined ? {} : { payload }),
        ...(key === undefined ? {} : { idempotencyKey: `event:${key}` }),
      });
      if (!summary) throw new JoineryError('JNY_WORKFLOW_RUNTIME_INSTANCE_NOT_FOUND');
      return summary;
    },
  );
};
