import { Decimal } from 'decimal.js';

/**
 * Decimal arithmetic for money: 34 significant digits (IEEE decimal128), ties rounded half-up
 * (away from zero), as a cashier would. A private clone, so no other code can change its
 * settings.
 */
export const Money = Decimal.clone({ precision: 34, rounding: Decimal.ROUND_HALF_UP });

/** A money operand: numbers and numeric strings; null and "" count as zero; else null. */
export function toMoney(value: unknown): Decimal | null {
  if (value === null || value === undefined || value === '') return new Money(0);
  if (typeof value === 'number') return Number.isFinite(value) ? new Money(value) : null;
  if (
    typeof value === 'string' &&
    /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?\s*$/.test(value)
  ) {
    return new Money(value.trim());
  }
  return null;
}

/** A numeric aggregate operand: like `toMoney`, but empty values are skipped (null). */
export function toAggregateNumber(value: unknown): Decimal | null {
  if (value === null || value === undefined || value === '') return null;
  return toMoney(value);
}

/** The nearest JavaScript number to a decimal result (so 0.1 + 0.2 gives exactly 0.3). */
export function toNumber(value: Decimal): number {
  return value.toNumber();
}
