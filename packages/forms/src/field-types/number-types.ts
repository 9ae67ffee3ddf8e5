import { Decimal } from 'decimal.js';
import { readNumber, readString } from './config-reader.ts';
import { parseDecimal, plainTwoDecimals } from './decimal-value.ts';
import { defineFieldType } from './define-field-type.ts';

/** Fraction digits a number field keeps when its config does not say. */
export const NUMBER_DEFAULT_DECIMALS = 6;

const numericValidations = ['required', 'min', 'max', 'unique'] as const;

/**
 * Number: a JSON number in the API, `numeric` in Postgres. At most 15 integer digits and
 * `decimals` (default 6, at most 10) fraction digits, so every value survives a JSON round trip.
 */
export const numberField = defineFieldType({
  type: 'number',
  version: 1,
  label: { 'zh-CN': '数字', en: 'Number' },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      decimals: { type: 'integer', minimum: 0, maximum: 10 },
      unit: { $ref: 'localized' },
    },
  },
  readConfig: (raw) => ({ decimals: readNumber(raw, 'decimals', NUMBER_DEFAULT_DECIMALS) }),
  storage: 'column',
  input: true,
  validations: numericValidations,
  columnType: () => 'numeric',
  valueSchema: () => ({ type: 'number' }),
  normalise: (value, config) => {
    const parsed = parseDecimal(value, { integerDigits: 15, scale: config.decimals });
    return parsed.ok && parsed.value instanceof Decimal
      ? { ok: true, value: parsed.value.toNumber() }
      : parsed;
  },
  fromDb: (value) => Number(value),
  filterable: true,
  sortable: true,
  ruleType: () => 'number',
});

/** A `numeric(18,2)` value as Postgres prints it: already the canonical money string. */
const PRINTED_MONEY = /^-?(?:0|[1-9]\d*)\.\d\d$/;

/**
 * What `pg` returns for a money column as the canonical two-decimal string: what Postgres
 * prints as is (without a Decimal per value: lists read many), anything else through Decimal.
 */
function moneyFromDb(value: unknown): string {
  if (typeof value === 'string' && PRINTED_MONEY.test(value) && value !== '-0.00') return value;
  return new Decimal(String(value)).toFixed(2);
}

/**
 * Money: a decimal string with exactly two decimals (`"1234.50"`) — never a float — in a
 * `numeric(18,2)` column. More than two decimals is refused, not rounded. `currency` is an ISO
 * 4217 code (default CNY).
 */
export const moneyField = defineFieldType({
  type: 'money',
  version: 1,
  label: { 'zh-CN': '金额', en: 'Money' },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { currency: { type: 'string', pattern: '^[A-Z]{3}$' } },
  },
  readConfig: (raw) => ({ currency: readString(raw, 'currency', 'CNY') }),
  storage: 'column',
  input: true,
  validations: numericValidations,
  columnType: () => 'numeric(18, 2)',
  valueSchema: () => ({ type: 'string', pattern: '^-?\\d{1,16}\\.\\d{2}$' }),
  normalise: (value) => {
    const plain = plainTwoDecimals(value, 16);
    if (plain !== null) return { ok: true, value: plain };
    const parsed = parseDecimal(value, { integerDigits: 16, scale: 2 });
    return parsed.ok && parsed.value instanceof Decimal
      ? { ok: true, value: parsed.value.toFixed(2) }
      : parsed;
  },
  fromDb: (value) => moneyFromDb(value),
  filterable: true,
  sortable: true,
  ruleType: () => 'decimal',
});

/**
 * Percent: a decimal string in percent units (`"12.5"` is 12.5%), up to 4 decimals and 5
 * integer digits, in a `numeric(9,4)` column.
 */
export const percentField = defineFieldType({
  type: 'percent',
  version: 1,
  label: { 'zh-CN': '百分比', en: 'Percent' },
  configSchema: { type: 'object', additionalProperties: false, properties: {} },
  readConfig: () => ({}),
  storage: 'column',
  input: true,
  validations: numericValidations,
  columnType: () => 'numeric(9, 4)',
  valueSchema: () => ({ type: 'string', pattern: '^-?\\d{1,5}(\\.\\d{1,4})?$' }),
  normalise: (value) => {
    const parsed = parseDecimal(value, { integerDigits: 5, scale: 4 });
    return parsed.ok && parsed.value instanceof Decimal
      ? { ok: true, value: parsed.value.toFixed() }
      : parsed;
  },
  fromDb: (value) => new Decimal(String(value)).toFixed(),
  filterable: true,
  sortable: true,
  ruleType: () => 'decimal',
});
