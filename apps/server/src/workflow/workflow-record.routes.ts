import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { isJoineryError } from '@joinery/shared';
import { Type } from 'typebox';
import { principalOf } from '../auth/authenticate.ts';
import { errorResponses } from '../http/schemas.ts';
import { assertCanSeeInstance } from './workflow-access.ts';
import { Key } from './workflow-schemas.ts';
import type { WorkflowServices } from './workflow-services.ts';

const Localized = Type.Object({ 'zh-CN': Type.String(), en: Type.String() });

const StepName = Type.Object({ nodeId: Type.String(), name: Localized });

const RecordInstance = Type.Object({
  instanceId: Type.String(),
  workflow: Type.String(),
  status: Type.String(),
  outcome: Type.Union([Type.String(), Type.Null()]),
  startedAt: Type.String(),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
});

/** A node's `name` as saved (a string or a LocalizedText) in both languages. */
function localizedName(name: unknown): { 'zh-CN': string; en: string } | undefined {
  if (typeof name === 'string') return { 'zh-CN': name, en: name };
  if (typeof name !== 'object' || name === null) return undefined;
  const text = name as Record<string, unknown>;
  const zh = typeof text['zh-CN'] === 'string' ? text['zh-CN'] : undefined;
  const en = typeof text.en === 'string' ? text.en : undefined;
  if (zh === undefined && en === undefined) return undefined;
  return { 'zh-CN': zh ?? en ?? '', en: en ?? zh ?? '' };
}

/**
 * What the browser needs to show a form's workflows next to its records: the names of the steps
 * (the inbox and the timeline name steps by node id), and the instances of one record that the
 * caller may see (the record page's timeline).
 */
export const workflowRecordRoutes: FastifyPluginAsyncTypebox<{
  services: WorkflowServices;
}> = async (app, { services }) => {
  const { db, definitions } = services;

  app.get(
    '/api/workflow/steps',
    {
      config: { access: 'user' },
      schema: {
        tags: ['workflow'],
        summary: "The step names of a form's workflows (every version; the newest name wins)",
        querystring: Type.Object({ app: Key, form: Key }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(StepName) }), ...errorResponses },
      },
    },
    async (request) => {
      const published = await definitions.list(request.query.app, request.query.form, false);
      const names = new Map<string, { 'zh-CN': string; en: string }>();
      // Newest first: the first name seen for a node is its current one.
      for (const workflow of published) {
        const nodes = (workflow.definition as { nodes?: unknown }).nodes;
        for (const node of Array.isArray(nodes) ? nodes : []) {
          const { id, name } = (node ?? {}) as { id?: unknown; name?: unknown };
          const text = localizedName(name);
          if (typeof id === 'string' && text && !names.has(id)) names.set(id, text);
        }
      }
      return { items: [...names].map(([nodeId, name]) => ({ nodeId, name })) };
    },
  );

  app.get(
    '/api/workflow/instances',
    {
      config: { access: 'user' },
      schema: {
        tags: ['workflow'],
        summary:
          'The workflow instances of one record that the caller may see (participants and admins), newest first',
        querystring: Type.Object(
          { app: Key, form: Key, recordId: Type.String({ minLength: 1, maxLength: 100 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(RecordInstance) }), ...errorResponses },
      },
    },
    async (request) => {
      const { app: appKey, form, recordId } = request.query;
      const rows = await db
        .selectFrom('joinery.workflow_instances as i')
        .innerJoin('joinery.workflow_definitions as d', 'd.id', 'i.definition_id')
        .select(['i.id', 'd.key', 'i.status', 'i.outcome', 'i.started_at', 'i.finished_at'])
        .where('i.app', '=', appKey)
        .where('i.form', '=', form)
        .where('i.record_id', '=', recordId)
        .orderBy('i.started_at', 'desc')
        .limit(20)
        .execute();
      const principal = principalOf(request);
      // The same rule as the timeline's: a record has few instances, each checked on its own.
      const visible = await Promise.all(
        rows.map((row) =>
          assertCanSeeInstance(db, principal, row.id).then(
            () => true,
            (error: unknown) => {
              if (isJoineryError(error)) return false;
              throw error;
            },
          ),
        ),
      );
      return {
        items: rows
          .filter((_, index) => visible[index])
          .map((row) => ({
            instanceId: row.id,
            workflow: row.key,
            status: row.status,
            outcome: row.outcome,
            startedAt: row.started_at.toISOString(),
            finishedAt: row.finished_at === null ? null : row.finished_at.toISOString(),
          })),
      };
    },
  );
};
