import {
  type CompiledQuery,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
} from 'kysely';

/**
 * A kysely instance that can only compile: its driver does nothing, so the engine builds SQL
 * as data without a database. The server runs the compiled queries with its own connection.
 */
export const coldDb = new Kysely<Record<string, never>>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

/** A compiled statement: SQL text with `$n` placeholders and their parameters. */
export type SqlStatement = Pick<CompiledQuery, 'sql' | 'parameters'>;

/** Keeps only what a caller needs to run a compiled query. */
export function statement(query: CompiledQuery): SqlStatement {
  return Object.freeze({ sql: query.sql, parameters: Object.freeze([...query.parameters]) });
}
