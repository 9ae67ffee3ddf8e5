import { Decimal } from 'decimal.js';
import type { RollupAggregate } from '../field-types/computed-types.ts';

/**
 * Aggregates one column of subform rows (or of related records the server loaded): `count`
 * counts rows (or non-empty values when `field` is given); the others skip empty and
 * non-numeric values and answer null over nothing. Exact decimal arithmetic throughout, so a
 * sum of money is exact; `avg` keeps 10 decimals.
 */
export function rollupValue(
  aggregate: RollupAggregate,
  rows: readonly unknown[],
  field: string | null,
): string | null {
  const values: Decimal[] = [];
  let present = 0;
  for (const row of rows) {
    const value =
      field === null ? 1 : typeof row === 'object' && row !== null ? Reflect.get(row, field) : null;
    if (value === null || value === undefined || value === '') continue;
    present += 1;
    if (
      (typeof value === 'number' && Number.isFinite(value)) ||
      (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value))
    ) {
      values.push(new Decimal(value));
    }
  }
  if (aggregate === 'count') return String(field === null ? rows.length : present);
  if (values.length === 0) return null;
  switch (aggregate) {
    case 'sum':
      return Decimal.sum(...values).toFixed();
    case 'min':
      return Decimal.min(...values).toFixed();
    case 'max':
      return Decimal.max(...values).toFixed();
    case 'avg':
      return Decimal.sum(...values)
        .div(values.length)
        .toDecimalPlaces(10)
        .toFixed();
  }
}
