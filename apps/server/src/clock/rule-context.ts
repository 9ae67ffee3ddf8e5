import type { LogicContext } from '@joinery/rules';
import type { Clock } from './clock.ts';

/** A rule context with its clock and business day always set (what `ruleContext` makes). */
export type RuleContext = LogicContext & {
  readonly now: Date;
  readonly utcOffsetMinutes: number;
};

/**
 * The one context every condition the server evaluates or translates to SQL runs in — row
 * scopes, list filters, linkage, automation, workflow branches, reports: `$now` from the
 * injected clock and `today` as the deployment's business day (`JOINERY_UTC_OFFSET_MINUTES`),
 * so 2026-03-31T17:00Z is 2026-04-01 everywhere in a Beijing deployment.
 */
export function ruleContext(
  clock: Pick<Clock, 'now' | 'utcOffsetMinutes'>,
  user?: Readonly<Record<string, unknown>>,
): RuleContext {
  return {
    ...(user === undefined ? {} : { user }),
    now: clock.now(),
    utcOffsetMinutes: clock.utcOffsetMinutes,
  };
}
