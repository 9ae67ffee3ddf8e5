import { JoineryError } from '@joinery/shared';
import { type RawBuilder, sql } from 'kysely';
import type { SqlField, SqlFieldType, SqlSchema } from './sql-schema.ts';

/**
 * A translated value. `constant`: known at translation time (literals, context values, folded
 * sub-expressions), kept as JavaScript so coercions are computed exactly as in memory.
 * `column`: a field (nullable). `number`: a float8 expression mirroring a JavaScript number —
 * never NULL, may be NaN or ±Infinity.
 */
export type Operand =
  | { readonly kind: 'constant'; readonly value: unknown }
  | { readonly kind: 'column'; readonly sql: RawBuilder<unknown>; readonly type: SqlFieldType }
  | { readonly kind: 'number'; readonly sql: RawBuilder<number> };

/** Refuses a construct that has no faithful SQL translation. */
export function unsupported(reason: string, path: string): never {
  throw new JoineryError('JNY_RULE_SQL_UNSUPPORTED', { reason, path });
}

const hasOwn = Object.hasOwn;

/** Resolves a field path (`amount`, `customer.grade`) against the schema only. */
export function fieldOperand(schema: SqlSchema, fieldPath: string, path: string): Operand {
  const table = schema.alias ?? schema.table;
  const [name = '', subField, ...rest] = fieldPath.split('.');
  if (subField === undefined && hasOwn(schema.fields, name)) {
    const field = schema.fields[name] as SqlField;
    return { kind: 'column', sql: sql.id(table, field.column), type: field.type };
  }
  const relation =
    schema.relations && hasOwn(schema.relations, name) ? schema.relations[name] : undefined;
  if (
    relation &&
    subField !== undefined &&
    rest.length === 0 &&
    hasOwn(relation.fields, subField)
  ) {
    const field = relation.fields[subField] as SqlField;
    const alias = `jny_rel_${name.replace(/\W/g, '_')}`;
    const subquery = sql`(select ${sql.id(alias, field.column)} from ${sql.id(relation.table)} as ${sql.id(alias)} where ${sql.id(alias, relation.targetKey)} = ${sql.id(table, relation.foreignKey)})`;
    return { kind: 'column', sql: subquery, type: field.type };
  }
  throw new JoineryError('JNY_RULE_SQL_UNKNOWN_FIELD', { field: fieldPath, path });
}

/** A JavaScript number as a float8 parameter (NaN and ±Infinity included). */
export function floatParameter(value: number): RawBuilder<number> {
  return sql<number>`${Number.isNaN(value) ? 'NaN' : String(value)}::float8`;
}

/** Numeric column types. */
export function isNumeric(type: SqlFieldType): boolean {
  return type === 'number' || type === 'money';
}

/**
 * An operand as a float8 JavaScript number for arithmetic. `parse` selects the coercion of the
 * operator: `parseFloat` (json-logic-js's `+` and `*`: null → NaN) or `Number` (`-`, `/`: null
 * → 0).
 */
export function toFloat(
  operand: Operand,
  parse: 'parseFloat' | 'number',
  path: string,
): RawBuilder<number> {
  switch (operand.kind) {
    case 'number':
      return operand.sql;
    case 'constant': {
      const value = operand.value;
      const number =
        parse === 'number'
          ? Number(value)
          : typeof value === 'number'
            ? value
            : Number.parseFloat(String(value));
      return floatParameter(number);
    }
    case 'column':
      if (!isNumeric(operand.type)) {
        return unsupported(`arithmetic on a ${operand.type} field`, path);
      }
      return parse === 'number'
        ? sql<number>`coalesce(${operand.sql}::float8, 0)`
        : sql<number>`coalesce(${operand.sql}::float8, 'NaN'::float8)`;
  }
}
