import type { Decimal } from 'decimal.js';
import { toAggregateNumber, toNumber } from '../decimal-value.ts';
import { argumentAt, type CompiledArgument, defineOperator } from '../define-operator.ts';
import { chargeSteps, type Evaluator } from '../evaluator.ts';
import { readPath, splitPath } from '../read-path.ts';

type Aggregate = (
  values: readonly Decimal[],
  rows: readonly unknown[],
  withField: boolean,
) => number | null;

/**
 * An aggregate over subform rows: `[rows, field]` where rows is an array of objects and field a
 * dotted path inside each row. Empty and non-numeric values are skipped; sums are exact
 * decimals. Each row counts one step against the evaluation budget.
 */
function aggregate(name: string, zh: string, en: string, reduce: Aggregate, minArity = 2) {
  return defineOperator({
    name,
    version: 1,
    arity: [minArity, 2],
    pure: true,
    usesEnv: true,
    doc: { 'zh-CN': zh, en },
    compile: (args: readonly CompiledArgument[]): Evaluator => {
      const rowsOf = argumentAt(args, 0);
      const field = args[1];
      const fixedKeys = field?.constant ? splitPath(field.value) : null;
      const fieldOf = field?.evaluate;
      return (data, env) => {
        const rows = rowsOf(data, env);
        if (!Array.isArray(rows)) return reduce([], [], fieldOf !== undefined);
        chargeSteps(env, rows.length);
        if (!fieldOf) return reduce([], rows, false);
        const keys = fixedKeys ?? splitPath(fieldOf(data, env));
        const values: Decimal[] = [];
        for (const row of rows) {
          const value = toAggregateNumber(readPath(row, keys, null));
          if (value) values.push(value);
        }
        return reduce(values, rows, true);
      };
    },
  });
}

function sum(values: readonly Decimal[]): Decimal | null {
  let total: Decimal | null = null;
  for (const value of values) total = total ? total.plus(value) : value;
  return total;
}

/** Joinery's subform aggregates: `rows_sum`, `rows_count`, `rows_avg`, `rows_min`, `rows_max`. */
export const rowOperators = [
  aggregate(
    'rows_sum',
    '子表某字段求和（精确十进制）',
    'Exact sum of a field over subform rows',
    (values) => {
      const total = sum(values);
      return total ? toNumber(total) : 0;
    },
  ),
  aggregate(
    'rows_count',
    '子表行数；给出字段时只数有值的行',
    'Number of rows; with a field, rows where it is numeric',
    (values, rows, withField) => (withField ? values.length : rows.length),
    1,
  ),
  aggregate(
    'rows_avg',
    '子表某字段平均值（无值为 null）',
    'Average of a field (null if none)',
    (values) => {
      const total = sum(values);
      return total ? toNumber(total.dividedBy(values.length)) : null;
    },
  ),
  aggregate('rows_min', '子表某字段最小值', 'Smallest value of a field (null if none)', (values) =>
    values.length === 0 ? null : toNumber(values.reduce((a, b) => (b.lessThan(a) ? b : a))),
  ),
  aggregate('rows_max', '子表某字段最大值', 'Largest value of a field (null if none)', (values) =>
    values.length === 0 ? null : toNumber(values.reduce((a, b) => (b.greaterThan(a) ? b : a))),
  ),
];
