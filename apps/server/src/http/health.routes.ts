import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { JoineryError } from '@joinery/shared';
import { type Kysely, sql } from 'kysely';
import { Type } from 'typebox';
import type { JoineryDatabase } from '../database/schema.ts';
import { ErrorResponse } from './schemas.ts';

const Status = Type.Object({ status: Type.String() });

/** Liveness (`/healthz`: the process answers) and readiness (`/readyz`: the database answers). */
export const healthRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<JoineryDatabase> }> = async (
  app,
  { db },
) => {
  app.get(
    '/healthz',
    { config: { access: 'public' }, schema: { tags: ['health'], response: { 200: Status } } },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/readyz',
    {
      config: { access: 'public' },
      schema: { tags: ['health'], response: { 200: Status, 503: ErrorResponse } },
    },
    async (request) => {
      try {
        await sql`SELECT 1`.execute(db);
      } catch (error) {
        request.log.warn({ err: error }, 'database not ready');
        throw new JoineryError('JNY_SERVER_UNAVAILABLE');
      }
      return { status: 'ready' };
    },
  );
};
