import { StartupError } from '@joinery/postgres';

/**
 * Where the server reads the time for everything the workflow engine decides (task opening,
 * deadlines, timers). One instance per process, injected — never `new Date()` in workflow code —
 * so the test mode can move time forward and deadlines are tested end to end without sleeping.
 */
export interface Clock {
  /** The current instant. */
  now(): Date;
  /** True when time can be moved by the test-mode API. */
  readonly adjustable: boolean;
  /** Moves time forward by `ms` (test mode only; throws otherwise). */
  advance(ms: number): Date;
  /**
   * Minutes east of UTC of the deployment's calendar (`JOINERY_UTC_OFFSET_MINUTES`): which day
   * `now` is for rules (`today`, overdue days), passed to every rule evaluation as
   * `utcOffsetMinutes`.
   */
  readonly utcOffsetMinutes: number;
}

/** Beijing time, the calendar of a deployment that sets none. */
export const DEFAULT_UTC_OFFSET_MINUTES = 480;

/** Real time. */
export class SystemClock implements Clock {
  readonly adjustable = false;
  constructor(readonly utcOffsetMinutes = DEFAULT_UTC_OFFSET_MINUTES) {}
  now(): Date {
    return new Date();
  }
  advance(): Date {
    throw new Error('The system clock cannot be moved');
  }
}

/**
 * Real time plus an offset that only grows. Used only when `JOINERY_TEST_CLOCK=true`, which
 * start-up refuses under `NODE_ENV=production`.
 */
export class TestClock implements Clock {
  readonly adjustable = true;
  #offsetMs = 0;
  constructor(readonly utcOffsetMinutes = DEFAULT_UTC_OFFSET_MINUTES) {}
  now(): Date {
    return new Date(Date.now() + this.#offsetMs);
  }
  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw new Error('The test clock only moves forward');
    this.#offsetMs += ms;
    return this.now();
  }
}

/** The clock for a configuration; the test clock is refused in production. */
export function createClock(options: {
  testClock: boolean;
  nodeEnv: string | undefined;
  utcOffsetMinutes: number;
}): Clock {
  if (!options.testClock) return new SystemClock(options.utcOffsetMinutes);
  if (options.nodeEnv === 'production') {
    throw new StartupError(
      'JOINERY_TEST_CLOCK=true is refused when NODE_ENV=production: the test clock lets an administrator move time',
    );
  }
  return new TestClock(options.utcOffsetMinutes);
}
