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
  /**
   * Minutes east of UTC of the business day (`today` in branch conditions and computed fields);
   * the runtime passes its clock's. UTC when absent.
   */
  readonly utcOffsetMinutes?: number;
  readonly org: OrgSnapshot;
  readonly record?: Readonly<Record<string, unknown>>;
}

/** What rules read of the engine's time: the instant and the business day. */
export type EngineClock = Pick<WorkflowEnv, 'now' | 'utcOffsetMinutes'>;

/** The rule context of an engine clock (the runtime's `$now` and business day). */
export function clockContext(clock: EngineClock): { now: Date; utcOffsetMinutes?: number } {
  return {
    now: new Date(clock.now),
    ...(clock.utcOffsetMinutes === undefined ? {} : { utcOffsetMinutes: clock.utcOffsetMinutes }),
  };
}
