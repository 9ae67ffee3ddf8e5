import { compileLogic, truthy } from '@joinery/rules';
import { isJoineryError } from '@joinery/shared';

/** A compiled branch condition over the record. */
export type Condition = (
  record: Readonly<Record<string, unknown>>,
  now: string,
  submitter: string,
) => boolean;

/**
 * Compiles a JSON-logic condition once (at definition load, not per evaluation). `$now` is the
 * engine's clock value and `$user.id` the submitter, so a condition never reads the system clock.
 * Returns a problem message instead of throwing, for the definition validator.
 */
export function compileCondition(logic: unknown): Condition | string {
  try {
    const compiled = compileLogic(logic);
    return (record, now, submitter) =>
      truthy(compiled(record, { now: new Date(now), user: { id: submitter } }));
  } catch (error) {
    if (isJoineryError(error)) return `invalid condition: ${error.message}`;
    throw error;
  }
}
