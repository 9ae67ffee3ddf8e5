import { argumentAt, type CompiledArgument, defineOperator, eager } from '../define-operator.ts';
import type { Evaluator } from '../evaluator.ts';
import { truthy } from '../truthy.ts';

function evaluators(args: readonly CompiledArgument[]): Evaluator[] {
  return args.map((arg) => arg.evaluate);
}

/** `if` / `?:`: if-then-elseif-…-else chains; no else gives null. */
function compileIf(args: readonly CompiledArgument[]): Evaluator {
  const all = evaluators(args);
  if (all.length === 0) return () => null;
  if (all.length === 3) {
    const test = argumentAt(args, 0);
    const then = argumentAt(args, 1);
    const otherwise = argumentAt(args, 2);
    return (data, env) => {
      const value = test(data, env);
      return (Array.isArray(value) ? value.length !== 0 : value)
        ? then(data, env)
        : otherwise(data, env);
    };
  }
  return (data, env) => {
    let index = 0;
    for (; index < all.length - 1; index += 2) {
      if (truthy((all[index] as Evaluator)(data, env))) {
        return (all[index + 1] as Evaluator)(data, env);
      }
    }
    return index === all.length - 1 ? (all[index] as Evaluator)(data, env) : null;
  };
}

const ifDoc = {
  'zh-CN': '条件分支：若…则…否则若…否则…',
  en: 'Branches: if … then … else if … else …',
};

/** `if`. */
export const ifOperator = defineOperator({
  name: 'if',
  version: 1,
  arity: [0, Infinity],
  pure: true,
  doc: ifDoc,
  compile: compileIf,
});

/** `?:`, the ternary spelling of `if`. */
export const ternaryOperator = defineOperator({
  name: '?:',
  version: 1,
  arity: [0, Infinity],
  pure: true,
  doc: ifDoc,
  compile: compileIf,
});

/** `and`: the first falsy value, or the last value. */
export const andOperator = defineOperator({
  name: 'and',
  version: 1,
  arity: [0, Infinity],
  pure: true,
  doc: { 'zh-CN': '并且：返回第一个假值或最后一个值', en: 'First falsy value, or the last one' },
  compile: (args) => {
    const all = evaluators(args);
    if (all.length === 0) return () => undefined;
    if (all.length === 1) return argumentAt(args, 0);
    if (all.length === 2) {
      const a = argumentAt(args, 0);
      const b = argumentAt(args, 1);
      return (data, env) => {
        const value = a(data, env);
        return (Array.isArray(value) ? value.length === 0 : !value) ? value : b(data, env);
      };
    }
    return (data, env) => {
      let value: unknown;
      for (const evaluate of all) {
        value = evaluate(data, env);
        if (!truthy(value)) return value;
      }
      return value;
    };
  },
});

/** `or`: the first truthy value, or the last value. */
export const orOperator = defineOperator({
  name: 'or',
  version: 1,
  arity: [0, Infinity],
  pure: true,
  doc: { 'zh-CN': '或者：返回第一个真值或最后一个值', en: 'First truthy value, or the last one' },
  compile: (args) => {
    const all = evaluators(args);
    if (all.length === 0) return () => undefined;
    if (all.length === 1) return argumentAt(args, 0);
    return (data, env) => {
      let value: unknown;
      for (const evaluate of all) {
        value = evaluate(data, env);
        if (truthy(value)) return value;
      }
      return value;
    };
  },
});

/** `!`: logical not, with JSON-logic truthiness. */
export const notOperator = defineOperator({
  name: '!',
  version: 1,
  arity: [1, 1],
  pure: true,
  doc: { 'zh-CN': '逻辑非', en: 'Logical not' },
  compile: eager((a) => !truthy(a)),
});

/** `!!`: JSON-logic truthiness as a boolean. */
export const notNotOperator = defineOperator({
  name: '!!',
  version: 1,
  arity: [1, 1],
  pure: true,
  doc: {
    'zh-CN': '转为布尔值（空数组为假）',
    en: 'Truthiness as a boolean (empty array is false)',
  },
  compile: eager((a) => truthy(a)),
});

/** The boolean and branching operators. */
export const logicOperators = [
  ifOperator,
  ternaryOperator,
  andOperator,
  orOperator,
  notOperator,
  notNotOperator,
];
