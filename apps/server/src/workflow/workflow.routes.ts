import type { FastifyPluginAsync } from 'fastify';
import { testClockRoutes } from '../clock/test-clock.routes.ts';
import { workflowAdminRoutes } from './workflow-admin.routes.ts';
import { workflowDefinitionRoutes } from './workflow-definitions.routes.ts';
import { workflowDelegationRoutes } from './workflow-delegations.routes.ts';
import { workflowInstanceRoutes } from './workflow-instances.routes.ts';
import { workflowRecordRoutes } from './workflow-record.routes.ts';
import type { WorkflowServices } from './workflow-services.ts';
import { workflowTaskRoutes } from './workflow-tasks.routes.ts';

/**
 * Every workflow route: definitions, instances, the inbox, step names and a record's instances,
 * admin views — and, in test mode only, the clock routes.
 */
export const workflowRoutes: FastifyPluginAsync<{ services: WorkflowServices }> = async (
  app,
  { services },
) => {
  await app.register(workflowDefinitionRoutes, { services });
  await app.register(workflowInstanceRoutes, { services });
  await app.register(workflowTaskRoutes, { services });
  await app.register(workflowDelegationRoutes, { services });
  await app.register(workflowRecordRoutes, { services });
  await app.register(workflowAdminRoutes, { services });
  if (services.clock.adjustable) {
    await app.register(testClockRoutes, { clock: services.clock, worker: () => services.worker });
  }
};
