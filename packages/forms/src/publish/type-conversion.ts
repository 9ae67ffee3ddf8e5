import { type Expression, type RawBuilder, sql } from 'kysely';
import type { BoundFieldType } from '../field-types/define-field-type.ts';
import { NUMBER_DEFAULT_DECIMALS } from '../field-types/number-types.ts';
import { columnTypeSql, numericLimits } from './column-data-type.ts';

type Sql = RawBuilder<unknown> | Expression<unknown>;

/**
 * Check predicates only run in `SELECT`s, so every value in them is a bound parameter; `using`
 * expressions run in DDL, where Postgres takes no parameters, and hold only constant SQL.
 *
 * How an existing column becomes the new field's column: `using` is the `ALTER … TYPE … USING`
 * expression (null when the column type stays), `badRows` a predicate over the old column that
 * is true for the rows whose value would not convert or would break the new field's rules.
 */
export interface ColumnConversion {
  readonly using: Sql | null;
  readonly badRows: Sql | null;
}

const DATE_SHAPE = '^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$';
const UUID_SHAPE = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

function numericShape(integer: number, scale: number): string {
  return scale > 0
    ? `^[+-]?[0-9]{1,${integer}}(\\.[0-9]{1,${scale}})?$`
    : `^[+-]?[0-9]{1,${integer}}$`;
}

/** The fraction digits the new field keeps (a number field's `decimals`, else its column's). */
function targetScale(target: BoundFieldType, columnScale: number): number {
  if (target.field.type !== 'number') return columnScale;
  const decimals = target.field.config?.decimals;
  return typeof decimals === 'number' ? decimals : NUMBER_DEFAULT_DECIMALS;
}

/**
 * Plans the conversion of column `column` from `fromType` to the column of `target`, or
 * returns null when no safe conversion exists (the publish is refused). Every conversion here
 * either keeps each value exactly (in the new type's canonical form) or finds the row first:
 * text → number accepts only plain decimals that fit; number → money only values with at most
 * two decimals; a date-time becomes a date only at midnight UTC.
 */
export function planConversion(
  column: string,
  fromType: string,
  target: BoundFieldType,
): ColumnConversion | null {
  const to = target.columnType;
  if (to === null) return null;
  const col = sql.id(column);
  const conversion = convertColumn(col, fromType, to, target);
  if (!conversion) return null;
  // The new field's rules judge the value *before* a typmod rounds it: `-342.356` cast to
  // numeric(18, 2) is already `-342.36`, so checking the cast would let the rounding through.
  const limits = numericLimits(to);
  const converted = limits
    ? fromType === 'text'
      ? sql`btrim(${col})::numeric`
      : col
    : (conversion.using ?? col);
  const rules = targetRules(converted, to, target);
  const badRows =
    conversion.badRows && rules
      ? sql`(case when ${conversion.badRows} then true else ${rules} end)`
      : (conversion.badRows ?? rules);
  return { using: conversion.using, badRows };
}

function convertColumn(
  col: Sql,
  from: string,
  to: string,
  target: BoundFieldType,
): ColumnConversion | null {
  const toLimits = numericLimits(to);
  const fromLimits = numericLimits(from);
  if (from === to) return { using: null, badRows: null };
  if (toLimits && fromLimits) return { using: sql`${col}::${columnTypeSql(to)}`, badRows: null };
  if (toLimits && from === 'text') {
    const shape = numericShape(toLimits.integer, targetScale(target, toLimits.scale));
    return {
      using: sql`btrim(${col})::${columnTypeSql(to)}`,
      badRows: sql`btrim(${col}) !~ ${shape}`,
    };
  }
  if (to === 'text') {
    switch (from) {
      case 'numeric':
      case 'numeric(18, 2)':
      case 'numeric(9, 4)':
      case 'boolean':
      case 'uuid':
        return { using: sql`${col}::text`, badRows: null };
      case 'date':
        return { using: sql`to_char(${col}, 'YYYY-MM-DD')`, badRows: null };
      case 'timestamptz(3)':
        return {
          using: sql`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
          badRows: null,
        };
      case 'text[]':
        return { using: sql`${col}[1]`, badRows: sql`cardinality(${col}) > 1` };
      default:
        return null;
    }
  }
  if (from === 'text' && to === 'boolean') {
    return {
      using: sql`lower(btrim(${col}))::boolean`,
      badRows: sql`lower(btrim(${col})) not in ('true', 'false')`,
    };
  }
  if (from === 'text' && to === 'date') {
    const shape = DATE_SHAPE;
    const trimmed = sql`btrim(${col})`;
    // make_date never fails on a shape-checked value; a day past the month's end rolls over
    // into the next month and so no longer prints as the input.
    const rebuilt = sql`to_char((make_date(substr(${trimmed}, 1, 4)::int, substr(${trimmed}, 6, 2)::int, 1) + (substr(${trimmed}, 9, 2)::int - 1))::date, 'YYYY-MM-DD')`;
    return {
      using: sql`to_date(${trimmed}, 'YYYY-MM-DD')`,
      badRows: sql`(case when ${trimmed} ~ ${shape} then ${rebuilt} <> ${trimmed} else true end)`,
    };
  }
  if (from === 'date' && to === 'timestamptz(3)') {
    return { using: sql`(${col}::timestamp at time zone 'UTC')`, badRows: null };
  }
  if (from === 'timestamptz(3)' && to === 'date') {
    return {
      using: sql`(${col} at time zone 'UTC')::date`,
      badRows: sql`(${col} at time zone 'UTC')::time <> '00:00'`,
    };
  }
  if (from === 'text' && to === 'uuid' && target.field.type !== 'relation') {
    return {
      using: sql`lower(btrim(${col}))::uuid`,
      badRows: sql`lower(btrim(${col})) !~ ${UUID_SHAPE}`,
    };
  }
  if (from === 'text' && to === 'text[]') {
    return { using: sql`case when ${col} is null then null else array[${col}] end`, badRows: null };
  }
  return null;
}

/** The new field's own rules over the converted value: range and scale, pattern, options. */
function targetRules(value: Sql, to: string, target: BoundFieldType): Sql | null {
  const limits = numericLimits(to);
  if (limits) {
    const scale = targetScale(target, limits.scale);
    return sql`(${value} <> round(${value}, ${scale}::int) or abs(${value}) >= ${String(10 ** limits.integer)}::numeric)`;
  }
  const schema = target.valueSchema;
  if (to === 'text') {
    const checks: Sql[] = [];
    if (typeof schema.pattern === 'string') checks.push(sql`${value} !~ ${schema.pattern}`);
    if (Array.isArray(schema.enum))
      checks.push(sql`not (${value} = any(${textArray(schema.enum)}))`);
    if (typeof schema.maxLength === 'number')
      checks.push(sql`char_length(${value}) > ${schema.maxLength}::int`);
    if (target.field.type === 'text') checks.push(sql`${value} ~ '[\r\n]'`);
    return checks.length === 0 ? null : sql`(${sql.join(checks, sql` or `)})`;
  }
  if (to === 'text[]') {
    const items = schema.items;
    const options =
      typeof items === 'object' && items !== null ? Reflect.get(items, 'enum') : undefined;
    if (Array.isArray(options)) return sql`not (${value} <@ ${textArray(options)})`;
  }
  return null;
}

/** A text array parameter (option values). */
function textArray(values: readonly unknown[]): Sql {
  return sql`${values.map(String)}::text[]`;
}
