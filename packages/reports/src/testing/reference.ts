import { Decimal } from 'decimal.js';

// Independent computations for the tests: plain TypeScript over the generated rows, written
// without the engine's code, to check the numbers the database returns.

const SHANGHAI_MS = 8 * 3_600_000;

/** The Shanghai calendar date (`YYYY-MM-DD`) of an instant. */
export function shanghaiDate(iso: string): string {
  return new Date(Date.parse(iso) + SHANGHAI_MS).toISOString().slice(0, 10);
}

/** The start of the bucket holding a local date. */
export function bucketOf(
  date: string,
  unit: 'day' | 'week' | 'month' | 'quarter' | 'year',
): string {
  const [y = '', m = '', d = ''] = date.split('-');
  switch (unit) {
    case 'day':
      return date;
    case 'month':
      return `${y}-${m}-01`;
    case 'quarter':
      return `${y}-${String(Math.floor((Number(m) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
    case 'year':
      return `${y}-01-01`;
    case 'week': {
      const day = new Date(`${y}-${m}-${d}T00:00:00Z`);
      const offset = (day.getUTCDay() + 6) % 7; // Monday = 0
      return new Date(day.getTime() - offset * 86_400_000).toISOString().slice(0, 10);
    }
  }
}

/** Whole calendar months from one local date to another. */
export function monthsBetween(from: string, to: string): number {
  const [fy = 0, fm = 0] = from.split('-').map(Number);
  const [ty = 0, tm = 0] = to.split('-').map(Number);
  return (ty - fy) * 12 + (tm - fm);
}

/** Groups items by a key (JSON of the key parts), keeping first-seen order. */
export function groupBy<T>(items: readonly T[], key: (item: T) => unknown[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = JSON.stringify(key(item));
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** Exact sum of decimal strings (null when every value is null, as SQL's `sum`). */
export function decimalSum(values: readonly (string | null)[]): Decimal | null {
  const present = values.filter((value): value is string => value !== null);
  if (present.length === 0) return null;
  return present.reduce((sum, value) => sum.plus(value), new Decimal(0));
}

/** True when a decimal string from Postgres equals an exact value to 1e-12. */
export function closeTo(actual: unknown, expected: Decimal | null): boolean {
  if (expected === null) return actual === null;
  if (typeof actual !== 'string') return false;
  return new Decimal(actual).minus(expected).abs().lt('1e-12');
}
