import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/authenticate.ts';
import { errorResponses, IdParams, Uuid } from '../http/schemas.ts';
import { WorkflowDelegations } from './workflow-delegations.ts';
import type { WorkflowServices } from './workflow-services.ts';

const Instant = Type.String({ format: 'date-time' });

const Delegation = Type.Object({
  id: Type.String(),
  userId: Type.String(),
  delegateId: Type.String(),
  startsAt: Type.String(),
  endsAt: Type.String(),
  reason: Type.Union([Type.String(), Type.Null()]),
  createdBy: Type.String(),
  createdAt: Type.String(),
  cancelledAt: Type.Union([Type.String(), Type.Null()]),
});

/**
 * Absence delegations (请假代理): declare one (for oneself; administrators for anyone), list
 * one's own and those one stands in for, cancel. Workflow steps read them at once.
 */
export const workflowDelegationRoutes: FastifyPluginAsyncTypebox<{
  services: WorkflowServices;
}> = async (app, { services }) => {
  const delegations = new WorkflowDelegations(services.db);
  const now = () => services.clock.now();

  app.post(
    '/api/workflow/delegations',
    {
      config: { access: 'user' },
      schema: {
        tags: ['workflow'],
        summary:
          'Declare an absence: from startsAt to endsAt, workflow tasks of the user go to the delegate',
        description:
          '`userId` defaults to the caller; only administrators may declare an absence for someone else. One absence at a time per user (409 when ranges overlap). The delegate is skipped where four-eyes rules exclude them (the submitter, or a step’s excluded deciders).',
        body: Type.Object(
          {
            userId: Type.Optional(Uuid),
            delegateId: Uuid,
            startsAt: Instant,
            endsAt: Instant,
            reason: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Delegation, ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { userId, delegateId, startsAt, endsAt, reason } = request.body;
      const created = await delegations.create(
        principal,
        {
          userId: userId ?? principal.userId,
          delegateId,
          startsAt: new Date(startsAt),
          endsAt: new Date(endsAt),
          reason,
        },
        now(),
      );
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/api/workflow/delegations',
    {
      config: { access: 'user' },
      schema: {
        tags: ['workflow'],
        summary: 'Absences of the caller (or, for administrators, of userId) and those they cover',
        querystring: Type.Object(
          { userId: Type.Optional(Uuid), past: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Delegation) }), ...errorResponses },
      },
    },
    async (request) => ({
      items: await delegations.list(principalOf(request), request.query, now()),
    }),
  );

  app.post(
    '/api/workflow/delegations/:id/cancel',
    {
      config: { access: 'user' },
      schema: {
        tags: ['workflow'],
        summary: 'Cancel an absence (its user, whoever declared it, or an administrator)',
        params: IdParams,
        response: { 200: Delegation, ...errorResponses },
      },
    },
    async (request) => delegations.cancel(principalOf(request), request.params.id, now()),
  );
};
