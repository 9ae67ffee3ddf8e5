import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { JoineryError } from '@joinery/shared';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { principalOf } from '../auth/authenticate.ts';
import type { Clock } from '../clock/clock.ts';
import type { JoineryDatabase } from '../database/schema.ts';
import { errorResponses } from '../http/schemas.ts';
import { UserNotifications } from './user-notifications.ts';

const Nullable = (schema: ReturnType<typeof Type.String>) => Type.Union([schema, Type.Null()]);
const Source = Type.Union([Type.Literal('workflow'), Type.Literal('automation')]);

const Notification = Type.Object({
  id: Type.String(),
  source: Source,
  kind: Type.String(),
  title: Nullable(Type.String()),
  message: Nullable(Type.String()),
  app: Nullable(Type.String()),
  form: Nullable(Type.String()),
  recordId: Nullable(Type.String()),
  instanceId: Nullable(Type.String()),
  nodeId: Nullable(Type.String()),
  taskId: Nullable(Type.String()),
  dueAt: Nullable(Type.String()),
  createdAt: Type.String(),
  readAt: Nullable(Type.String()),
});

/**
 * A notification id: a workflow notification's number or an automation one's UUID — either way
 * a wrong shape is a 400, never a database error.
 */
const NotificationParams = Type.Object(
  {
    id: Type.String({
      pattern:
        '^([1-9][0-9]{0,17}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$',
    }),
  },
  { additionalProperties: false },
);

/**
 * The one notifications API: a user's messages from workflow steps (CC, reminders,
 * escalations…) and the tasks and messages automation rules open for them (with `dueAt`).
 * List them unread first, mark one or all read; every query is bound to the caller, and
 * someone else's id answers the same 404 as one that does not exist.
 */
export const notificationRoutes: FastifyPluginAsyncTypebox<{
  db: Kysely<JoineryDatabase>;
  clock: Clock;
}> = async (app, { db, clock }) => {
  const notifications = new UserNotifications(db);

  app.get(
    '/api/notifications',
    {
      config: { access: 'user' },
      schema: {
        tags: ['notifications'],
        summary: "The caller's notifications: unread first, then newest first, paged, with counts",
        querystring: Type.Object(
          {
            unread: Type.Optional(Type.Boolean()),
            kind: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
            source: Type.Optional(Source),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(Notification),
            total: Type.Integer(),
            unread: Type.Integer(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { limit = 50, offset = 0, ...filters } = request.query;
      return notifications.list(principalOf(request).userId, { ...filters, limit, offset });
    },
  );

  app.post(
    '/api/notifications/:id/read',
    {
      config: { access: 'user' },
      schema: {
        tags: ['notifications'],
        summary: 'Mark one of your notifications read (already read: unchanged)',
        params: NotificationParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (!(await notifications.markRead(principalOf(request).userId, id, clock.now()))) {
        throw new JoineryError('JNY_NOTIFICATION_NOT_FOUND', { id });
      }
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/notifications/read-all',
    {
      config: { access: 'user' },
      schema: {
        tags: ['notifications'],
        summary: 'Mark all your unread notifications read',
        response: { 200: Type.Object({ marked: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => ({
      marked: await notifications.markAllRead(principalOf(request).userId, clock.now()),
    }),
  );
};
