import { type CreateTableBuilder, sql } from 'kysely';
import { columnDataType, columnTypeSql } from './column-data-type.ts';
import { coldDb, type SqlStatement, statement } from './ddl-compiler.ts';
import { constraintName } from './table-names.ts';

/** The system columns of every form table, in order. */
export const SYSTEM_COLUMNS = Object.freeze([
  { name: 'id', type: 'uuid' },
  { name: 'created_at', type: 'timestamptz(3)' },
  { name: 'created_by', type: 'uuid' },
  { name: 'updated_at', type: 'timestamptz(3)' },
  { name: 'updated_by', type: 'uuid' },
  { name: 'owner', type: 'uuid' },
  { name: 'version', type: 'integer' },
  { name: 'deleted_at', type: 'timestamptz(3)' },
] as const);

/** A column to create for a field: its name, type and the table a relation points to. */
export interface ColumnSpec {
  readonly name: string;
  /** The field type's column type (`bound.columnType`), or `text` for a blind-index column. */
  readonly columnType: string;
  /** `schema.table` of a one-relation's target; null for other fields. */
  readonly references: string | null;
}

type AnyCreateTable = CreateTableBuilder<string, string>;

function addFieldColumn(builder: AnyCreateTable, column: ColumnSpec): AnyCreateTable {
  const type = columnDataType(column.columnType);
  return column.references
    ? builder.addColumn(column.name, type, (col) => col.references(`${column.references}.id`))
    : builder.addColumn(column.name, type);
}

/** `create schema if not exists app_<key>`. */
export function createSchemaSql(schema: string): SqlStatement {
  return statement(coldDb.schema.createSchema(schema).ifNotExists().compile());
}

/** The form table: system columns (id, audit columns, owner, version, soft delete), then fields. */
export function createFormTableSql(
  schema: string,
  table: string,
  columns: readonly ColumnSpec[],
): SqlStatement {
  let builder: AnyCreateTable = coldDb.schema
    .withSchema(schema)
    .createTable(table)
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('created_at', 'timestamptz(3)', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('created_by', 'uuid')
    .addColumn('updated_at', 'timestamptz(3)', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by', 'uuid')
    .addColumn('owner', 'uuid')
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('deleted_at', 'timestamptz(3)');
  for (const column of columns) builder = addFieldColumn(builder, column);
  return statement(builder.compile());
}

/** A subform's child table: `id`, `parent_id` (cascading FK to the form), `row_order`, fields. */
export function createChildTableSql(
  schema: string,
  table: string,
  parent: string,
  columns: readonly ColumnSpec[],
): SqlStatement {
  let builder: AnyCreateTable = coldDb.schema
    .withSchema(schema)
    .createTable(table)
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('parent_id', 'uuid', (col) =>
      col.notNull().references(`${schema}.${parent}.id`).onDelete('cascade'),
    )
    .addColumn('row_order', 'integer', (col) => col.notNull().defaultTo(0));
  for (const column of columns) builder = addFieldColumn(builder, column);
  return statement(builder.compile());
}

/** A many-relation's junction table: (`source_id`, `target_id`), both cascading FKs. */
export function createJunctionTableSql(
  schema: string,
  table: string,
  source: string,
  target: string,
  primaryKeyName: string,
): SqlStatement {
  return statement(
    coldDb.schema
      .withSchema(schema)
      .createTable(table)
      .addColumn('source_id', 'uuid', (col) =>
        col.notNull().references(`${schema}.${source}.id`).onDelete('cascade'),
      )
      .addColumn('target_id', 'uuid', (col) =>
        col.notNull().references(`${schema}.${target}.id`).onDelete('cascade'),
      )
      .addColumn('row_order', 'integer', (col) => col.notNull().defaultTo(0))
      .addPrimaryKeyConstraint(constraintName(primaryKeyName, 'source', 'target'), [
        'source_id',
        'target_id',
      ])
      .compile(),
  );
}

/** `alter table … add column`. */
export function addColumnSql(schema: string, table: string, column: ColumnSpec): SqlStatement {
  const type = columnDataType(column.columnType);
  const alter = coldDb.schema.withSchema(schema).alterTable(table);
  return statement(
    (column.references
      ? alter.addColumn(column.name, type, (col) => col.references(`${column.references}.id`))
      : alter.addColumn(column.name, type)
    ).compile(),
  );
}

/** `alter table … rename column`. */
export function renameColumnSql(
  schema: string,
  table: string,
  from: string,
  to: string,
): SqlStatement {
  return statement(
    coldDb.schema.withSchema(schema).alterTable(table).renameColumn(from, to).compile(),
  );
}

/** `alter table … alter column … type … using …` (kysely has no USING: a template with ids). */
export function alterColumnTypeSql(
  schema: string,
  table: string,
  column: string,
  columnType: string,
  using: unknown,
): SqlStatement {
  return statement(
    sql`alter table ${sql.id(schema, table)} alter column ${sql.id(column)} type ${columnTypeSql(columnType)} using ${using}`.compile(
      coldDb,
    ),
  );
}

/** `alter table … drop column` (a purge). */
export function dropColumnSql(schema: string, table: string, column: string): SqlStatement {
  return statement(coldDb.schema.withSchema(schema).alterTable(table).dropColumn(column).compile());
}

/** The rows whose values an `encode-values` step rewrites (run by the server, in batches). */
export function encodedRowsSql(schema: string, table: string, column: string): SqlStatement {
  return statement(
    sql`select id, ${sql.id(column)} as value from ${sql.id(schema, table)} where ${sql.id(column)} is not null`.compile(
      coldDb,
    ),
  );
}

/** `alter table … rename to`. */
export function renameTableSql(schema: string, from: string, to: string): SqlStatement {
  return statement(coldDb.schema.withSchema(schema).alterTable(from).renameTo(to).compile());
}

/** `drop table` (a purged subform or many-relation). */
export function dropTableSql(schema: string, table: string): SqlStatement {
  return statement(coldDb.schema.withSchema(schema).dropTable(table).compile());
}

/** The kinds of index a field gets. */
export type IndexKind = 'unique' | 'btree' | 'gin';

/** An index on one column; a unique index ignores soft-deleted rows. */
export function createIndexSql(
  schema: string,
  table: string,
  name: string,
  columns: readonly string[],
  kind: IndexKind,
  softDelete: boolean,
): SqlStatement {
  let builder = coldDb.schema
    .withSchema(schema)
    .createIndex(name)
    .on(table)
    .columns([...columns]);
  if (kind === 'unique') builder = builder.unique();
  if (kind === 'unique' && softDelete)
    builder = builder.where(sql<boolean>`${sql.id('deleted_at')} is null`);
  if (kind === 'gin') builder = builder.using('gin');
  return statement(builder.compile());
}

/** `drop index if exists`. */
export function dropIndexSql(schema: string, name: string): SqlStatement {
  return statement(coldDb.schema.withSchema(schema).dropIndex(name).ifExists().compile());
}

/** The index name of a field's index of `kind`. */
export function fieldIndexName(table: string, fieldId: string, kind: IndexKind): string {
  return constraintName(table, fieldId, kind === 'unique' ? 'uq' : 'ix');
}
