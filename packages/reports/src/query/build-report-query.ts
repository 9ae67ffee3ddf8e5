import type { LogicContext } from '@joinery/rules';
import { type CompiledQuery, sql } from 'kysely';
import type { PreparedAggregate, PreparedReport } from '../definition/prepared-report.ts';
import type { ReportAccess } from '../report-access.ts';
import { combineSources } from './combine-sources.ts';
import { compileOnlyDb } from './compile-only-db.ts';
import { bindGlobalFilters } from './global-filters.ts';
import { measureExpressions } from './measure-sql.ts';
import { outputSql } from './output-sql.ts';
import { ScopedTables } from './scoped-tables.ts';
import { sourceQuery } from './source-query.ts';

/** What the viewer brings to a report run. */
export interface ReportQueryOptions {
  /** The viewer's row scopes and readable fields, by dataset. Fail-closed. */
  readonly access: ReportAccess;
  /**
   * The dashboard's global filters: JSON-logic over the report's `globalFields` names (e.g.
   * `{"<=": ["2026-01-01", {"var": "period"}, "2026-03-31"]}`). Each applies to the sources
   * binding every name it reads; one that applies to no source is listed in
   * `ignoredGlobalFilters`.
   */
  readonly globalFilters?: readonly unknown[];
  /** `$user`, `$now` and the time-zone offset for scopes and filters. */
  readonly context?: LogicContext;
}

/** A report's one SQL statement, ready for the server to run. */
export interface ReportQuery {
  /** Parameterised SQL: identifiers only from the catalogue, every value a parameter. */
  readonly compiled: CompiledQuery<Record<string, unknown>>;
  /** Indexes of the global filters that bind to no source of this report. */
  readonly ignoredGlobalFilters: readonly number[];
}

/**
 * Builds the one aggregate statement of a report for one viewer: each source aggregated in a
 * CTE under the viewer's row scope (related tables through their scoped CTEs too), the groups of
 * several sources joined on the shared dimensions, then ratios and window measures (share,
 * running total, change) over the groups, sorted, limited to `limit + 1` rows (the extra row
 * tells `shapeResult` the result was cut). Refuses a source dataset the viewer may not read
 * (`JNY_REPORT_DATASET_FORBIDDEN`) and any dimension, measure or filter over a field they may
 * not read (`JNY_REPORT_FIELD_UNREADABLE`); filters the rule engine cannot translate fail with
 * its `JNY_RULE_*` errors. No rows are loaded: run `compiled` and pass the rows to `shapeResult`.
 */
export function buildReportQuery(report: PreparedReport, options: ReportQueryOptions): ReportQuery {
  const context = options.context ?? {};
  const scoped = new ScopedTables(report.catalog, options.access, context);
  const bound = bindGlobalFilters(report, options.globalFilters ?? []);
  const sources = report.sources.map((source, sourceIndex) => {
    const aggregates = report.measures.filter(
      (measure): measure is PreparedAggregate =>
        measure.role === 'aggregate' && measure.sourceIndex === sourceIndex,
    );
    const query = sourceQuery({
      source,
      sourceIndex,
      dimensions: report.dimensions,
      aggregates,
      globalFilters: bound.perSource[sourceIndex] ?? [],
      catalog: report.catalog,
      access: options.access,
      context,
      scoped,
    });
    return { name: `jny_src_${sourceIndex}`, aggregates, query };
  });

  const dimensionKeys = report.dimensions.map((dimension) => dimension.key);
  const combined = combineSources(sources, dimensionKeys);
  const measures = measureExpressions(report.measures, report.dimensions);
  const selections = [
    ...report.dimensions.map(
      (dimension) =>
        sql`${outputSql(sql.id('jny_agg', dimension.key), dimension.kind)} as ${sql.id(dimension.key)}`,
    ),
    ...report.measures.map((measure) => {
      const expression = measures.get(measure.key) ?? sql`null`;
      return sql`${outputSql(expression, measure.kind)} as ${sql.id(measure.key)}`;
    }),
  ];
  const sortKeys = [
    ...(report.definition.sort ?? []),
    ...dimensionKeys.map((key) => ({ key, direction: 'asc' as const })),
  ];
  const orderBy = sortKeys.map(({ key, direction }) => {
    const expression = measures.get(key) ?? sql.id('jny_agg', key);
    return direction === 'desc'
      ? sql`${expression} desc nulls last`
      : sql`${expression} asc nulls last`;
  });
  const ctes = [
    ...scoped.ctes(),
    ...sources.map((source) => sql`${sql.id(source.name)} as (${source.query})`),
    sql`${sql.id('jny_agg')} as (${combined})`,
  ];
  const order = orderBy.length === 0 ? sql`` : sql` order by ${sql.join(orderBy)}`;
  const statement = sql<
    Record<string, unknown>
  >`with ${sql.join(ctes)} select ${sql.join(selections)} from ${sql.id('jny_agg')}${order} limit ${report.limit + 1}`;
  return { compiled: statement.compile(compileOnlyDb), ignoredGlobalFilters: bound.ignored };
}
