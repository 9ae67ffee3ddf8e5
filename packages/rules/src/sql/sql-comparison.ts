import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { parseInstant } from '../calendar.ts';
import { isNumeric, type Operand, unsupported } from './sql-operand.ts';
import type { SqlFieldType } from './sql-schema.ts';

/** The comparison operators that translate. `!=`/`!==` are the negations of `==`/`===`. */
export type ComparisonOperator = '==' | '!=' | '===' | '!==' | '<' | '<=' | '>' | '>=';
type Base = '==' | '===' | '<' | '<=' | '>' | '>=';
type Ordering = '<' | '<=' | '>' | '>=';

export const TRUE = sql<SqlBool>`true`;
export const FALSE = sql<SqlBool>`false`;

/** JavaScript's own answer, for the parts decided at translation time (e.g. a NULL field). */
const javascript: Record<Base, (a: unknown, b: unknown) => boolean> = {
  // biome-ignore lint/suspicious/noDoubleEquals: JSON-logic `==` is JavaScript loose equality
  '==': (a, b) => a == b,
  '===': (a, b) => a === b,
  '<': (a, b) => (a as number) < (b as number),
  '<=': (a, b) => (a as number) <= (b as number),
  '>': (a, b) => (a as number) > (b as number),
  '>=': (a, b) => (a as number) >= (b as number),
};
const FLIPPED: Record<Base, Base> = {
  '==': '==',
  '===': '===',
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
};
/** SQL spelling of the ordering operators: a fixed set, never taken from input. */
const ORDER_SQL: Record<Ordering, RawBuilder<unknown>> = {
  '<': sql`<`,
  '<=': sql`<=`,
  '>': sql`>`,
  '>=': sql`>=`,
};

function bool(value: boolean): RawBuilder<SqlBool> {
  return value ? TRUE : FALSE;
}

function isOrdering(op: Base): op is Ordering {
  return op !== '==' && op !== '===';
}

const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A string exactly as the in-memory record holds a uuid (Postgres prints lowercase): only such a
 * string can equal a uuid column, and only such strings may be cast (anything else would make
 * Postgres fail instead of answering false).
 */
export function isCanonicalUuid(value: unknown): value is string {
  return typeof value === 'string' && CANONICAL_UUID.test(value);
}

const CANONICAL_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A string exactly as the in-memory record holds a date (or datetime) value. */
export function isCanonical(type: 'date' | 'datetime', value: string): boolean {
  const instant = parseInstant(value);
  if (!instant || instant.ms < Date.UTC(1, 0, 1)) return false;
  return type === 'date'
    ? instant.dateOnly
    : CANONICAL_DATETIME.test(value) && new Date(instant.ms).toISOString() === value;
}

/** The text form a date/datetime column has in memory, for comparisons with other strings. */
function asRecordText(type: 'date' | 'datetime', column: RawBuilder<unknown>): RawBuilder<string> {
  return type === 'date'
    ? sql<string>`to_char(${column}, 'YYYY-MM-DD')`
    : sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/**
 * `column OP constant` for a non-NULL column value of `type`, as JavaScript would decide it. The
 * constant's coercion (`Number("12")`, `Number(true)`…) is computed here, in JavaScript.
 */
function columnVsConstant(
  op: Base,
  type: SqlFieldType,
  x: RawBuilder<unknown>,
  c: unknown,
  path: string,
): RawBuilder<SqlBool> {
  if (c !== null && typeof c !== 'number' && typeof c !== 'string' && typeof c !== 'boolean') {
    return unsupported('comparison with an array or object', path);
  }
  if (isNumeric(type)) {
    if (op === '===' && typeof c !== 'number') return FALSE;
    if (op === '==' && c === null) return FALSE;
    const n = Number(c);
    if (Number.isNaN(n)) return FALSE;
    return isOrdering(op) ? sql<SqlBool>`${x} ${ORDER_SQL[op]} ${n}` : sql<SqlBool>`${x} = ${n}`;
  }
  switch (type) {
    case 'boolean': {
      if (op === '===') return typeof c === 'boolean' ? (c ? sql`${x}` : sql`not ${x}`) : FALSE;
      if (op === '==' && c === null) return FALSE;
      const n = Number(c);
      if (Number.isNaN(n)) return FALSE;
      if (isOrdering(op)) return sql<SqlBool>`${x}::int ${ORDER_SQL[op]} ${n}::float8`;
      return n === 1 ? sql`${x}` : n === 0 ? sql`not ${x}` : FALSE;
    }
    case 'text':
      if (typeof c === 'string') {
        return isOrdering(op)
          ? sql<SqlBool>`${x} collate "C" ${ORDER_SQL[op]} ${c}`
          : sql<SqlBool>`${x} = ${c}`;
      }
      if (op === '===' || (c === null && op === '==')) return FALSE;
      return unsupported(
        "comparing a text field with a non-text value uses JavaScript's text-to-number conversion",
        path,
      );
    case 'uuid':
      if (isOrdering(op)) return unsupported('ordering a uuid field', path);
      return isCanonicalUuid(c) ? sql<SqlBool>`${x} = ${c}::uuid` : FALSE;
    case 'date':
    case 'datetime': {
      // A date string is never a number: every non-string comparison is NaN, i.e. false.
      if (typeof c !== 'string') return FALSE;
      const cast = type === 'date' ? sql`date` : sql`timestamptz`;
      if (isCanonical(type, c)) {
        return isOrdering(op)
          ? sql<SqlBool>`${x} ${ORDER_SQL[op]} ${c}::${cast}`
          : sql<SqlBool>`${x} = ${c}::${cast}`;
      }
      if (!isOrdering(op)) return FALSE;
      return sql<SqlBool>`${asRecordText(type, x)} collate "C" ${ORDER_SQL[op]} ${c}`;
    }
    default:
      return unsupported(`comparison of a ${type} field`, path);
  }
}

/** `column OP column`, both nullable; only pairs whose JavaScript semantics SQL can follow. */
function columnVsColumn(
  op: Base,
  a: Operand & { kind: 'column' },
  b: Operand & { kind: 'column' },
  path: string,
): RawBuilder<SqlBool> {
  if (isNumeric(a.type) && isNumeric(b.type)) {
    if (!isOrdering(op)) return sql<SqlBool>`${a.sql} is not distinct from ${b.sql}`;
    return sql<SqlBool>`coalesce(${a.sql}, 0) ${ORDER_SQL[op]} coalesce(${b.sql}, 0)`;
  }
  if (a.type !== b.type || a.type === 'text[]') {
    return unsupported(`comparison of a ${a.type} field with a ${b.type} field`, path);
  }
  if (!isOrdering(op)) return sql<SqlBool>`${a.sql} is not distinct from ${b.sql}`;
  switch (a.type) {
    case 'boolean':
      return sql<SqlBool>`coalesce(${a.sql}::int, 0) ${ORDER_SQL[op]} coalesce(${b.sql}::int, 0)`;
    case 'date':
    case 'datetime':
      // null is 0 and a date string NaN in JavaScript: null OP null compares 0 with 0.
      return sql<SqlBool>`case when ${a.sql} is null and ${b.sql} is null then ${bool(javascript[op](null, null))} when ${a.sql} is null or ${b.sql} is null then false else ${a.sql} ${ORDER_SQL[op]} ${b.sql} end`;
    default:
      return unsupported('ordering two text fields (JavaScript compares null as a number)', path);
  }
}

const NOT_NAN = (x: RawBuilder<number>) => sql<SqlBool>`${x} <> 'NaN'::float8`;

/** Comparisons where one side is a float8 number expression (never NULL, maybe NaN). */
function numberVs(
  op: Base,
  x: RawBuilder<number>,
  other: Operand,
  path: string,
): RawBuilder<SqlBool> {
  const compare = (y: RawBuilder<unknown>) =>
    isOrdering(op) ? sql<SqlBool>`${x} ${ORDER_SQL[op]} ${y}` : sql<SqlBool>`${x} = ${y}`;
  switch (other.kind) {
    case 'constant': {
      const c = other.value;
      if (op === '===' && typeof c !== 'number') return FALSE;
      if (op === '==' && (c === null || c === undefined)) return FALSE;
      const n = Number(c);
      if (Number.isNaN(n)) return FALSE;
      return sql<SqlBool>`(${NOT_NAN(x)} and ${compare(sql`${n}::float8`)})`;
    }
    case 'number':
      return sql<SqlBool>`(${NOT_NAN(x)} and ${NOT_NAN(other.sql)} and ${compare(other.sql)})`;
    case 'column':
      if (!isNumeric(other.type))
        return unsupported(`comparison of a number with a ${other.type} field`, path);
      if (isOrdering(op))
        return sql<SqlBool>`(${NOT_NAN(x)} and ${compare(sql`coalesce(${other.sql}::float8, 0)`)})`;
      return compare(sql`${other.sql}::float8`);
  }
}

/**
 * Translates `left OP right` into a boolean that agrees with JavaScript's (json-logic-js's)
 * result for every row, NULL standing for false (see `logicToSql`), or refuses with the reason.
 */
export function compareOperands(
  operator: ComparisonOperator,
  left: Operand,
  right: Operand,
  path: string,
): RawBuilder<SqlBool> {
  if (operator === '!=' || operator === '!==') {
    const base = operator === '!=' ? '==' : '===';
    return sql<SqlBool>`not coalesce(${compareOperands(base, left, right, path)}, false)`;
  }
  let op: Base = operator;
  let a = left;
  let b = right;
  if (a.kind === 'constant' && b.kind === 'constant') return bool(javascript[op](a.value, b.value));
  if (a.kind === 'constant' || (a.kind === 'column' && b.kind === 'number')) {
    [a, b] = [b, a];
    op = FLIPPED[op];
  }
  if (a.kind === 'number') return numberVs(op, a.sql, b, path);
  if (a.kind === 'column' && b.kind === 'constant') {
    const whenNull = javascript[op](null, b.value);
    const otherwise = columnVsConstant(op, a.type, a.sql, b.value, path);
    return whenNull ? sql<SqlBool>`(${a.sql} is null or ${otherwise})` : otherwise;
  }
  if (a.kind === 'column' && b.kind === 'column') return columnVsColumn(op, a, b, path);
  return unsupported('comparison', path);
}
