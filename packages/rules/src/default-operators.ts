import { createOperatorRegistry, type OperatorRegistry } from './define-operator.ts';
import { arithmeticOperators } from './operators/arithmetic-operators.ts';
import { arrayOperators } from './operators/array-operators.ts';
import { comparisonOperators } from './operators/comparison-operators.ts';
import { dataOperators } from './operators/data-operators.ts';
import { dateOperators } from './operators/date-operators.ts';
import { loanOperators } from './operators/loan-operators.ts';
import { logicOperators } from './operators/logic-operators.ts';
import { miscOperators } from './operators/misc-operators.ts';
import { moneyOperators } from './operators/money-operators.ts';
import { nationalIdOperators } from './operators/national-id-operators.ts';
import { rowOperators } from './operators/row-operators.ts';
import { stringOperators } from './operators/string-operators.ts';

/** The operators of jsonlogic.com, with json-logic-js's semantics. */
export const standardOperators = Object.freeze([
  ...dataOperators,
  ...logicOperators,
  ...comparisonOperators,
  ...arithmeticOperators,
  ...arrayOperators,
  ...miscOperators,
]);

/** Joinery's own operators: dates, money, loans, subform aggregates, strings, national IDs. */
export const joineryOperators = Object.freeze([
  ...dateOperators,
  ...moneyOperators,
  ...loanOperators,
  ...rowOperators,
  ...stringOperators,
  ...nationalIdOperators,
]);

/** The vocabulary `compileLogic` uses by default: the standard operators and Joinery's. */
export const defaultOperators: OperatorRegistry = createOperatorRegistry(
  standardOperators,
  joineryOperators,
);
