import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { JoineryError } from '@joinery/shared';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { auditRequest } from '../audit/request-audit.ts';
import type { ApiTokenStore } from '../auth/api-token-store.ts';
import { principalOf } from '../auth/authenticate.ts';
import type { JoineryDatabase } from '../database/schema.ts';
import { errorResponses, IdParams } from '../http/schemas.ts';

const Token = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** API tokens for integrations: each user manages their own; the secret is shown once. */
export const apiTokenRoutes: FastifyPluginAsyncTypebox<{
  db: Kysely<JoineryDatabase>;
  tokens: ApiTokenStore;
}> = async (app, { db, tokens }) => {
  app.get(
    '/api/tokens',
    {
      config: { access: 'user' },
      schema: {
        tags: ['identity'],
        summary: 'My API tokens (without their secrets)',
        response: { 200: Type.Object({ items: Type.Array(Token) }), ...errorResponses },
      },
    },
    async (request) => {
      const rows = await db
        .selectFrom('joinery.api_tokens')
        .selectAll()
        .where('user_id', '=', principalOf(request).userId)
        .orderBy('created_at', 'desc')
        .execute();
      return {
        items: rows.map((row) => ({
          id: row.id,
          name: row.name,
          prefix: row.prefix,
          createdAt: row.created_at.toISOString(),
          lastUsedAt: iso(row.last_used_at),
          expiresAt: iso(row.expires_at),
          revokedAt: iso(row.revoked_at),
        })),
      };
    },
  );

  app.post(
    '/api/tokens',
    {
      config: { access: 'user' },
      schema: {
        tags: ['identity'],
        summary: 'Create an API token; the answer holds its secret, shown this once only',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            id: Type.String(),
            name: Type.String(),
            prefix: Type.String(),
            token: Type.String(),
            expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
          }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { name, expiresInDays } = request.body;
      const expiresAt = expiresInDays ? new Date(Date.now() + expiresInDays * 86_400_000) : null;
      const issued = await tokens.issue(principalOf(request).userId, name, expiresAt);
      await auditRequest(db, request, 'token.create', `token:${issued.id}`, {
        name,
        prefix: issued.prefix,
      });
      return reply.status(201).send({
        id: issued.id,
        name: issued.name,
        prefix: issued.prefix,
        token: issued.token,
        expiresAt: iso(issued.expires_at),
      });
    },
  );

  app.delete(
    '/api/tokens/:id',
    {
      config: { access: 'user' },
      schema: {
        tags: ['identity'],
        summary: 'Revoke one of my API tokens',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await db
        .updateTable('joinery.api_tokens')
        .set({ revoked_at: new Date() })
        .where('id', '=', request.params.id)
        .where('user_id', '=', principalOf(request).userId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) throw new JoineryError('JNY_TOKEN_NOT_FOUND');
      await auditRequest(db, request, 'token.revoke', `token:${request.params.id}`);
      return reply.status(204).send(null);
    },
  );
};
