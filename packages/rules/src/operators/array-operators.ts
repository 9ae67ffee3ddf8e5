import { argumentAt, type CompiledArgument, defineOperator, eager } from '../define-operator.ts';
import { chargeSteps, checkArrayLength, type Evaluator } from '../evaluator.ts';
import { truthy } from '../truthy.ts';

type Env = Parameters<Evaluator>[1];
type Loop = (items: readonly unknown[], logic: Evaluator, env: Env) => unknown;

/**
 * Runs a scoped operator over an already evaluated source: the logic runs once per item with
 * the item as the data. Each item counts one step against the evaluation budget, so nested loops
 * over large arrays stop with `JNY_RULE_BUDGET_EXCEEDED` instead of running for minutes. Shared
 * by the closures and the code generator.
 */
function runner(loop: Loop, notArray: () => unknown) {
  return (items: unknown, logic: Evaluator, env: Env): unknown => {
    if (!Array.isArray(items)) return notArray();
    chargeSteps(env, items.length);
    return loop(items, logic, env);
  };
}

/** The loops of map, filter, all, some and none, by operator name. */
export const scopedRunners: Readonly<Record<string, ReturnType<typeof runner>>> = {
  // A fresh [] each time: json-logic-js's results are never shared (`!==` tells them apart).
  map: runner(
    (items, logic, env) => items.map((item) => logic(item, env)),
    () => [],
  ),
  filter: runner(
    (items, logic, env) => items.filter((item) => truthy(logic(item, env))),
    () => [],
  ),
  all: runner(
    (items, logic, env) => items.length > 0 && items.every((item) => truthy(logic(item, env))),
    () => false,
  ),
  some: runner(
    (items, logic, env) => items.some((item) => truthy(logic(item, env))),
    () => false,
  ),
  none: runner(
    (items, logic, env) => !items.some((item) => truthy(logic(item, env))),
    () => true,
  ),
};

/** `reduce` over an evaluated source: the logic reads `current` and `accumulator`. */
export function runReduce(items: unknown, logic: Evaluator, initial: unknown, env: Env): unknown {
  if (!Array.isArray(items)) return initial;
  chargeSteps(env, items.length);
  let accumulator = initial;
  for (const current of items) accumulator = logic({ current, accumulator }, env);
  return accumulator;
}

function scoped(name: string, zh: string, en: string) {
  const run = scopedRunners[name];
  if (!run) throw new Error(`No loop for ${name}`);
  return defineOperator({
    name,
    version: 1,
    arity: [2, 2],
    pure: true,
    usesEnv: true,
    doc: { 'zh-CN': zh, en },
    compile: (args: readonly CompiledArgument[]) => {
      const source = argumentAt(args, 0);
      const logic = argumentAt(args, 1);
      return (data, env) => run(source(data, env), logic, env);
    },
  });
}

/** The array operators of the standard: iteration, `merge` and `in`. */
export const arrayOperators = [
  scoped('map', '对数组每一项求值', 'Evaluates the logic for each item'),
  scoped('filter', '保留使逻辑为真的项', 'Keeps the items for which the logic is truthy'),
  scoped(
    'all',
    '所有项为真（空数组为假）',
    'True when every item passes (false for an empty array)',
  ),
  scoped('some', '至少一项为真', 'True when at least one item passes'),
  scoped('none', '没有任何项为真', 'True when no item passes'),
  defineOperator({
    name: 'reduce',
    version: 1,
    arity: [2, 3],
    pure: true,
    usesEnv: true,
    doc: {
      'zh-CN': '归约：逻辑中用 current 与 accumulator',
      en: 'Folds the array; the logic reads current and accumulator',
    },
    compile: (args) => {
      const source = argumentAt(args, 0);
      const logic = argumentAt(args, 1);
      const initialOf = args[2]?.evaluate;
      return (data, env) =>
        runReduce(source(data, env), logic, initialOf ? initialOf(data, env) : null, env);
    },
  }),
  defineOperator({
    name: 'merge',
    version: 1,
    arity: [0, Infinity],
    pure: true,
    doc: { 'zh-CN': '合并为一个数组（展开一层）', en: 'Concatenates into one flat array' },
    compile: eager((...values) => {
      let length = 0;
      for (const value of values) length += Array.isArray(value) ? value.length : 1;
      checkArrayLength(length);
      return ([] as unknown[]).concat(...values);
    }),
  }),
  defineOperator({
    name: 'in',
    version: 1,
    arity: [2, 2],
    pure: true,
    doc: {
      'zh-CN': '是否在数组中 / 是否为子串',
      en: 'Membership in an array, or substring of a string',
    },
    compile: eager((needle, haystack) => {
      if (!haystack) return false;
      if (typeof haystack === 'string') return haystack.indexOf(needle as string) !== -1;
      if (Array.isArray(haystack)) return haystack.indexOf(needle) !== -1;
      return false;
    }),
  }),
];
