import { type LogicContext, logicToSql } from '@joinery/rules';
import { isJoineryError, JoineryError } from '@joinery/shared';
import { type RawBuilder, sql } from 'kysely';
import type { DatasetCatalog } from '../dataset.ts';
import type {
  PreparedAggregate,
  PreparedDimension,
  PreparedSource,
  ResolvedField,
} from '../definition/prepared-report.ts';
import { namesEncrypted, resolveField } from '../definition/resolve-field.ts';
import type { ReportAccess } from '../report-access.ts';
import { dimensionSql } from './dimension-sql.ts';
import { assertDatasetReadable, assertFieldReadable } from './field-rights.ts';
import { renameVars } from './logic-vars.ts';
import { aggregateSql } from './measure-sql.ts';
import { type ScopedTables, scopeSchema } from './scoped-tables.ts';
import { ROW, SourceRows } from './source-rows.ts';

/** Everything one source's aggregate needs. */
export interface SourceQueryInput {
  readonly source: PreparedSource;
  readonly sourceIndex: number;
  readonly dimensions: readonly PreparedDimension[];
  readonly aggregates: readonly PreparedAggregate[];
  /** Global filters already bound to this source's fields, with their pointers. */
  readonly globalFilters: readonly { readonly logic: unknown; readonly pointer: string }[];
  readonly catalog: DatasetCatalog;
  readonly access: ReportAccess;
  readonly context: LogicContext;
  readonly scoped: ScopedTables;
}

/**
 * One source's aggregate as a `select … group by`: its rows under the viewer's scope, the
 * source filter and the dashboard's global filters; related fields, in filters as elsewhere,
 * read through left joins to the scoped related tables (`SourceRows`). Every field it touches
 * is checked readable first.
 */
export function sourceQuery(input: SourceQueryInput): RawBuilder<unknown> {
  const { source, sourceIndex, catalog, access, context, scoped } = input;
  const rights = assertDatasetReadable(access, source.datasetName);
  const dataset = source.dataset;

  const conditions: { logic: unknown; pointer: string }[] = [];
  if (source.filter !== undefined) {
    conditions.push({ logic: source.filter, pointer: `/sources/${sourceIndex}/filter` });
  }
  conditions.push(...input.globalFilters);
  // Every field of dimensions and measures, checked first.
  const fields: ResolvedField[] = [];
  for (const dimension of input.dimensions) {
    const field = dimension.fields[sourceIndex];
    if (field) fields.push(field);
    const since = dimension.since?.[sourceIndex];
    if (since) fields.push(since);
  }
  for (const measure of input.aggregates) {
    if (measure.field) fields.push(measure.field);
    if (measure.since) fields.push(measure.since);
  }
  for (const field of fields) assertFieldReadable(access, field);

  const rows = new SourceRows(dataset, scoped);
  const fieldSql = (field: ResolvedField) => rows.ref(field);
  // A filter's fields are checked readable, and related ones renamed to their flattened column.
  const translate = (logic: unknown, pointer: string) => {
    const flat = renameVars(
      logic,
      (path, at) => {
        const field = resolveField(catalog, source.datasetName, path);
        if (!field && namesEncrypted(catalog, source.datasetName, path)) {
          throw new JoineryError('JNY_FIELD_ENCRYPTED_QUERY', { field: path.slice(0, 64) });
        }
        if (!field) {
          throw new JoineryError('JNY_REPORT_FILTER_INVALID', {
            path: at,
            reason: `the dataset ${source.datasetName} has no field ${path}`,
          });
        }
        assertFieldReadable(access, field);
        return rows.path(field);
      },
      pointer,
    );
    return withPointer(pointer, () => logicToSql(flat, rows.schema(), context));
  };

  const where = conditions.map(({ logic, pointer }) => translate(logic, pointer));
  const selections = [
    ...input.dimensions.map(
      (dimension) =>
        sql`${dimensionSql(dimension, sourceIndex, fieldSql, context.utcOffsetMinutes)} as ${sql.id(dimension.key)}`,
    ),
    ...input.aggregates.map((measure) => {
      const filter =
        measure.filter === undefined
          ? null
          : translate(measure.filter, `${measure.pointer}/filter`);
      return sql`${aggregateSql(measure, fieldSql, filter)} as ${sql.id(measure.key)}`;
    }),
  ];
  const scope = logicToSql(rights.scope, scopeSchema(dataset, catalog, ROW), context);
  // Grouping by output position, not by expression: a dimension's parameters ($1, $2…) differ
  // between the select list and a repeated group-by expression, which Postgres would refuse.
  // WARNING! `sql.lit` inlines its value into the SQL text; using this with unchecked inputs
  // will lead to SQL injection. Here it only ever receives small integers computed here.
  const groupBy =
    input.dimensions.length === 0
      ? sql``
      : sql` group by ${sql.join(input.dimensions.map((_, index) => sql.lit(index + 1)))}`;
  return sql`select ${sql.join(selections)} from ${rows.from()} where ${sql.join([scope, ...where], sql` and `)}${groupBy}`;
}

/**
 * Runs a rule-engine translation, prefixing the path of its errors (relative to the condition)
 * with where the condition sits in the definition, so the designer can point at it.
 */
function withPointer<T>(pointer: string, translate: () => T): T {
  try {
    return translate();
  } catch (error) {
    if (isJoineryError(error) && typeof error.params.path === 'string') {
      throw new JoineryError(error.code, { ...error.params, path: pointer + error.params.path });
    }
    throw error;
  }
}
