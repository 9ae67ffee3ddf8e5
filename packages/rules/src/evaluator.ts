import { isJoineryError, JoineryError } from '@joinery/shared';
import type { CompiledLogic } from './compile-logic.ts';
import { RULE_LIMITS } from './limits.ts';
import type { LogicContext } from './logic-context.ts';

/**
 * The state of one evaluation: the context and the work done so far. A fresh one is made for
 * every call of a compiled expression, so budgets are per evaluation.
 */
export interface EvaluationEnv {
  readonly context: LogicContext;
  steps: number;
}

/** A compiled node: reads the current data (the record, or the item inside `map`) and the env. */
export type Evaluator = (data: unknown, env: EvaluationEnv) => unknown;

/** Counts `count` steps against the per-evaluation budget; throws once it is spent. */
export function chargeSteps(env: EvaluationEnv, count: number): void {
  env.steps += count;
  if (env.steps > RULE_LIMITS.maxSteps) {
    throw new JoineryError('JNY_RULE_BUDGET_EXCEEDED', { limit: RULE_LIMITS.maxSteps });
  }
}

/** Refuses arrays longer than the limit, before they are built. */
export function checkArrayLength(length: number): void {
  if (length > RULE_LIMITS.maxArrayLength) {
    throw new JoineryError('JNY_RULE_VALUE_TOO_LARGE', {
      kind: 'array',
      limit: RULE_LIMITS.maxArrayLength,
    });
  }
}

/** Refuses strings longer than the limit. Returns the string for chaining. */
export function checkString(value: string): string {
  if (value.length > RULE_LIMITS.maxStringLength) {
    throw new JoineryError('JNY_RULE_VALUE_TOO_LARGE', {
      kind: 'string',
      limit: RULE_LIMITS.maxStringLength,
    });
  }
  return value;
}

/** The context of a call without one. */
export const NO_CONTEXT: LogicContext = Object.freeze({});

/** The env of expressions that never read it; frozen, so a wrong `usesEnv` flag fails loudly. */
export const UNUSED_ENV: EvaluationEnv = Object.freeze({ context: NO_CONTEXT, steps: 0 });

/** Any failure during evaluation becomes a catalogue error: a client can never cause a 500. */
export function asRuleError(error: unknown): JoineryError {
  if (isJoineryError(error)) return error;
  if (error instanceof RangeError) {
    return new JoineryError('JNY_RULE_EVALUATION_FAILED', { reason: 'a value grew too large' });
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new JoineryError('JNY_RULE_EVALUATION_FAILED', { reason });
}

/**
 * What a caller of a closures or tiered rule calls: `target.logic` (which the tiered backend
 * swaps once the rule is hot) with every failure turned into a catalogue error. The one guard of
 * the rule, so the tiers inside carry none — a smaller generated function, which V8 optimizes
 * after fewer calls. Passes `context` on only to rules that read it: V8 calls a function faster
 * with as many arguments as it declares.
 */
export function guarded(target: { logic: CompiledLogic }, readsContext: boolean): CompiledLogic {
  if (!readsContext) {
    return (data) => {
      try {
        return target.logic(data);
      } catch (error) {
        throw asRuleError(error);
      }
    };
  }
  return (data, context) => {
    try {
      return target.logic(data, context);
    } catch (error) {
      throw asRuleError(error);
    }
  };
}
