import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { JoineryError } from '@joinery/shared';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { auditRequest } from '../audit/request-audit.ts';
import { principalOf } from '../auth/authenticate.ts';
import type { JoineryDatabase } from '../database/schema.ts';
import { errorResponses } from '../http/schemas.ts';
import type { AutomationRuleStore } from './automation-rule-store.ts';
import {
  AppParams,
  RuleInput,
  RuleParams,
  RuleSchema,
  RuleWithSecret,
  RunQuery,
  RunSchema,
} from './automation-schemas.ts';
import { automationDb } from './automation-tables.ts';

const tags = ['automation'];

/**
 * Administration of automation rules per app — create, replace, enable, disable, delete, rotate
 * a webhook's secret, list — and the run log (every run: trigger, condition result, actions,
 * errors, duration), filtered by rule, status, result and time.
 */
export const automationRoutes: FastifyPluginAsyncTypebox<{
  db: Kysely<JoineryDatabase>;
  rules: AutomationRuleStore;
}> = async (app, { db, rules }) => {
  const base = '/api/apps/:app/automation-rules';

  app.get(
    base,
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'The automation rules of an app',
        params: AppParams,
        response: { 200: Type.Object({ items: Type.Array(RuleSchema) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await rules.list(request.params.app) }),
  );

  app.get(
    `${base}/:id`,
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'One automation rule',
        params: RuleParams,
        response: { 200: RuleSchema, ...errorResponses },
      },
    },
    async (request) => rules.get(request.params.app, request.params.id),
  );

  app.post(
    base,
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary:
          'Create an automation rule (validated by the rules engine: a refusal names the JSON pointer of the problem); a webhook rule answers its secret this once',
        params: AppParams,
        body: RuleInput,
        response: { 201: RuleWithSecret, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { app: appKey } = request.params;
      const created = await rules.create(
        appKey,
        request.body,
        principalOf(request).userId,
        (trx, rule) =>
          auditRequest(trx, request, 'automation.rule.create', `automation-rule:${rule.id}`, {
            app: appKey,
            after: rule,
          }),
      );
      return reply.status(201).send({ ...created.rule, hookSecret: created.hookSecret });
    },
  );

  app.put(
    `${base}/:id`,
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary:
          'Replace an automation rule (its revision goes up; a waiting schedule is replaced)',
        params: RuleParams,
        body: RuleInput,
        response: { 200: RuleSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { app: appKey, id } = request.params;
      return rules.update(appKey, id, request.body, (trx, before, after) =>
        auditRequest(trx, request, 'automation.rule.update', `automation-rule:${id}`, {
          app: appKey,
          before,
          after,
        }),
      );
    },
  );

  for (const [verb, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    app.post(
      `${base}/:id/${verb}`,
      {
        config: { access: 'admin' },
        schema: {
          tags,
          summary: `${verb === 'enable' ? 'Enable' : 'Disable'} an automation rule`,
          params: RuleParams,
          response: { 200: RuleSchema, ...errorResponses },
        },
      },
      async (request) => {
        const { app: appKey, id } = request.params;
        return rules.update(appKey, id, { enabled }, (trx) =>
          auditRequest(trx, request, `automation.rule.${verb}`, `automation-rule:${id}`, {
            app: appKey,
          }),
        );
      },
    );
  }

  app.post(
    `${base}/:id/secret`,
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: "Rotate a webhook rule's secret (answered this once; the old one stops working)",
        params: RuleParams,
        response: { 200: RuleWithSecret, ...errorResponses },
      },
    },
    async (request) => {
      const { app: appKey, id } = request.params;
      const rotated = await rules.rotateSecret(appKey, id);
      await auditRequest(db, request, 'automation.rule.secret', `automation-rule:${id}`, {
        app: appKey,
      });
      return { ...rotated.rule, hookSecret: rotated.hookSecret };
    },
  );

  app.delete(
    `${base}/:id`,
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Delete an automation rule and its run log',
        params: RuleParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { app: appKey, id } = request.params;
      await rules.remove(appKey, id, (trx, before) =>
        auditRequest(trx, request, 'automation.rule.delete', `automation-rule:${id}`, {
          app: appKey,
          before,
        }),
      );
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/apps/:app/automation-runs',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary:
          'The run log of an app, newest first: trigger, condition result, actions done, error, duration',
        params: AppParams,
        querystring: RunQuery,
        response: { 200: Type.Object({ items: Type.Array(RunSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const { app: appKey } = request.params;
      const { rule, status, matched, since, until, limit = 100 } = request.query;
      const appRow = await db
        .selectFrom('joinery.apps')
        .select('id')
        .where('key', '=', appKey)
        .executeTakeFirst();
      if (!appRow) throw new JoineryError('JNY_APP_NOT_FOUND', { app: appKey });
      const rows = await automationDb(db)
        .selectFrom('joinery.automation_runs as x')
        .innerJoin('joinery.automation_rules as r', 'r.id', 'x.rule_id')
        .select([
          'x.id',
          'x.rule_id',
          'r.name',
          'x.trigger',
          'x.chain',
          'x.matched',
          'x.status',
          'x.actions',
          'x.error',
          'x.started_at',
          'x.duration_ms',
        ])
        .where('x.app_id', '=', appRow.id)
        .$if(rule !== undefined, (q) => q.where('x.rule_id', '=', rule ?? ''))
        .$if(status !== undefined, (q) => q.where('x.status', '=', status ?? ''))
        .$if(matched !== undefined, (q) => q.where('x.matched', '=', matched ?? false))
        .$if(since !== undefined, (q) => q.where('x.started_at', '>=', new Date(since ?? 0)))
        .$if(until !== undefined, (q) => q.where('x.started_at', '<', new Date(until ?? 0)))
        .orderBy('x.started_at', 'desc')
        .orderBy('x.id')
        .limit(limit)
        .execute();
      return {
        items: rows.map((row) => ({
          id: row.id,
          ruleId: row.rule_id,
          ruleName: row.name,
          trigger: row.trigger as Record<string, unknown>,
          chain: row.chain as string[],
          matched: row.matched,
          status: row.status,
          actions: row.actions as { index: number; type: string; status: string }[],
          error: row.error as { code: string | null; message: string } | null,
          startedAt: new Date(row.started_at).toISOString(),
          durationMs: row.duration_ms,
        })),
      };
    },
  );
};
