import { JoineryError } from '@joinery/shared';
import { defaultOperators } from './default-operators.ts';
import type { CompiledArgument, CompileSite, OperatorRegistry } from './define-operator.ts';
import { type Evaluator, guarded, NO_CONTEXT, UNUSED_ENV } from './evaluator.ts';
import { canGenerate, generateCompiledLogic } from './generate-logic.ts';
import { appendPointer } from './json-pointer.ts';
import { RULE_LIMITS } from './limits.ts';
import type { LogicContext } from './logic-context.ts';
import { HOT_AFTER_CALLS, tieredLogic } from './tiered-logic.ts';

/**
 * A compiled expression: call it with the record (or any JSON data) and an optional context.
 * Evaluation never reads prototypes or globals, is bounded in work, and throws only
 * `JoineryError`s (`JNY_RULE_BUDGET_EXCEEDED`, `JNY_RULE_VALUE_TOO_LARGE`,
 * `JNY_RULE_EVALUATION_FAILED`).
 */
export type CompiledLogic = (data: unknown, context?: LogicContext) => unknown;

/** Options of `compileLogic`. */
export interface CompileOptions {
  /** The operator vocabulary; defaults to the standard operators plus Joinery's. */
  readonly operators?: OperatorRegistry;
  /**
   * `closures` (composed closures, runs anywhere), `generated` (one generated function — the
   * fast server path, see `generate-logic.ts`) or `auto` (the default): where the environment
   * allows building functions, tiered — closures first, generated once the rule is hot (see
   * `tiered-logic.ts`) — closures only otherwise (a browser under a strict CSP). All give
   * identical results.
   */
  readonly backend?: 'auto' | 'closures' | 'generated';
  /** With `auto`: the call from which a rule runs generated (default `HOT_AFTER_CALLS`). */
  readonly hotAfter?: number;
}

/**
 * Compiles a JSON-logic expression once into nested closures. Operators, arities, `var` paths
 * and constant sub-trees are resolved here, so a call does no parsing or lookup. Fails with a
 * `JoineryError` carrying the JSON pointer of the bad node (e.g. `/and/1/>`) for unknown
 * operators, wrong argument counts, objects that are not a single operation, too deep or too
 * large expressions, and unsafe regular expressions.
 */
export function compileLogic(logic: unknown, options: CompileOptions = {}): CompiledLogic {
  const compiler = new Compiler(options.operators ?? defaultOperators);
  const root = compiler.compile(logic, '', 0);
  if (root.constant) {
    const value = root.value;
    return () => value;
  }
  const backend = options.backend ?? 'auto';
  const usesEnv = compiler.usesEnv;
  // Returned as is: the generated function is the compiled logic, with no wrapper call.
  if (backend === 'generated') return generateCompiledLogic(root, usesEnv, true);
  const closures = closureLogic(root.evaluate, usesEnv);
  if (backend === 'closures' || !canGenerate()) return guarded({ logic: closures }, usesEnv);
  const hotAfter = options.hotAfter ?? HOT_AFTER_CALLS;
  // Tiered: the guard wraps both tiers, so the generated function is built without its own.
  return tieredLogic(
    closures,
    () => generateCompiledLogic(root, usesEnv, false),
    hotAfter,
    usesEnv,
  );
}

/**
 * True when `logic` reads the per-call env — the context (`$user`, `$now`…), the clock or the
 * step budget — so that two calls on the same data may answer differently (and its SQL
 * translation may differ between requests). Fails as `compileLogic` does.
 */
export function readsEnv(logic: unknown, operators: OperatorRegistry = defaultOperators): boolean {
  const compiler = new Compiler(operators);
  compiler.compile(logic, '', 0);
  return compiler.usesEnv;
}

/** The closures with the per-call env; errors are left to the guard (`guarded`). */
function closureLogic(evaluate: Evaluator, usesEnv: boolean): CompiledLogic {
  // Nothing reads the context, the clock or the budget: one shared env, no allocation.
  if (!usesEnv) return (data) => evaluate(data, UNUSED_ENV);
  return (data, context) => evaluate(data, { context: context ?? NO_CONTEXT, steps: 0 });
}

class Compiler {
  private nodes = 0;
  /** Whether any operation reads the per-call env (see `OperatorDefinition.usesEnv`). */
  usesEnv = false;

  constructor(private readonly operators: OperatorRegistry) {}

  compile(node: unknown, path: string, depth: number): CompiledArgument {
    this.nodes += 1;
    if (this.nodes > RULE_LIMITS.maxNodes) {
      throw new JoineryError('JNY_RULE_TOO_LARGE', { limit: RULE_LIMITS.maxNodes });
    }
    if (depth > RULE_LIMITS.maxDepth) {
      throw new JoineryError('JNY_RULE_TOO_DEEP', { limit: RULE_LIMITS.maxDepth, path });
    }
    if (Array.isArray(node)) return this.compileArray(node, path, depth);
    if (typeof node === 'object' && node !== null) {
      return this.compileOperation(node as Record<string, unknown>, path, depth);
    }
    if (typeof node === 'function' || typeof node === 'symbol' || typeof node === 'bigint') {
      throw new JoineryError('JNY_RULE_MALFORMED', { reason: 'not a JSON value', path });
    }
    return constant(node);
  }

  private compileArray(node: readonly unknown[], path: string, depth: number): CompiledArgument {
    const items = node.map((item, index) =>
      this.compile(item, appendPointer(path, index), depth + 1),
    );
    if (items.every((item) => item.constant)) {
      return constant(Object.freeze(items.map((item) => item.value)));
    }
    const evaluators = items.map((item) => item.evaluate);
    return dynamic((data, env) => evaluators.map((evaluate) => evaluate(data, env)));
  }

  private compileOperation(
    node: Record<string, unknown>,
    path: string,
    depth: number,
  ): CompiledArgument {
    const keys = Object.keys(node);
    const name = keys[0];
    if (keys.length !== 1 || name === undefined) {
      throw new JoineryError('JNY_RULE_MALFORMED', {
        reason: `an operation is an object with exactly one key, found ${keys.length}`,
        path,
      });
    }
    const operationPath = appendPointer(path, name);
    const operator = this.operators.get(name);
    if (!operator) {
      throw new JoineryError('JNY_RULE_UNKNOWN_OPERATOR', { operator: name, path: operationPath });
    }
    const raw = node[name];
    const rawArgs: readonly unknown[] = Array.isArray(raw) ? raw : [raw];
    const [min, max] = operator.arity;
    if (rawArgs.length < min || rawArgs.length > max) {
      throw new JoineryError('JNY_RULE_ARITY', {
        operator: name,
        expected: min === max ? String(min) : max === Infinity ? `${min}+` : `${min}–${max}`,
        actual: rawArgs.length,
        path: operationPath,
      });
    }
    const argumentPath = (index: number): string =>
      Array.isArray(raw) ? appendPointer(operationPath, index) : operationPath;
    const args = rawArgs.map((arg, index) => this.compile(arg, argumentPath(index), depth + 1));
    const site: CompileSite = { path: operationPath, argumentPath };
    const evaluate = operator.compile(args, site);
    const usesEnv = operator.usesEnv;
    if (usesEnv === true || (typeof usesEnv === 'function' && usesEnv(args))) this.usesEnv = true;
    if (operator.pure && args.every((arg) => arg.constant)) return fold(evaluate);
    return { evaluate, constant: false, value: undefined, operation: { operator, args } };
  }
}

function constant(value: unknown): CompiledArgument {
  return { evaluate: () => value, constant: true, value };
}

function dynamic(evaluate: Evaluator): CompiledArgument {
  return { evaluate, constant: false, value: undefined };
}

/**
 * Evaluates a pure operation over constants once. If that fails (a budget, a type error), the
 * operation stays dynamic so the error surfaces at evaluation, as it would without folding.
 */
function fold(evaluate: Evaluator): CompiledArgument {
  try {
    const value = evaluate(null, { context: NO_CONTEXT, steps: 0 });
    return constant(typeof value === 'object' && value !== null ? Object.freeze(value) : value);
  } catch {
    return dynamic(evaluate);
  }
}
