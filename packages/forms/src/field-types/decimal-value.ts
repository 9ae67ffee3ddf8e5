import { Decimal } from 'decimal.js';
import type { Normalised } from './define-field-type.ts';

const DECIMAL_TEXT = /^[+-]?\d{1,40}(\.\d{1,40})?$/;

/** Limits of a decimal value: digits before and after the point. */
export interface DecimalRules {
  readonly integerDigits: number;
  readonly scale: number;
}

/**
 * Reads a decimal from a JSON number or a decimal string without ever going through binary
 * floating point arithmetic, and refuses (not rounds) more fraction digits than `scale`: a
 * silent rounding of money would alter a value the user typed.
 */
export function parseDecimal(value: unknown, rules: DecimalRules): Normalised {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { ok: false, rule: 'type', params: { expected: 'number' } };
    text = String(value);
    if (/e/i.test(text)) text = new Decimal(text).toFixed();
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    return { ok: false, rule: 'type', params: { expected: 'number' } };
  }
  if (!DECIMAL_TEXT.test(text)) return { ok: false, rule: 'type', params: { expected: 'number' } };
  const decimal = new Decimal(text);
  if (decimal.decimalPlaces() > rules.scale) {
    return { ok: false, rule: 'scale', params: { scale: rules.scale } };
  }
  if (decimal.abs().gte(powerOfTen(rules.integerDigits))) {
    return { ok: false, rule: 'range', params: { digits: rules.integerDigits } };
  }
  return { ok: true, value: decimal.isZero() ? new Decimal(0) : decimal };
}

/** A plain decimal: a sign, up to 40 integer digits, at most two fraction digits. */
const PLAIN_TWO_DECIMALS = /^([+-]?)(\d{1,40})(?:\.(\d{1,2}))?$/;

/**
 * The two-decimal text `parseDecimal(value, { integerDigits, scale: 2 })` accepts as
 * `toFixed(2)` would print it (`"1234.5"` → `"1234.50"`, `"+007"` → `"7.00"`, `"-0"` →
 * `"0.00"`), read without a Decimal: an import checks one per money cell. Null for anything
 * else (an exponent, more fraction digits, too many integer digits), which `parseDecimal` judges.
 */
export function plainTwoDecimals(value: unknown, integerDigits: number): string | null {
  const text =
    typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
  const match = PLAIN_TWO_DECIMALS.exec(text);
  if (!match) return null;
  const integer = (match[2] as string).replace(/^0+(?=\d)/, '');
  if (integer.length > integerDigits) return null;
  const fraction = (match[3] ?? '').padEnd(2, '0');
  const negative = match[1] === '-' && (integer !== '0' || fraction !== '00');
  return `${negative ? '-' : ''}${integer}.${fraction}`;
}

const powers = new Map<number, Decimal>();

/** 10^digits, computed once per digit count (an import checks it for every row). */
function powerOfTen(digits: number): Decimal {
  let power = powers.get(digits);
  if (!power) {
    power = new Decimal(10).pow(digits);
    powers.set(digits, power);
  }
  return power;
}

/** Compares two decimals given as numbers or decimal strings. */
export function compareDecimal(a: number | string, b: number | string): number {
  return new Decimal(a).comparedTo(new Decimal(b));
}
