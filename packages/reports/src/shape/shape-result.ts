import { DEFAULT_LOCALE, type Locale } from '@joinery/shared';
import type { ColumnKind, PreparedReport } from '../definition/prepared-report.ts';
import type { CellValue, ChartData, ResultTable } from './chart-data.ts';
import { rangeLabels } from './range-labels.ts';

/** Options of `shapeResult`. */
export interface ShapeOptions {
  /** The language of column names (labels); default zh-CN. */
  readonly locale?: Locale;
}

/**
 * Turns the rows of a report's query (as the driver returns them, one object per group) into
 * the chart's data: an ECharts `dataset` + `series` to use as they are, a matrix for pivot and
 * cohort charts, and the normalised result table. Money and ratios stay exact decimal strings;
 * a number range shows as its label (`1000 – 5000`). Rows past the report's limit are dropped
 * and flagged as `truncated`.
 */
export function shapeResult(
  report: PreparedReport,
  rows: readonly Readonly<Record<string, unknown>>[],
  options: ShapeOptions = {},
): ChartData {
  const locale = options.locale ?? DEFAULT_LOCALE;
  const labels = new Map(
    report.dimensions.flatMap((dimension) =>
      dimension.boundaries ? [[dimension.key, rangeLabels(dimension.boundaries)] as const] : [],
    ),
  );
  const columns = report.columns.map((column) => ({
    key: column.key,
    role: column.role,
    kind: column.kind,
    displayName: column.label?.[locale] ?? column.label?.en ?? column.key,
  }));
  const kept = rows.slice(0, report.limit);
  const table: ResultTable = {
    columns,
    rows: kept.map((row) =>
      columns.map((column) => cell(row[column.key], column.kind, labels.get(column.key))),
    ),
  };
  const shape = report.chart.shape(table, report.chartOptions);
  return {
    chart: { type: report.chart.type, version: report.chart.version },
    ...shape,
    table,
    truncated: rows.length > report.limit,
  };
}

function cell(value: unknown, kind: ColumnKind, labels: readonly string[] | undefined): CellValue {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'number':
      return Number(value);
    case 'boolean':
      return Boolean(value);
    case 'range':
      return labels?.[Number(value)] ?? String(value);
    case 'date':
    case 'datetime':
      return value instanceof Date ? value.toISOString() : String(value);
    default:
      return String(value);
  }
}
