import { argumentAt, defineOperator, eager } from '../define-operator.ts';

/**
 * json-logic-js parses every `+`/`*` operand with `parseFloat`, i.e. from its string form —
 * which also turns -0 into 0. Numbers skip the string round trip.
 */
function toFloat(value: unknown): number {
  if (typeof value === 'number') return value === 0 ? 0 : value;
  return Number.parseFloat(value as string);
}

/** `+`: sum of the arguments parsed as numbers (`{"+": "3"}` casts to 3). */
export const plusOperator = defineOperator({
  name: '+',
  version: 1,
  arity: [0, Infinity],
  pure: true,
  doc: { 'zh-CN': '求和（字符串按数字解析）', en: 'Sum (strings parsed as numbers)' },
  compile: (args) => {
    if (args.length === 2) {
      const a = argumentAt(args, 0);
      const b = argumentAt(args, 1);
      return (data, env) => toFloat(a(data, env)) + toFloat(b(data, env));
    }
    return eager((...values) => values.reduce<number>((sum, value) => sum + toFloat(value), 0))(
      args,
    );
  },
});

/** `*`: product; a single argument is returned unchanged, as json-logic-js does. */
export const timesOperator = defineOperator({
  name: '*',
  version: 1,
  arity: [1, Infinity],
  pure: true,
  doc: { 'zh-CN': '乘积', en: 'Product' },
  compile: (args) => {
    if (args.length === 1) return argumentAt(args, 0);
    return eager((first, ...rest) =>
      rest.reduce<number>((product, value) => toFloat(product) * toFloat(value), first as number),
    )(args);
  },
});

/** `-`: difference, or negation with one argument. */
export const minusOperator = defineOperator({
  name: '-',
  version: 1,
  arity: [1, 2],
  pure: true,
  doc: { 'zh-CN': '相减；一个参数时取负', en: 'Difference; negation with one argument' },
  compile: eager((a, b) => (b === undefined ? -(a as number) : (a as number) - (b as number))),
});

/** `/`: quotient (JavaScript division). */
export const divideOperator = defineOperator({
  name: '/',
  version: 1,
  arity: [2, 2],
  pure: true,
  doc: { 'zh-CN': '相除', en: 'Quotient' },
  compile: eager((a, b) => (a as number) / (b as number)),
});

/** `%`: remainder. */
export const moduloOperator = defineOperator({
  name: '%',
  version: 1,
  arity: [2, 2],
  pure: true,
  doc: { 'zh-CN': '取余', en: 'Remainder' },
  compile: eager((a, b) => (a as number) % (b as number)),
});

/** `max`: the largest argument (`Math.max`). */
export const maxOperator = defineOperator({
  name: 'max',
  version: 1,
  arity: [0, Infinity],
  pure: true,
  doc: { 'zh-CN': '最大值', en: 'Largest argument' },
  compile: eager((...values) => Math.max(...(values as number[]))),
});

/** `min`: the smallest argument (`Math.min`). */
export const minOperator = defineOperator({
  name: 'min',
  version: 1,
  arity: [0, Infinity],
  pure: true,
  doc: { 'zh-CN': '最小值', en: 'Smallest argument' },
  compile: eager((...values) => Math.min(...(values as number[]))),
});

/** The arithmetic operators, with json-logic-js's coercions. */
export const arithmeticOperators = [
  plusOperator,
  timesOperator,
  minusOperator,
  divideOperator,
  moduloOperator,
  maxOperator,
  minOperator,
];
