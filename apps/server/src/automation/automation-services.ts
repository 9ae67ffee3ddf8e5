import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../clock/clock.ts';
import type { JoineryDatabase } from '../database/schema.ts';
import type { FormRegistry } from '../metadata/form-registry.ts';
import { attachAutomation } from './automation-hooks.ts';
import { AutomationRuntime } from './automation-runtime.ts';

/**
 * Builds the automation runtime of a process and attaches it to the sources it listens to: the
 * `FormRegistry` every `RecordWriter` of the process is built with (record triggers) and the
 * workflow runtime (workflow events).
 */
export function createAutomationRuntime(deps: {
  readonly db: Kysely<JoineryDatabase>;
  readonly forms: FormRegistry;
  readonly clock: Clock;
  readonly logger: Pick<Logger, 'warn' | 'error'>;
  readonly workflowRuntime: object;
}): AutomationRuntime {
  const runtime = new AutomationRuntime(deps);
  attachAutomation(deps.forms, runtime);
  attachAutomation(deps.workflowRuntime, runtime);
  return runtime;
}
