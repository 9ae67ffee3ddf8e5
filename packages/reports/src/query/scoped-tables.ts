import { type LogicContext, logicToSql, type SqlRelation, type SqlSchema } from '@joinery/rules';
import { type RawBuilder, sql } from 'kysely';
import type { Dataset, DatasetCatalog } from '../dataset.ts';
import type { ReportAccess } from '../report-access.ts';
import { assertDatasetReadable } from './field-rights.ts';

/**
 * The schema a row scope is translated over: the dataset's fields and its relations to the raw
 * related tables. A scope is trusted (the access layer wrote it), so it may read what the viewer
 * cannot; it decides visibility, it is not shown.
 */
export function scopeSchema(dataset: Dataset, catalog: DatasetCatalog, alias: string): SqlSchema {
  const relations: Record<string, SqlRelation> = {};
  for (const [name, relation] of Object.entries(dataset.relations ?? {})) {
    const target = Object.hasOwn(catalog, relation.dataset) ? catalog[relation.dataset] : undefined;
    if (!target) continue;
    relations[name] = {
      table: target.table,
      foreignKey: relation.foreignKey,
      targetKey: relation.targetKey,
      fields: target.fields,
    };
  }
  return { table: dataset.table, alias, fields: dataset.fields, relations };
}

/**
 * The related tables a report reads, each as a CTE holding only the rows the viewer may see
 * (`not materialized`, so Postgres plans it inline). Joins and the correlated lookups of
 * filters read these, never the raw table: a related record outside the viewer's scope reads as
 * null, exactly as if the reference were empty.
 */
export class ScopedTables {
  private readonly names = new Map<string, string>();
  private readonly definitions: RawBuilder<unknown>[] = [];

  constructor(
    private readonly catalog: DatasetCatalog,
    private readonly access: ReportAccess,
    private readonly context: LogicContext,
  ) {}

  /** The CTE name holding the viewer's rows of `datasetName`. */
  nameFor(datasetName: string): string {
    const known = this.names.get(datasetName);
    if (known) return known;
    const dataset = this.catalog[datasetName];
    if (!dataset) throw new Error(`Unknown dataset ${datasetName}`);
    const rights = assertDatasetReadable(this.access, datasetName);
    const name = `jny_scope_${this.names.size}`;
    const scope = logicToSql(
      rights.scope,
      scopeSchema(dataset, this.catalog, 'jny_s'),
      this.context,
    );
    this.definitions.push(
      sql`${sql.id(name)} as not materialized (select * from ${sql.id(dataset.table)} as ${sql.id('jny_s')} where ${scope})`,
    );
    this.names.set(datasetName, name);
    return name;
  }

  /** The CTE definitions, in order. */
  ctes(): readonly RawBuilder<unknown>[] {
    return this.definitions;
  }
}
