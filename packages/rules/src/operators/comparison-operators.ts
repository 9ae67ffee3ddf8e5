import { argumentAt, type CompiledArgument, defineOperator } from '../define-operator.ts';
import type { Evaluator } from '../evaluator.ts';

type Compare = (a: unknown, b: unknown) => boolean;

/**
 * A two-argument comparison with JavaScript's (json-logic-js's) semantics. A constant right-hand
 * side is inlined, which is the common shape of a condition (`{">": [{"var": "x"}, 5]}`).
 */
function binary(compare: Compare) {
  return (args: readonly CompiledArgument[]): Evaluator => {
    const a = argumentAt(args, 0);
    const right = args[1];
    if (right?.constant) {
      const b = right.value;
      return (data, env) => compare(a(data, env), b);
    }
    const b = argumentAt(args, 1);
    return (data, env) => compare(a(data, env), b(data, env));
  };
}

/** `<` / `<=` also take three arguments: `a < b < c` (“between”). */
function between(compare: Compare) {
  const pair = binary(compare);
  return (args: readonly CompiledArgument[]): Evaluator => {
    if (args.length === 2) return pair(args);
    const a = argumentAt(args, 0);
    const b = argumentAt(args, 1);
    const c = argumentAt(args, 2);
    return (data, env) => {
      const x = a(data, env);
      const y = b(data, env);
      const z = c(data, env);
      return z === undefined ? compare(x, y) : compare(x, y) && compare(y, z);
    };
  };
}

// The loose operators are the JSON-logic spec: it defines them as JavaScript's.
// biome-ignore lint/suspicious/noDoubleEquals: JSON-logic `==` is JavaScript loose equality
const looseEqual: Compare = (a, b) => a == b;
// biome-ignore lint/suspicious/noDoubleEquals: JSON-logic `!=` is JavaScript loose inequality
const looseNotEqual: Compare = (a, b) => a != b;
const less: Compare = (a, b) => (a as number) < (b as number);
const lessOrEqual: Compare = (a, b) => (a as number) <= (b as number);
const greater: Compare = (a, b) => (a as number) > (b as number);
const greaterOrEqual: Compare = (a, b) => (a as number) >= (b as number);

function comparison(
  name: string,
  compare: Compare,
  zh: string,
  en: string,
  arity: readonly [number, number] = [2, 2],
) {
  const compile = arity[1] === 3 ? between(compare) : binary(compare);
  return defineOperator({ name, version: 1, arity, pure: true, doc: { 'zh-CN': zh, en }, compile });
}

/** The equality and ordering operators, with JavaScript's coercions as the spec requires. */
export const comparisonOperators = [
  comparison('==', looseEqual, '宽松相等（1 == "1"）', 'Loose equality (1 == "1")'),
  comparison('===', (a, b) => a === b, '严格相等', 'Strict equality'),
  comparison('!=', looseNotEqual, '宽松不等', 'Loose inequality'),
  comparison('!==', (a, b) => a !== b, '严格不等', 'Strict inequality'),
  comparison('>', greater, '大于', 'Greater than'),
  comparison('>=', greaterOrEqual, '大于等于', 'Greater than or equal'),
  comparison(
    '<',
    less,
    '小于；三个参数时表示 a < b < c',
    'Less than; with three, a < b < c',
    [2, 3],
  ),
  comparison(
    '<=',
    lessOrEqual,
    '小于等于；三个参数时 a <= b <= c',
    'At most; with three, a <= b <= c',
    [2, 3],
  ),
];
