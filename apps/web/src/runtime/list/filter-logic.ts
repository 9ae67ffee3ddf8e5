import type { FilterKind, RuntimeField } from '../field-model.ts';

/** What a condition tests; which ones a field offers depends on its {@link FilterKind}. */
export type FilterOperator =
  | 'eq'
  | 'ne'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte'
  | 'contains'
  | 'anyOf'
  | 'isTrue'
  | 'isFalse'
  | 'isMe'
  | 'empty'
  | 'notEmpty';

/** One row of the filter builder: field, operator, value (absent for value-less operators). */
export interface FilterCondition {
  readonly field: string;
  readonly operator: FilterOperator;
  readonly value?: unknown;
}

/** The whole filter: conditions joined by "and" (`all`) or "or" (`any`). */
export interface FilterState {
  readonly match: 'all' | 'any';
  readonly conditions: readonly FilterCondition[];
}

export const EMPTY_FILTER: FilterState = { match: 'all', conditions: [] };

const ORDERED: readonly FilterOperator[] = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte'];
const PRESENCE: readonly FilterOperator[] = ['empty', 'notEmpty'];

/** The operators the builder offers for a kind of field, the most useful first. */
export function operatorsFor(kind: FilterKind): readonly FilterOperator[] {
  switch (kind) {
    case 'text':
      return ['contains', 'eq', 'ne', ...PRESENCE];
    case 'exact':
      return ['eq', 'ne', ...PRESENCE];
    case 'choice':
      return ['eq', 'ne', 'anyOf', ...PRESENCE];
    case 'choices':
      return ['contains', ...PRESENCE];
    case 'number':
    case 'decimal':
    case 'date':
    case 'datetime':
      return [...ORDERED, ...PRESENCE];
    case 'boolean':
      return ['isTrue', 'isFalse'];
    case 'reference':
      return ['isMe', ...PRESENCE];
  }
}

/** True when the operator needs a value from the user. */
export function takesValue(operator: FilterOperator): boolean {
  return !['isTrue', 'isFalse', 'isMe', 'empty', 'notEmpty'].includes(operator);
}

const SYMBOL: Partial<Record<FilterOperator, string>> = {
  eq: '==',
  ne: '!=',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
};

/** One condition as JSON-logic, or undefined while it is incomplete (no value yet). */
export function conditionLogic(condition: FilterCondition, kind: FilterKind): unknown {
  const field = { var: condition.field };
  const { operator, value } = condition;
  if (takesValue(operator)) {
    if (value === undefined || value === null || value === '') return undefined;
    if (Array.isArray(value) && value.length === 0) return undefined;
  }
  const symbol = SYMBOL[operator];
  if (symbol) return { [symbol]: [field, kind === 'number' ? Number(value) : value] };
  switch (operator) {
    case 'contains':
      return { in: [value, field] };
    case 'anyOf':
      return { in: [field, Array.isArray(value) ? value : [value]] };
    case 'isTrue':
      return { '==': [field, true] };
    case 'isFalse':
      return { '!=': [field, true] };
    case 'isMe':
      return { '==': [field, { var: '$user.id' }] };
    case 'empty':
      return { '==': [field, null] };
    case 'notEmpty':
      return { '!=': [field, null] };
    default:
      return undefined;
  }
}

/**
 * The filter as one JSON-logic expression for the list API (`filter=`), or undefined when no
 * condition is complete. Conditions on fields the form no longer filters by are dropped, so a
 * saved view outlives a field's removal.
 */
export function filterToLogic(
  filter: FilterState,
  fields: readonly RuntimeField[],
): unknown | undefined {
  const parts = filter.conditions.flatMap((condition) => {
    const kind = fields.find((field) => field.key === condition.field)?.filterKind;
    if (!kind || !operatorsFor(kind).includes(condition.operator)) return [];
    const logic = conditionLogic(condition, kind);
    return logic === undefined ? [] : [logic];
  });
  if (parts.length === 0) return undefined;
  if (parts.length === 1) return parts[0];
  return { [filter.match === 'all' ? 'and' : 'or']: parts };
}
