import type { SqlField, SqlSchema } from '@joinery/rules';
import { type RawBuilder, sql } from 'kysely';
import type { Dataset } from '../dataset.ts';
import type { ResolvedField } from '../definition/prepared-report.ts';
import type { ScopedTables } from './scoped-tables.ts';

/** The alias of a source's rows in its aggregate. */
export const ROW = 'jny_row';
const BASE = 'jny_t';

/**
 * A source's rows with the related fields the report reads flattened in as extra columns:
 * `(select jny_t.*, jny_join_0.channel as jny_f_0 from <table> jny_t left join <scoped
 * customers> jny_join_0 on …) as jny_row`. Postgres pulls the subquery up, so dimensions,
 * measures and filters over related fields all become one hash join instead of a correlated
 * lookup per row. A relation's `targetKey` must be unique (the related table's key), as for any
 * many-to-one reference.
 */
export class SourceRows {
  private readonly joins = new Map<string, { alias: string; sql: RawBuilder<unknown> }>();
  private readonly columns = new Map<
    string,
    { column: string; field: SqlField; sql: RawBuilder<unknown> }
  >();
  private readonly taken: Set<string>;

  constructor(
    private readonly dataset: Dataset,
    private readonly scoped: ScopedTables,
  ) {
    this.taken = new Set([
      ...Object.keys(dataset.fields),
      ...Object.values(dataset.fields).map((field) => field.column),
    ]);
  }

  /** The column of `jny_row` holding the field (registering a related field on first use). */
  column(field: ResolvedField): string {
    if (!field.relation) return field.field.column;
    const key = `${field.relation}\u0000${field.name}`;
    const known = this.columns.get(key);
    if (known) return known.column;
    const alias = this.join(field.relation);
    let column = `jny_f_${this.columns.size}`;
    while (this.taken.has(column)) column = `${column}_`;
    this.taken.add(column);
    this.columns.set(key, {
      column,
      field: { column, type: field.field.type },
      sql: sql`${sql.id(alias, field.field.column)} as ${sql.id(column)}`,
    });
    return column;
  }

  /** A reference to the field in the aggregate's select list. */
  ref(field: ResolvedField): RawBuilder<unknown> {
    return sql.id(ROW, this.column(field));
  }

  /**
   * The path a filter uses for the field in `schema()`: the field's own name, or the flattened
   * column for a related field (a name no dataset field has).
   */
  path(field: ResolvedField): string {
    return field.relation ? this.column(field) : field.name;
  }

  /** The schema filters translate over: the dataset's fields and the flattened related ones. */
  schema(): SqlSchema {
    const fields: Record<string, SqlField> = { ...this.dataset.fields };
    for (const { column, field } of this.columns.values()) fields[column] = field;
    return { table: this.dataset.table, alias: ROW, fields };
  }

  /** The `from` item: the table itself, or the flattening subquery. */
  from(): RawBuilder<unknown> {
    const table = sql.id(this.dataset.table);
    if (this.columns.size === 0) return sql`${table} as ${sql.id(ROW)}`;
    const extra = [...this.columns.values()].map((item) => item.sql);
    const joins = [...this.joins.values()].map((item) => item.sql);
    return sql`(select ${sql.id(BASE)}.*, ${sql.join(extra)} from ${table} as ${sql.id(BASE)} ${sql.join(joins, sql` `)}) as ${sql.id(ROW)}`;
  }

  private join(relationName: string): string {
    const known = this.joins.get(relationName);
    if (known) return known.alias;
    const relation = this.dataset.relations?.[relationName];
    if (!relation) throw new Error(`Unknown relation ${relationName}`);
    const alias = `jny_join_${this.joins.size}`;
    const table = this.scoped.nameFor(relation.dataset);
    this.joins.set(relationName, {
      alias,
      sql: sql`left join ${sql.id(table)} as ${sql.id(alias)} on ${sql.id(alias, relation.targetKey)} = ${sql.id(BASE, relation.foreignKey)}`,
    });
    return alias;
  }
}
