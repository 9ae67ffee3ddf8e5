import { type RawBuilder, sql } from 'kysely';
import type { PreparedAggregate } from '../definition/prepared-report.ts';

/** One source's aggregate CTE: its name and the aggregates it computes. */
export interface SourceCte {
  readonly name: string;
  readonly aggregates: readonly PreparedAggregate[];
}

/**
 * The select behind `jny_agg`: one row per group with every aggregate. One source is its own
 * CTE. Several sources are joined on the shared dimensions: every group found in any source
 * (a `union` of their keys), each source left-joined with `is not distinct from` so null groups
 * meet; a count where a source has no rows for the group is 0, other aggregates null. Without
 * dimensions the one-row aggregates are cross-joined.
 */
export function combineSources(
  sources: readonly SourceCte[],
  dimensionKeys: readonly string[],
): RawBuilder<unknown> {
  const [first] = sources;
  if (!first) throw new Error('A report has at least one source');
  if (sources.length === 1) return sql`select * from ${sql.id(first.name)}`;
  const aggregates = sources.flatMap((source) =>
    source.aggregates.map((measure) => {
      const column = sql.id(source.name, measure.key);
      const value =
        measure.op === 'count' || measure.op === 'count_distinct'
          ? sql`coalesce(${column}, 0)`
          : column;
      return sql`${value} as ${sql.id(measure.key)}`;
    }),
  );
  if (dimensionKeys.length === 0) {
    return sql`select ${sql.join(aggregates)} from ${sql.join(sources.map((source) => sql.id(source.name)))}`;
  }
  const keys = sql.join(
    sources.map(
      (source) =>
        sql`select ${sql.join(dimensionKeys.map((key) => sql.id(key)))} from ${sql.id(source.name)}`,
    ),
    sql` union `,
  );
  const joins = sources.map((source) => {
    const on = dimensionKeys.map(
      (key) => sql`${sql.id(source.name, key)} is not distinct from ${sql.id('jny_keys', key)}`,
    );
    return sql`left join ${sql.id(source.name)} on ${sql.join(on, sql` and `)}`;
  });
  const columns = [...dimensionKeys.map((key) => sql.id('jny_keys', key)), ...aggregates];
  return sql`select ${sql.join(columns)} from (${keys}) as ${sql.id('jny_keys')} ${sql.join(joins, sql` `)}`;
}
