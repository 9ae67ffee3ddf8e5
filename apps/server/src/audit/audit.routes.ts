import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import type { JoineryDatabase } from '../database/schema.ts';
import { errorResponses } from '../http/schemas.ts';
import { auditRequest } from './request-audit.ts';

const Entry = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorName: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  target: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  details: Type.Unknown(),
  hash: Type.String(),
});

/** The audit log for administrators: newest first, filtered, paged by id. Reading it is itself audited. */
export const auditRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<JoineryDatabase> }> = async (
  app,
  { db },
) => {
  app.get(
    '/api/audit',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['access'],
        summary: 'Audit log entries, newest first',
        querystring: Type.Object(
          {
            action: Type.Optional(Type.String({ maxLength: 100 })),
            actor: Type.Optional(Type.String({ maxLength: 100 })),
            target: Type.Optional(Type.String({ maxLength: 200 })),
            from: Type.Optional(Type.String({ format: 'date-time' })),
            to: Type.Optional(Type.String({ format: 'date-time' })),
            beforeId: Type.Optional(Type.Integer({ minimum: 1 })),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(Entry),
            nextBeforeId: Type.Union([Type.Integer(), Type.Null()]),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const q = request.query;
      let query = db
        .selectFrom('joinery.audit_log')
        .selectAll()
        .orderBy('id', 'desc')
        .limit(q.limit);
      if (q.action) query = query.where('action', '=', q.action);
      if (q.actor) query = query.where('actor_name', '=', q.actor);
      if (q.target) query = query.where('target', '=', q.target);
      if (q.from) query = query.where('at', '>=', new Date(q.from));
      if (q.to) query = query.where('at', '<', new Date(q.to));
      if (q.beforeId) query = query.where('id', '<', q.beforeId);
      const rows = await query.execute();
      await auditRequest(db, request, 'audit.view', null, { filters: q });
      return {
        items: rows.map((row) => ({
          id: row.id,
          at: row.at.toISOString(),
          actorId: row.actor_id,
          actorName: row.actor_name,
          action: row.action,
          target: row.target,
          ip: row.ip,
          details: row.details,
          hash: row.hash,
        })),
        nextBeforeId: rows.length === q.limit ? (rows[rows.length - 1]?.id ?? null) : null,
      };
    },
  );
};
