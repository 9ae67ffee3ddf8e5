import type { OrgSnapshot } from './org-snapshot.ts';

/**
 * Everything the engine may know about the world besides the instance state, supplied by the
 * runtime on each call as plain data: the clock (the runtime's injectable clock, so tests and
 * the test-mode API can move time), the organisation, and optionally the record as it is now
 * in the database (otherwise the engine uses its own copy of the record in the state).
 */
export interface WorkflowEnv {
  /** The current instant, ISO-8601 UTC. The engine never reads the system clock. */
  readonly now: string;
  readonly org: OrgSnapshot;
  readonly record?: Readonly<Record<string, unknown>>;
}
