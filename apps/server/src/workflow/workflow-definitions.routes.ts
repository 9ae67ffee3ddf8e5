import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/authenticate.ts';
import { errorResponses } from '../http/schemas.ts';
import { FormParams, PublishedWorkflow } from './workflow-schemas.ts';
import type { WorkflowServices } from './workflow-services.ts';

/** Publishing and listing a form's workflow definitions (administrators). */
export const workflowDefinitionRoutes: FastifyPluginAsyncTypebox<{
  services: WorkflowServices;
}> = async (app, { services }) => {
  const { definitions } = services;

  app.post(
    '/api/apps/:app/forms/:form/workflows',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['workflow'],
        summary: "Publish a new version of one of the form's workflows",
        description:
          'The whole graph is validated first (reachability, every path ends, joins match their splits, branches have a way out); a 400 names each node at fault. Running instances keep the version they started on.',
        params: FormParams,
        body: Type.Object(
          {
            id: Type.String({ minLength: 1, maxLength: 63 }),
            nodes: Type.Array(Type.Object({}, { additionalProperties: true }), { minItems: 1 }),
          },
          { additionalProperties: true },
        ),
        response: { 201: PublishedWorkflow, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { app: appKey, form } = request.params;
      const published = await definitions.publish(
        appKey,
        form,
        request.body,
        principalOf(request).userId,
      );
      return reply.status(201).send(published);
    },
  );

  app.get(
    '/api/apps/:app/forms/:form/workflows',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['workflow'],
        summary: "The form's published workflows: the latest version of each, or every version",
        params: FormParams,
        querystring: Type.Object(
          { all: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(PublishedWorkflow) }), ...errorResponses },
      },
    },
    async (request) => {
      const { app: appKey, form } = request.params;
      return { items: await definitions.list(appKey, form, request.query.all !== true) };
    },
  );
};
