import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { JoineryError } from '@joinery/shared';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import type { JoineryDatabase } from '../database/schema.ts';
import { errorResponses } from '../http/schemas.ts';
import { ruleById } from './automation-rule.repository.ts';
import { hashSecret } from './automation-rule-store.ts';
import type { AutomationRuntime } from './automation-runtime.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The header other systems send the rule's secret in. */
export const HOOK_SECRET_HEADER = 'x-joinery-hook-secret';

/** Compares two hex SHA-256 digests in constant time. */
function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Inbound webhooks: another system posts a JSON object to `/api/hooks/:id` with the rule's
 * secret in `x-joinery-hook-secret`. The secret is hashed and compared with the stored hash in
 * constant time; an unknown rule and a wrong secret get the same 401, so the route tells nothing
 * about which rules exist. The rule runs in its own transaction, the payload as its data.
 */
export const inboundHookRoutes: FastifyPluginAsyncTypebox<{
  db: Kysely<JoineryDatabase>;
  automation: AutomationRuntime;
}> = async (app, { db, automation }) => {
  app.post(
    '/api/hooks/:id',
    {
      config: {
        access: 'public',
        rateLimit: { max: 600, timeWindow: '1 minute' },
      },
      schema: {
        tags: ['automation'],
        summary: "Trigger a webhook rule (authenticated by the rule's secret, not by a session)",
        security: [],
        params: Type.Object({ id: Type.String({ maxLength: 100 }) }),
        headers: Type.Object({
          [HOOK_SECRET_HEADER]: Type.Optional(Type.String({ maxLength: 200 })),
        }),
        body: Type.Record(Type.String(), Type.Unknown()),
        response: {
          202: Type.Object({ runId: Type.String(), status: Type.String() }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const secret = request.headers[HOOK_SECRET_HEADER];
      const found = UUID.test(id) ? await ruleById(db, id) : undefined;
      const expected = found?.hookSecretHash ?? hashSecret('no rule, compared anyway');
      const given = hashSecret(typeof secret === 'string' ? secret : '');
      const trigger = found?.stored.rule.trigger;
      if (!sameHash(given, expected) || !found || trigger?.kind !== 'webhook') {
        throw new JoineryError('JNY_AUTOMATION_HOOK_UNAUTHORIZED');
      }
      if (!found.enabled) throw new JoineryError('JNY_AUTOMATION_HOOK_DISABLED', { id });
      const { stored } = found;
      const result = await automation.runAlone(
        stored,
        {
          event: { kind: 'webhook', hook: trigger.hook, payload: request.body },
          subject: undefined,
          data: request.body,
          old: null,
          next: null,
          trigger: { kind: 'webhook', hook: trigger.hook, ip: request.ip },
        },
        stored.createdBy,
      );
      return reply.status(202).send(result);
    },
  );
};
