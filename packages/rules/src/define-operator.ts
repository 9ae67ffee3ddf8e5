import type { LocalizedText } from '@joinery/shared';
import type { Evaluator } from './evaluator.ts';

/** An argument of an operation after compilation: its evaluator and, if known, its constant. */
export interface CompiledArgument {
  readonly evaluate: Evaluator;
  /** True when the argument does not depend on the data, the context or the clock. */
  readonly constant: boolean;
  /** The argument's value when `constant` is true. */
  readonly value: unknown;
  /** For an operation: its operator and compiled arguments (the code generator reads them). */
  readonly operation?: {
    readonly operator: OperatorDefinition;
    readonly args: readonly CompiledArgument[];
  };
}

/** What an operator's `compile` knows about the place it is compiled at. */
export interface CompileSite {
  /** JSON pointer of the operation, e.g. `/and/1/>` (ends with the operator name). */
  readonly path: string;
  /** JSON pointer of argument `index`, for errors about one argument. */
  argumentPath(index: number): string;
}

/**
 * One operator of the closed JSON-logic vocabulary. Operators are plain data plus a `compile`
 * function that turns compiled arguments into an evaluator once, at compile time; nothing about
 * the operator is looked up per evaluation.
 */
export interface OperatorDefinition<N extends string = string> {
  readonly name: N;
  /**
   * Bumped when the meaning changes. A saved expression never changes meaning silently: a
   * behaviour change gets a new operator name, the old one stays registered.
   */
  readonly version: number;
  /** Accepted argument counts, inclusive (`Infinity` for variadic). */
  readonly arity: readonly [min: number, max: number];
  /**
   * True when the result depends only on the arguments: no data, context, clock or side effect.
   * Pure operations over constant arguments are folded at compile time.
   */
  readonly pure: boolean;
  /**
   * Whether evaluation reads the per-call env (the context, the clock or the step budget).
   * Expressions where no operation does skip allocating one per call. A function decides from
   * the compiled arguments (`var` needs it only for `$` paths and computed paths).
   */
  readonly usesEnv?: boolean | ((args: readonly CompiledArgument[]) => boolean);
  /** Short description for the operator list, in every supported language. */
  readonly doc: LocalizedText;
  /** Builds the evaluator. May throw a `JoineryError` about its arguments (e.g. a bad pattern). */
  readonly compile: (args: readonly CompiledArgument[], site: CompileSite) => Evaluator;
}

/** Declares an operator; checks its shape at start-up and freezes it. */
export function defineOperator<const N extends string>(
  definition: OperatorDefinition<N>,
): OperatorDefinition<N> {
  const [min, max] = definition.arity;
  if (!/^[a-z_!=<>+\-*/%?:]+$/.test(definition.name)) {
    throw new Error(`Operator name ${definition.name} is not allowed`);
  }
  if (!(min >= 0 && max >= min) || !Number.isInteger(definition.version)) {
    throw new Error(`Operator ${definition.name}: bad arity or version`);
  }
  return Object.freeze(definition);
}

/** A set of operators by name, checked for duplicates when built. */
export type OperatorRegistry = ReadonlyMap<string, OperatorDefinition>;

/** Builds a registry from groups of operators; a name defined twice is a start-up error. */
export function createOperatorRegistry(
  ...groups: readonly (readonly OperatorDefinition[])[]
): OperatorRegistry {
  const registry = new Map<string, OperatorDefinition>();
  for (const group of groups) {
    for (const operator of group) {
      if (registry.has(operator.name)) throw new Error(`Operator ${operator.name} defined twice`);
      registry.set(operator.name, operator);
    }
  }
  return registry;
}

/** Argument `index` of a compiled operation; the arity check guarantees it exists. */
export function argumentAt(args: readonly CompiledArgument[], index: number): Evaluator {
  const argument = args[index];
  if (!argument) throw new Error(`Missing argument ${index} (arity check bypassed)`);
  return argument.evaluate;
}

/**
 * The `compile` of an operator built with `eager`, carrying the plain function so the code
 * generator can call it directly on generated argument expressions.
 */
export type EagerCompile = ((args: readonly CompiledArgument[]) => Evaluator) & {
  readonly eagerApply: (...values: unknown[]) => unknown;
};

/**
 * Builds the evaluator of an operator that evaluates all its arguments first and then applies
 * `apply` — specialised by argument count so no array is built per call for up to 3 arguments.
 */
export function eager(apply: (...values: unknown[]) => unknown): EagerCompile {
  const compile = (args: readonly CompiledArgument[]): Evaluator => {
    switch (args.length) {
      case 0:
        return () => apply();
      case 1: {
        const a = argumentAt(args, 0);
        return (data, env) => apply(a(data, env));
      }
      case 2: {
        const a = argumentAt(args, 0);
        const b = argumentAt(args, 1);
        return (data, env) => apply(a(data, env), b(data, env));
      }
      case 3: {
        const a = argumentAt(args, 0);
        const b = argumentAt(args, 1);
        const c = argumentAt(args, 2);
        return (data, env) => apply(a(data, env), b(data, env), c(data, env));
      }
      default: {
        const all = args.map((argument) => argument.evaluate);
        return (data, env) => apply(...all.map((evaluate) => evaluate(data, env)));
      }
    }
  };
  return Object.assign(compile, { eagerApply: apply });
}
