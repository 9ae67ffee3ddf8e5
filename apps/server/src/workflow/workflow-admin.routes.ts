import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { Type } from 'typebox';
import { principalOf } from '../auth/authenticate.ts';
import { errorResponses, IdParams } from '../http/schemas.ts';
import { IdempotencyHeaders, IdempotencyKey, InstanceSummary, Key } from './workflow-schemas.ts';
import type { WorkflowServices } from './workflow-services.ts';
import { idempotencyOf, sendAnswer } from './workflow-tasks.routes.ts';

const AdminInstance = Type.Object({
  id: Type.String(),
  app: Type.String(),
  form: Type.String(),
  recordId: Type.String(),
  submitter: Type.String(),
  status: Type.String(),
  outcome: Type.Union([Type.String(), Type.Null()]),
  startedAt: Type.String(),
  updatedAt: Type.String(),
  openTasks: Type.Integer(),
  failedJobs: Type.Integer(),
});

/** Administrators: running instances at a glance, and moving a stuck one. */
export const workflowAdminRoutes: FastifyPluginAsyncTypebox<{
  services: WorkflowServices;
}> = async (app, { services }) => {
  const { db, runtime } = services;

  app.get(
    '/api/admin/workflow/instances',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['workflow'],
        summary:
          'Instances not finished (or of a status), oldest change first, with open tasks and failed jobs',
        querystring: Type.Object(
          {
            status: Type.Optional(Type.Enum(['running', 'returned', 'finished'])),
            app: Type.Optional(Key),
            form: Type.Optional(Key),
            idleMinutes: Type.Optional(Type.Integer({ minimum: 0 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(AdminInstance), total: Type.Integer() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { status, app: appKey, form, idleMinutes, limit = 100, offset = 0 } = request.query;
      const idleSince =
        idleMinutes === undefined
          ? undefined
          : new Date(services.clock.now().getTime() - idleMinutes * 60_000);
      const base = db
        .selectFrom('joinery.workflow_instances as i')
        .$if(status === undefined, (q) => q.where('i.status', '<>', 'finished'))
        .$if(status !== undefined, (q) => q.where('i.status', '=', status ?? ''))
        .$if(appKey !== undefined, (q) => q.where('i.app', '=', appKey ?? ''))
        .$if(form !== undefined, (q) => q.where('i.form', '=', form ?? ''))
        .$if(idleSince !== undefined, (q) => q.where('i.updated_at', '<', idleSince ?? new Date()));
      const [rows, total] = await Promise.all([
        base
          .select((eb) => [
            'i.id',
            'i.app',
            'i.form',
            'i.record_id',
            'i.submitter',
            'i.status',
            'i.outcome',
            'i.started_at',
            'i.updated_at',
            eb
              .selectFrom('joinery.workflow_tasks as t')
              .select((t) => t.fn.countAll<number>().as('n'))
              .whereRef('t.instance_id', '=', 'i.id')
              .where('t.status', '=', 'open')
              .as('open_tasks'),
            // graphile-worker's public view: jobs given up after their last attempt.
            sql<number>`(SELECT count(*) FROM graphile_worker.jobs j
              WHERE j.key LIKE i.id::text || ':%' AND j.attempts >= j.max_attempts)`.as(
              'failed_jobs',
            ),
          ])
          .orderBy('i.updated_at')
          .limit(limit)
          .offset(offset)
          .execute(),
        base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return {
        total: Number(total.n),
        items: rows.map((r) => ({
          id: r.id,
          app: r.app,
          form: r.form,
          recordId: r.record_id,
          submitter: r.submitter,
          status: r.status,
          outcome: r.outcome,
          startedAt: r.started_at.toISOString(),
          updatedAt: r.updated_at.toISOString(),
          openTasks: Number(r.open_tasks ?? 0),
          failedJobs: Number(r.failed_jobs),
        })),
      };
    },
  );

  app.post(
    '/api/admin/workflow/instances/:id/move',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['workflow'],
        summary:
          'Move a stuck instance: cancel its running work and restart it at a node outside parallel branches (logged in the timeline)',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: Type.Object(
          {
            nodeId: Type.String({ minLength: 1, maxLength: 100 }),
            comment: Type.Optional(Type.String({ maxLength: 10_000 })),
            idempotencyKey: Type.Optional(IdempotencyKey),
          },
          { additionalProperties: false },
        ),
        response: { 200: InstanceSummary, ...errorResponses, 422: errorResponses[409] },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { idempotencyKey, nodeId, comment } = request.body;
      const answer = await runtime.act({
        instanceId: id,
        actor: principalOf(request).userId,
        action: { kind: 'move', nodeId, ...(comment === undefined ? {} : { comment }) },
        idempotency: idempotencyOf(request, idempotencyKey, { move: id, nodeId, comment }),
      });
      return sendAnswer(reply, answer);
    },
  );
};
