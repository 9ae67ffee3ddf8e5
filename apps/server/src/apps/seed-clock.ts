import { AsyncLocalStorage } from 'node:async_hooks';
import type { Clock } from '../clock/clock.ts';

/**
 * The clock of the demo seed's workflow steps: inside `at(instant, …)` it answers that instant
 * (per async context, so steps of different applications may run at once), elsewhere real
 * time. Seeded steps are then dated by the data — a submission at its application's
 * submission — instead of by the moment the seed ran. It cannot be moved otherwise.
 */
export class SeedClock implements Clock {
  readonly adjustable = false;
  readonly #instant = new AsyncLocalStorage<Date>();

  constructor(readonly utcOffsetMinutes: number) {}

  now(): Date {
    return new Date(this.#instant.getStore() ?? Date.now());
  }

  advance(): Date {
    throw new Error('The seed clock is moved only through at()');
  }

  /** Runs `work` with `now()` answering `instant`. */
  at<T>(instant: Date, work: () => Promise<T>): Promise<T> {
    return this.#instant.run(instant, work);
  }
}
