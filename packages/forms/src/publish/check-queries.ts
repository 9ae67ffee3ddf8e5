import { type Expression, sql } from 'kysely';
import { coldDb, type SqlStatement, statement } from './ddl-compiler.ts';

/** How many offending rows a check lists. */
export const CHECK_ROW_LIMIT = 100;

/**
 * Rows of `table` whose `column` would not survive a conversion (`badRows` is the predicate
 * from `planConversion`, over the live column): `{ id, value }` as text, by id.
 */
export function conversionCheckSql(
  schema: string,
  table: string,
  column: string,
  badRows: Expression<unknown>,
): SqlStatement {
  const value = sql.id(column);
  return statement(
    coldDb
      .withSchema(schema)
      .selectFrom(table)
      .select([
        sql<string>`${sql.id('id')}::text`.as('id'),
        sql<string>`${value}::text`.as('value'),
      ])
      .where(sql<boolean>`${value} is not null and ${badRows}`)
      .orderBy(sql`${sql.id('id')}`)
      .limit(CHECK_ROW_LIMIT)
      .compile(),
  );
}

/**
 * Values of `expression` (a column, or its cast) held by more than one live record, with one
 * record id each: what a new or rebuilt unique index would refuse.
 */
export function duplicatesCheckSql(
  schema: string,
  table: string,
  expression: Expression<unknown>,
): SqlStatement {
  return statement(
    coldDb
      .withSchema(schema)
      .selectFrom(table)
      .select([
        sql<string>`min(${sql.id('id')}::text)`.as('id'),
        sql<string>`${expression}::text`.as('value'),
      ])
      .where(sql<boolean>`${expression} is not null and ${sql.id('deleted_at')} is null`)
      .groupBy(sql`${expression}`)
      .having(sql<boolean>`count(*) > 1`)
      .limit(CHECK_ROW_LIMIT)
      .compile(),
  );
}
