import { type RawBuilder, sql } from 'kysely';
import type {
  PreparedAggregate,
  PreparedDerived,
  PreparedDimension,
  PreparedMeasure,
} from '../definition/prepared-report.ts';
import type { DurationUnit } from '../definition/report-definition.ts';
import { BUCKET_INTERVAL, type FieldSql } from './dimension-sql.ts';

/** An aggregate over one source's rows, restricted by its own filter when it has one. */
export function aggregateSql(
  measure: PreparedAggregate,
  fieldSql: FieldSql,
  filter: RawBuilder<unknown> | null,
): RawBuilder<unknown> {
  const value = measure.since
    ? durationSql(measure, fieldSql)
    : measure.field
      ? fieldSql(measure.field)
      : sql`*`;
  const call = (() => {
    switch (measure.op) {
      case 'count':
        return measure.field ? sql`count(${value})` : sql`count(*)`;
      case 'count_distinct':
        return sql`count(distinct ${value})`;
      case 'sum':
        return sql`sum(${value})`;
      case 'avg':
        return sql`avg(${value})`;
      case 'min':
        return sql`min(${value})`;
      case 'max':
        return sql`max(${value})`;
    }
  })();
  return filter ? sql`${call} filter (where ${filter})` : call;
}

const SECONDS: Readonly<Record<DurationUnit, number>> = { day: 86_400, hour: 3_600, minute: 60 };

/** The time from `since` to `field` in the measure's unit (float8; null when either is empty). */
function durationSql(measure: PreparedAggregate, fieldSql: FieldSql): RawBuilder<unknown> {
  if (!measure.field || !measure.since) throw new Error(`${measure.key} is not a duration`);
  const end = fieldSql(measure.field);
  const start = fieldSql(measure.since);
  const seconds =
    measure.field.field.type === 'date'
      ? sql`((${end}) - (${start}))::float8 * 86400`
      : sql`extract(epoch from (${end}) - (${start}))::float8`;
  return sql`(${seconds} / ${SECONDS[measure.unit ?? 'day']})`;
}

/**
 * The value of every measure in the final select over `jny_agg` (the groups with their
 * aggregates): aggregates are columns; ratios divide exactly in `numeric`; shares, running
 * totals and changes are window functions over the groups, so they stay in the one statement.
 */
export function measureExpressions(
  measures: readonly PreparedMeasure[],
  dimensions: readonly PreparedDimension[],
): Map<string, RawBuilder<unknown>> {
  const expressions = new Map<string, RawBuilder<unknown>>();
  const of = (key: string) => {
    const expression = expressions.get(key);
    if (!expression) throw new Error(`Measure ${key} is used before it is defined`);
    return expression;
  };
  for (const measure of measures) {
    expressions.set(
      measure.key,
      measure.role === 'aggregate'
        ? sql.id('jny_agg', measure.key)
        : derivedSql(measure, dimensions, of),
    );
  }
  return expressions;
}

function derivedSql(
  measure: PreparedDerived,
  dimensions: readonly PreparedDimension[],
  of: (key: string) => RawBuilder<unknown>,
): RawBuilder<unknown> {
  const definition = measure.definition;
  const column = (key: string) => sql.id('jny_agg', key);
  switch (definition.op) {
    case 'ratio':
      return divide(of(definition.numerator), of(definition.denominator));
    case 'share': {
      const total = sql`sum((${of(definition.of)})::numeric) over (${partition(
        (definition.per ?? []).map(column),
      )})`;
      return divide(of(definition.of), total);
    }
    case 'running_total':
    case 'change': {
      const along = dimensions.find(
        (item) => item.key === (definition.along ?? dimensions[0]?.key),
      );
      if (!along) throw new Error(`Measure ${measure.key} has no dimension to run along`);
      const others = dimensions.filter((item) => item !== along).map((item) => column(item.key));
      const alongSql = column(along.key);
      const window = sql`${partition(others)} order by ${alongSql} asc nulls last`;
      const value = of(definition.of);
      if (definition.op === 'running_total') {
        return sql`sum(${value}) over (${window} rows between unbounded preceding and current row)`;
      }
      const previous =
        along.bucket && !along.since
          ? sql`(case when lag(${alongSql}) over (${window}) = ${alongSql} - ${BUCKET_INTERVAL[along.bucket]}::interval then lag(${value}) over (${window}) end)`
          : sql`lag(${value}) over (${window})`;
      return definition.mode === 'ratio'
        ? divide(sql`(${value}) - ${previous}`, previous)
        : sql`((${value}) - ${previous})`;
    }
  }
}

/** Exact division; null when the divisor is 0 or null. */
function divide(a: RawBuilder<unknown>, b: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`((${a})::numeric / nullif((${b})::numeric, 0))`;
}

function partition(columns: readonly RawBuilder<unknown>[]): RawBuilder<unknown> {
  return columns.length === 0 ? sql`` : sql`partition by ${sql.join(columns)}`;
}
