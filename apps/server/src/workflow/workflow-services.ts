import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { FieldCipher } from '../access/field-cipher.ts';
import { loadFieldCipher } from '../access/keyring-loader.ts';
import { automationJobHandlers } from '../automation/automation-jobs.ts';
import type { AutomationRuntime } from '../automation/automation-runtime.ts';
import { createAutomationRuntime } from '../automation/automation-services.ts';
import { type Clock, createClock } from '../clock/clock.ts';
import type { Config } from '../config/config.ts';
import type { JoineryDatabase } from '../database/schema.ts';
import { type JobWorker, startJobWorker } from '../jobs/job-worker.ts';
import { FormRegistry } from '../metadata/form-registry.ts';
import { FormRecords } from './form-records.ts';
import { OutboundPolicy } from './outbound-webhook.ts';
import { TaskForms } from './task-forms.ts';
import { WorkflowDefinitions } from './workflow-definitions.ts';
import { workflowJobHandlers } from './workflow-jobs.ts';
import type { WorkflowRecords } from './workflow-records.ts';
import { WorkflowRuntime } from './workflow-runtime.ts';
import { type WorkflowDatabase, workflowDb } from './workflow-tables.ts';

/**
 * Everything the workflow runtime is made of, built once per process and shared by the HTTP
 * routes and the job worker: one clock, one definition cache, one runtime.
 */
export interface WorkflowServices {
  readonly db: Kysely<WorkflowDatabase>;
  readonly clock: Clock;
  readonly definitions: WorkflowDefinitions;
  readonly runtime: WorkflowRuntime;
  readonly records: WorkflowRecords;
  readonly policy: OutboundPolicy;
  /** The published forms the records of workflow steps (and of the records API) are written with. */
  readonly forms: FormRegistry;
  /** The automation rules runtime, listening to record writes and workflow steps. */
  readonly automation: AutomationRuntime;
  /** The forms of the tasks this process opened or answered (see `TaskForms`). */
  readonly taskForms: TaskForms;
  /** The job worker once started (server start; tests that need timers start it too). */
  worker: JobWorker | undefined;
  /** Migrates graphile-worker's schema and starts taking jobs. */
  startWorker(pool: pg.Pool, options?: { pollInterval?: number }): Promise<JobWorker>;
  stopWorker(): Promise<void>;
}

/** Builds the workflow services from the configuration. */
export function createWorkflowServices(context: {
  readonly config: Config;
  readonly db: Kysely<JoineryDatabase>;
  readonly logger: Logger;
  readonly records?: WorkflowRecords;
  /**
   * The time every step is taken at; the configured clock when absent. The demo seed passes
   * one that answers each application's own moment, so its steps are dated as if taken then.
   */
  readonly clock?: Clock;
  /** Seals and opens sensitive fields; the configured keys' cipher when absent. */
  readonly cipher?: FieldCipher;
}): WorkflowServices {
  const { config, logger } = context;
  const db = workflowDb(context.db);
  const clock =
    context.clock ??
    createClock({
      testClock: config.testClock,
      nodeEnv: config.nodeEnv,
      utcOffsetMinutes: config.utcOffsetMinutes,
    });
  const definitions = new WorkflowDefinitions(db);
  const forms = new FormRegistry(context.db, {
    cipher: context.cipher ?? loadFieldCipher(config, logger),
  });
  const records =
    context.records ??
    new FormRecords(forms, {
      clock,
      submitterOf: async (trx, ref) => {
        const row = await trx
          .selectFrom('joinery.workflow_instances')
          .select('submitter')
          .where('app', '=', ref.app)
          .where('form', '=', ref.form)
          .where('record_id', '=', ref.recordId)
          .orderBy('started_at', 'desc')
          .executeTakeFirstOrThrow();
        return row.submitter;
      },
    });
  const runtime = new WorkflowRuntime({ db, clock, records, definitions, logger });
  const policy = new OutboundPolicy(config.outboundAllowlist);
  const automation = createAutomationRuntime({
    db: context.db,
    forms,
    clock,
    logger,
    workflowRuntime: runtime,
  });
  const services: WorkflowServices = {
    db,
    clock,
    definitions,
    runtime,
    records,
    policy,
    forms,
    automation,
    taskForms: new TaskForms(),
    worker: undefined,
    startWorker: async (pool, options) => {
      if (services.worker) return services.worker;
      services.worker = await startJobWorker({
        pool,
        db: context.db,
        logger,
        handlers: {
          ...workflowJobHandlers(runtime, policy, logger),
          ...automationJobHandlers({
            db: context.db,
            clock,
            policy,
            workflow: runtime,
            logger,
            automation,
          }),
        },
        concurrency: config.jobConcurrency,
        ...(options?.pollInterval === undefined ? {} : { pollInterval: options.pollInterval }),
      });
      return services.worker;
    },
    stopWorker: async () => {
      const worker = services.worker;
      services.worker = undefined;
      await worker?.stop();
    },
  };
  return services;
}
