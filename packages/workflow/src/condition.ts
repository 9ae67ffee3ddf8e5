import { compileLogic, truthy } from '@joinery/rules';
import { isJoineryError } from '@joinery/shared';
import { clockContext, type EngineClock } from './env.ts';

/** A compiled branch condition over the record. */
export type Condition = (
  record: Readonly<Record<string, unknown>>,
  clock: EngineClock,
  submitter: string,
) => boolean;

/**
 * Compiles a JSON-logic condition once (at definition load, not per evaluation). `$now` is the
 * engine's clock value, `today` its business day and `$user.id` the submitter, so a condition
 * never reads the system clock or the machine's time zone.
 * Returns a problem message instead of throwing, for the definition validator.
 */
export function compileCondition(logic: unknown): Condition | string {
  try {
    const compiled = compileLogic(logic);
    return (record, clock, submitter) =>
      truthy(compiled(record, { ...clockContext(clock), user: { id: submitter } }));
  } catch (error) {
    if (isJoineryError(error)) return `invalid condition: ${error.message}`;
    throw error;
  }
}
