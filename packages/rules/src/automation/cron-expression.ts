/**
 * Checks a cron expression without running it: five fields (minute hour day-of-month month
 * day-of-week) or six with seconds first; each a `*`, numbers, ranges `a-b`, steps `/n`, lists
 * `a,b`, month and weekday names (JAN, MON); or one of `@yearly @annually @monthly @weekly
 * @daily @midnight @hourly`. Returns the reason it is invalid, or null.
 */
export function cronProblem(expression: string): string | null {
  const text = expression.trim();
  if (text.length > 200) return 'too long';
  if (text.startsWith('@')) {
    return MACROS.has(text.toLowerCase()) ? null : `unknown macro ${text}`;
  }
  const fields = text.split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) return 'expected 5 or 6 fields';
  const ranges = fields.length === 6 ? [SECONDS, ...FIVE] : FIVE;
  for (const [index, field] of fields.entries()) {
    const range = ranges[index];
    if (!range) return 'expected 5 or 6 fields';
    const problem = fieldProblem(field, range);
    if (problem) return `${range.name}: ${problem}`;
  }
  return null;
}

interface FieldRange {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const MACROS = new Set([
  '@yearly',
  '@annually',
  '@monthly',
  '@weekly',
  '@daily',
  '@midnight',
  '@hourly',
]);
const SECONDS: FieldRange = { name: 'seconds', min: 0, max: 59 };
const FIVE: readonly FieldRange[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  },
  { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

function tokenValue(token: string, range: FieldRange): number | null {
  if (/^\d{1,2}$/.test(token)) {
    const value = Number(token);
    return value >= range.min && value <= range.max ? value : null;
  }
  const index = range.names?.indexOf(token.toUpperCase()) ?? -1;
  return index === -1 ? null : index + (range.name === 'month' ? 1 : 0);
}

function fieldProblem(field: string, range: FieldRange): string | null {
  for (const item of field.split(',')) {
    const [base = '', step, extra] = item.split('/');
    if (extra !== undefined) return `bad step in ${item}`;
    if (step !== undefined && !(/^\d{1,2}$/.test(step) && Number(step) > 0)) {
      return `bad step in ${item}`;
    }
    if (base === '*' || (base === '?' && range.name.startsWith('day'))) continue;
    const [low = '', high, more] = base.split('-');
    if (more !== undefined) return `bad range ${base}`;
    const start = tokenValue(low, range);
    if (start === null) return `${low || '(empty)'} is out of range ${range.min}–${range.max}`;
    if (high !== undefined) {
      const end = tokenValue(high, range);
      if (end === null || end < start) return `bad range ${base}`;
    }
  }
  return null;
}
