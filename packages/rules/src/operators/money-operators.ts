import type { Decimal } from 'decimal.js';
import { Money, toMoney, toNumber } from '../decimal-value.ts';
import { defineOperator, eager } from '../define-operator.ts';

/** Folds the operands with decimal arithmetic; any non-numeric operand makes the result null. */
function fold(combine: (a: Decimal, b: Decimal) => Decimal) {
  return (...values: unknown[]): number | null => {
    let result: Decimal | null = null;
    for (const value of values) {
      const operand = toMoney(value);
      if (!operand) return null;
      result = result === null ? operand : combine(result, operand);
    }
    return result === null ? null : toNumber(result);
  };
}

function roundHalfUp(value: unknown, places: unknown): number | null {
  const amount = toMoney(value);
  const digits = places === undefined || places === null ? 0 : Number(places);
  if (!amount || !Number.isInteger(digits) || digits < 0 || digits > 12) return null;
  return toNumber(amount.toDecimalPlaces(digits, Money.ROUND_HALF_UP));
}

/**
 * Joinery's money operators: exact decimal arithmetic (no float drift: 0.1 + 0.2 = 0.3) over
 * numbers and numeric strings, returning numbers. Empty operands (null, "") count as zero.
 */
export const moneyOperators = [
  defineOperator({
    name: 'money_add',
    version: 1,
    arity: [1, Infinity],
    pure: true,
    doc: { 'zh-CN': '金额相加（精确十进制）', en: 'Adds amounts exactly (decimal)' },
    compile: eager(fold((a, b) => a.plus(b))),
  }),
  defineOperator({
    name: 'money_sub',
    version: 1,
    arity: [2, 2],
    pure: true,
    doc: { 'zh-CN': '金额相减（精确十进制）', en: 'Subtracts amounts exactly (decimal)' },
    compile: eager(fold((a, b) => a.minus(b))),
  }),
  defineOperator({
    name: 'money_mul',
    version: 1,
    arity: [2, Infinity],
    pure: true,
    doc: { 'zh-CN': '金额相乘（精确十进制）', en: 'Multiplies exactly (decimal)' },
    compile: eager(fold((a, b) => a.times(b))),
  }),
  defineOperator({
    name: 'money_div',
    version: 1,
    arity: [2, 2],
    pure: true,
    doc: {
      'zh-CN': '金额相除（34 位有效数字；除以零为 null）',
      en: 'Divides to 34 significant digits (null when dividing by zero)',
    },
    compile: eager((a, b) => {
      const divisor = toMoney(b);
      if (divisor?.isZero()) return null;
      return fold((x, y) => x.dividedBy(y))(a, b);
    }),
  }),
  defineOperator({
    name: 'round',
    version: 1,
    arity: [1, 2],
    pure: true,
    doc: {
      'zh-CN': '四舍五入到 N 位小数（默认 0，最多 12）',
      en: 'Rounds half-up to N decimal places (default 0, at most 12)',
    },
    compile: eager(roundHalfUp),
  }),
];
