import type { ColumnKind } from '../definition/prepared-report.ts';
import type { CellValue, EChartsDimension, ResultTable, ShapedColumn } from './chart-data.ts';

/** The dimensions and measures of a table, with their positions. */
export function splitColumns(table: ResultTable): {
  dimensions: { column: ShapedColumn; index: number }[];
  measures: { column: ShapedColumn; index: number }[];
} {
  const indexed = table.columns.map((column, index) => ({ column, index }));
  return {
    dimensions: indexed.filter((item) => item.column.role === 'dimension'),
    measures: indexed.filter((item) => item.column.role === 'measure'),
  };
}

/** ECharts' type for a column: measures are numbers (decimal strings parse), the rest ordinal. */
export function echartsType(
  kind: ColumnKind,
  role: ShapedColumn['role'],
): EChartsDimension['type'] {
  return role === 'measure' && (kind === 'number' || kind === 'decimal') ? 'number' : 'ordinal';
}

/** The table as an ECharts dataset, unchanged. */
export function tableDataset(table: ResultTable) {
  return {
    dimensions: table.columns.map((column) => ({
      name: column.key,
      displayName: column.displayName,
      type: echartsType(column.kind, column.role),
    })),
    source: table.rows,
  };
}

/** A key for a tuple of cell values (distinct header values, stable across types). */
export function tupleKey(values: readonly CellValue[]): string {
  return JSON.stringify(values);
}

/** A human label for a tuple of header values (`—` for null). */
export function tupleLabel(values: readonly CellValue[]): string {
  return values.map((value) => (value === null ? '—' : String(value))).join(' · ');
}

/** The distinct tuples of the given column positions, in first-seen order. */
export function distinctTuples(
  rows: readonly (readonly CellValue[])[],
  positions: readonly number[],
): CellValue[][] {
  const seen = new Map<string, CellValue[]>();
  for (const row of rows) {
    const tuple = positions.map((position) => row[position] ?? null);
    const key = tupleKey(tuple);
    if (!seen.has(key)) seen.set(key, tuple);
  }
  return [...seen.values()];
}
