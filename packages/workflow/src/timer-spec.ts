import { isIsoDuration, isIsoInstant, toInstant } from './duration.ts';
import type { EngineContext } from './engine-context.ts';
import { type Infer, object, optional, type SchemaProblem, string, variant } from './schema.ts';

/**
 * When a timer fires: `for` a duration after the node is reached, or `until` an instant given
 * literally (`at`) or read from a date field of the record (`field`).
 */
export const timerSchema = variant({
  for: object({ duration: string() }),
  until: object({ at: optional(string()), field: optional(string()) }),
});

/** A timer setting. */
export type TimerSpec = Infer<typeof timerSchema>;

/** Consistency checks of a timer setting. */
export function checkTimer(timer: TimerSpec, path: string): SchemaProblem[] {
  if (timer.kind === 'for') {
    return isIsoDuration(timer.duration)
      ? []
      : [{ path: `${path}/duration`, message: 'expected an ISO-8601 duration' }];
  }
  if ((timer.at === undefined) === (timer.field === undefined)) {
    return [{ path, message: 'give exactly one of at and field' }];
  }
  if (timer.at !== undefined && !isIsoInstant(timer.at)) {
    return [{ path: `${path}/at`, message: 'expected an ISO-8601 date or instant' }];
  }
  return [];
}

/**
 * The instant a timer fires. A missing or invalid date field fires at once (now), so an
 * instance never waits forever on bad data; the timeline says so.
 */
export function timerRunAt(ctx: EngineContext, timer: TimerSpec): string {
  if (timer.kind === 'for') return ctx.after(timer.duration);
  if (timer.at !== undefined) return toInstant(timer.at);
  const value = timer.field === undefined ? undefined : ctx.record()[timer.field];
  return typeof value === 'string' && isIsoInstant(value) ? toInstant(value) : ctx.now;
}
