import { Decimal } from 'decimal.js';
import { SERIAL_PATTERN_SHAPE } from '../serial/serial-pattern.ts';
import { readString } from './config-reader.ts';
import { dateFromDb, normaliseDate } from './date-value.ts';
import { parseDecimal } from './decimal-value.ts';
import { defineFieldType, type Normalised, type RuleValueType } from './define-field-type.ts';
import { normaliseText, type TextRules } from './text-value.ts';

/** The value types a formula may produce. */
export const FORMULA_RESULT_TYPES = [
  'number',
  'money',
  'percent',
  'text',
  'boolean',
  'date',
] as const;
/** One of `FORMULA_RESULT_TYPES`. */
export type FormulaResultType = (typeof FORMULA_RESULT_TYPES)[number];

const resultColumn: Record<FormulaResultType, string> = {
  number: 'numeric',
  money: 'numeric(18, 2)',
  percent: 'numeric(9, 4)',
  text: 'text',
  boolean: 'boolean',
  date: 'date',
};
const resultRuleType: Record<FormulaResultType, RuleValueType> = {
  number: 'number',
  money: 'decimal',
  percent: 'decimal',
  text: 'text',
  boolean: 'boolean',
  date: 'date',
};
const formulaText: TextRules = { maxLength: 10_000, multiline: true };

/**
 * Turns a computed result into the stored value of `resultType`. A result that does not fit
 * (a division by zero's null, text where a number is due) is stored as null rather than
 * refusing the user's record: the formula, not the user, is at fault.
 */
export function coerceFormulaResult(result: unknown, resultType: FormulaResultType): unknown {
  if (result === null || result === undefined) return null;
  let normalised: Normalised;
  switch (resultType) {
    case 'number':
    case 'money':
    case 'percent': {
      const input = result instanceof Decimal ? result.toString() : result;
      const rounded =
        typeof input === 'number' || typeof input === 'string'
          ? roundTo(input, resultType === 'money' ? 2 : resultType === 'percent' ? 4 : 10)
          : null;
      normalised =
        rounded === null
          ? { ok: false, rule: 'type' }
          : parseDecimal(rounded, { integerDigits: resultType === 'percent' ? 5 : 15, scale: 10 });
      if (!normalised.ok || !(normalised.value instanceof Decimal)) return null;
      if (resultType === 'number') return normalised.value.toNumber();
      return resultType === 'money' ? normalised.value.toFixed(2) : normalised.value.toFixed();
    }
    case 'text':
      normalised = normaliseText(typeof result === 'string' ? result : String(result), formulaText);
      return normalised.ok ? normalised.value : null;
    case 'boolean':
      return typeof result === 'boolean' ? result : null;
    case 'date':
      normalised = normaliseDate(typeof result === 'string' ? result.slice(0, 10) : result);
      return normalised.ok ? normalised.value : null;
  }
}

function roundTo(value: number | string, places: number): string | null {
  try {
    const decimal = new Decimal(value);
    return decimal.isFinite()
      ? decimal.toDecimalPlaces(places, Decimal.ROUND_HALF_UP).toFixed()
      : null;
  } catch {
    return null;
  }
}

function readResultType(raw: Readonly<Record<string, unknown>>): FormulaResultType {
  const value = raw.resultType;
  return FORMULA_RESULT_TYPES.find((type) => type === value) ?? 'number';
}

/**
 * Formula: a JSON-logic expression over the record (`config.logic`), computed by the server on
 * every write (with the same compiled code the browser previews with) and stored in a column
 * of `config.resultType`. Clients cannot write it.
 */
export const formulaField = defineFieldType({
  type: 'formula',
  version: 1,
  label: { 'zh-CN': '公式', en: 'Formula' },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['logic', 'resultType'],
    properties: { logic: {}, resultType: { enum: [...FORMULA_RESULT_TYPES] } },
  },
  readConfig: (raw) => ({ logic: raw.logic, resultType: readResultType(raw) }),
  storage: 'column',
  input: false,
  validations: [],
  columnType: (config) => resultColumn[config.resultType],
  valueSchema: () => ({}),
  normalise: (value, config) => ({
    ok: true,
    value: coerceFormulaResult(value, config.resultType),
  }),
  fromDb: (value, config) =>
    config.resultType === 'date'
      ? dateFromDb(value)
      : coerceFormulaResult(value, config.resultType),
  filterable: true,
  sortable: true,
  ruleType: (config) => resultRuleType[config.resultType],
});

/** Aggregates a rollup can compute. */
export const ROLLUP_AGGREGATES = ['count', 'sum', 'min', 'max', 'avg'] as const;
/** One of `ROLLUP_AGGREGATES`. */
export type RollupAggregate = (typeof ROLLUP_AGGREGATES)[number];

/**
 * Where a rollup reads: rows of a subform of this form (computed by `evaluateForm`), or records
 * of another form whose relation field `via` points at this record (computed by the server
 * when those records change).
 */
export interface RollupConfig {
  readonly aggregate: RollupAggregate;
  readonly subform: string | null;
  readonly form: string | null;
  readonly via: string | null;
  readonly field: string | null;
}

/** Rollup: count/sum/min/max/avg over subform rows or related records; `numeric` column. */
export const rollupField = defineFieldType<RollupConfig>({
  type: 'rollup',
  version: 1,
  label: { 'zh-CN': '汇总', en: 'Rollup' },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['aggregate'],
    properties: {
      aggregate: { enum: [...ROLLUP_AGGREGATES] },
      subform: { $ref: 'key' },
      form: { $ref: 'key' },
      via: { $ref: 'key' },
      field: { $ref: 'key' },
    },
    oneOf: [{ required: ['subform'] }, { required: ['form', 'via'] }],
  },
  readConfig: (raw) => ({
    aggregate: ROLLUP_AGGREGATES.find((a) => a === raw.aggregate) ?? 'count',
    subform: typeof raw.subform === 'string' ? raw.subform : null,
    form: typeof raw.form === 'string' ? raw.form : null,
    via: typeof raw.via === 'string' ? raw.via : null,
    field: typeof raw.field === 'string' ? raw.field : null,
  }),
  storage: 'column',
  input: false,
  validations: [],
  columnType: () => 'numeric',
  valueSchema: () => ({ type: 'string' }),
  normalise: (value) => ({
    ok: true,
    value:
      typeof value === 'number' || typeof value === 'string' || value instanceof Decimal
        ? roundTo(value instanceof Decimal ? value.toString() : value, 10)
        : null,
  }),
  fromDb: (value) => new Decimal(String(value)).toFixed(),
  filterable: true,
  sortable: true,
  ruleType: () => 'decimal',
});

/**
 * Lookup: a field of the record a one-relation of this form points to (`config.relation` is
 * the relation field's key, `config.field` the target form's field). Not stored; the server
 * reads it through the relation's foreign key.
 */
export const lookupField = defineFieldType({
  type: 'lookup',
  version: 1,
  label: { 'zh-CN': '引用', en: 'Lookup' },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['relation', 'field'],
    properties: { relation: { $ref: 'key' }, field: { $ref: 'key' } },
  },
  readConfig: (raw) => ({
    relation: readString(raw, 'relation', ''),
    field: readString(raw, 'field', ''),
  }),
  storage: 'none',
  input: false,
  validations: [],
  valueSchema: () => ({}),
  normalise: (value) => ({ ok: true, value }),
  filterable: false,
  sortable: false,
  ruleType: () => 'json',
});

/**
 * Serial number: assigned by the server on create from `config.pattern` (see
 * `serial-pattern.ts`); a `text` column with a unique index. Clients cannot write it.
 */
export const serialField = defineFieldType({
  type: 'serial',
  version: 1,
  label: { 'zh-CN': '流水号', en: 'Serial number' },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['pattern'],
    properties: { pattern: { type: 'string', pattern: SERIAL_PATTERN_SHAPE } },
  },
  readConfig: (raw) => ({ pattern: readString(raw, 'pattern', '{counter:6}') }),
  storage: 'column',
  input: false,
  validations: [],
  columnType: () => 'text',
  valueSchema: () => ({ type: 'string', maxLength: 80 }),
  normalise: (value) =>
    typeof value === 'string' && value.length <= 80
      ? { ok: true, value }
      : { ok: false, rule: 'type' },
  filterable: true,
  sortable: true,
  ruleType: () => 'text',
});
